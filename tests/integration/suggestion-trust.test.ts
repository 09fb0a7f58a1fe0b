/**
 * suggestions.trust: the suggestion source chosen in settings, measured against the current human labels — emotion
 * accuracy and AU micro-F1 of the suggestion as the label view shows it (emotion from the expression net, AUs from the
 * AU estimator), on how many records, and how many of those labels were accepted from it. Import labels, eval
 * outputs and records without a human label do not count; switching the source to a policy measures the policy.
 */
import * as path from 'node:path';
import { openWorkspace, type Workspace } from '../../db/open';
import { ensureModel } from '../../db/repositories/analysis';
import { createModel, setModelPath } from '../../db/repositories/models';
import { upsertPrediction } from '../../db/repositories/predictions';
import { annotationHandlers } from '../../services/annotations/handlers';
import { createContext } from '../../services/context';
import { recordHandlers } from '../../services/records/handlers';
import { saveSuggestionSettings, suggestionHandlers } from '../../services/suggestions/handlers';
import { initWorkspace } from '../../services/workspace/init';
import { usersUpsert } from '../../services/workspace/info';
import { tempDir } from '../support/facial-r1';

let ws: Workspace;
const ids = (n: number) => Array.from({ length: n }, (_, i) => `demo-${String(i + 1).padStart(6, '0')}`);

beforeAll(async () => {
  const dir = path.join(tempDir('fea-trust-'), 'ws');
  await initWorkspace(dir, { demo: 8, seed: 3 });
  ws = openWorkspace(dir);
});
afterAll(() => ws.close());

const trust = () => suggestionHandlers(createContext(ws))['suggestions.trust']({});

test('the face analysis measured on the human-labeled records, accepted labels counted apart; then the chosen policy', async () => {
  const db = ws.db;
  const ctx = createContext(ws);
  const submit = annotationHandlers(ctx)['annotations.submit'];
  const kim = usersUpsert(db, 'kim', 'annotator');
  const [r1, r2, r3, r4, r5] = ids(5);

  const expression = ensureModel(db, { name: 'face-expression', version: 't', kind: 'expression' });
  const estimator = ensureModel(db, { name: 'au-estimator', version: 't', kind: 'au-estimator' });
  const au = (present: string[], absent: string[] = []) => [
    ...present.map((a) => ({ au: a, score: 0.8, present: true })),
    ...absent.map((a) => ({ au: a, score: 0.1, present: false })),
  ];
  // r1–r4: the analysis says happiness with AU6+AU12 (r4: sadness, AU1+AU4); r5 has none.
  for (const id of [r1, r2, r3]) {
    upsertPrediction(db, id, expression, { emotion: 'happiness', score: 0.9, emotionScores: { happiness: 0.9 }, aus: [], reasoning: `draft ${id}` });
    upsertPrediction(db, id, estimator, { emotion: null, score: null, emotionScores: {}, aus: au(['AU6', 'AU12'], ['AU25']), reasoning: '' });
  }
  upsertPrediction(db, r4, expression, { emotion: 'sadness', score: 0.4, emotionScores: { sadness: 0.4 }, aus: [], reasoning: `draft ${r4}` });
  upsertPrediction(db, r4, estimator, { emotion: null, score: null, emotionScores: {}, aus: au(['AU1', 'AU4']), reasoning: '' });

  // Before any human label: the demo's import labels do not count.
  expect(trust()).toEqual({ modelId: null, records: 0, acceptedFrom: 0, emotion: null, aus: null });

  const detail = (id: string) => recordHandlers(ctx)['records.get']({ id });
  const label = async (id: string, emotion: string, aus: string[], parentPredictionId: number | null = null) => {
    const d = await detail(id);
    submit({ recordId: id, userId: kim.id, emotion, aus: aus.map((a) => ({ au: a })), reasoning: 'x', baseRevisionId: d.current?.id ?? null, parentPredictionId });
  };
  // r1: accepted from the suggestion unchanged; r2: right emotion, AUs 6+12+25; r3: wrong emotion, AU12 only; r4: agrees.
  await label(r1, 'happiness', ['AU6', 'AU12'], (await detail(r1)).suggestion!.predictionId);
  await label(r2, 'happiness', ['AU6', 'AU12', 'AU25']);
  await label(r3, 'surprise', ['AU12']);
  await label(r4, 'sadness', ['AU1', 'AU4']);
  // r5: human-labeled, but the source has no suggestion for it.
  await label(r5, 'anger', ['AU4']);

  // Emotion: r1, r2, r4 right, r3 wrong → 3/4. AUs pooled: tp = 2 + 2 + 1 + 2 = 7, fp = 1 (r3's AU6), fn = 1 (r2's AU25).
  const t = await trust();
  expect(t).toMatchObject({ modelId: null, records: 4, acceptedFrom: 1, emotion: { n: 4, accuracy: 0.75 } });
  expect(t.aus!.n).toBe(4);
  expect(t.aus!.f1).toBeCloseTo((2 * 7) / (2 * 7 + 1 + 1));
  expect(t.aus!.precision).toBeCloseTo(7 / 8);
  expect(t.aus!.recall).toBeCloseTo(7 / 8);

  // A trained policy chosen: its suggestions are measured, its eval outputs are not.
  const policy = createModel(db, { name: 'policy-sft', kind: 'policy', stage: 'sft', runId: null, parentModelId: null, backend: 'cpu', config: {} });
  setModelPath(db, policy, `models/${policy}`);
  upsertPrediction(db, r1, policy, { emotion: 'happiness', score: 0.7, emotionScores: {}, aus: ['AU6'], reasoning: '<think>AU6</think><answer>happiness</answer>' });
  upsertPrediction(db, r3, policy, { emotion: 'fear', score: 0.3, emotionScores: {}, aus: ['AU12'], reasoning: '<think>AU12</think><answer>fear</answer>' }, undefined, 'eval');
  saveSuggestionSettings(db, { modelId: policy, allowHeldOut: [] });
  const p = await trust();
  expect(p).toMatchObject({ modelId: policy, records: 1, acceptedFrom: 0, emotion: { n: 1, accuracy: 1 } });
  expect(p.aus).toMatchObject({ n: 1, precision: 1, recall: 0.5 });
  expect(p.aus!.f1).toBeCloseTo(2 / 3);
  saveSuggestionSettings(db, { modelId: null, allowHeldOut: [] });
});
