/**
 * Predictions carry their purpose (`npm run build:node` first): after a training run's eval and `fea eval`, no record
 * of the split's test part offers that model's output as a suggestion, and no record at all offers an eval output;
 * the suggestion source is the face analysis unless a policy is chosen; a split may allow suggestions on its test part.
 */
import * as path from 'node:path';
import { openWorkspace, type Workspace } from '../../db/open';
import { insertImage, insertRecord } from '../../db/repositories';
import { ensureModel } from '../../db/repositories/analysis';
import { upsertPrediction } from '../../db/repositories/predictions';
import { createContext } from '../../services/context';
import { recordHandlers } from '../../services/records/handlers';
import { saveSuggestionSettings, suggestionSettings } from '../../services/suggestions/handlers';
import { tempDir } from '../support/facial-r1';
import { fea as runFea } from '../support/cli';
import { workspaceAtVersion } from '../support/workspace-at-version';

const TINY = ['model.imageSize=32', 'model.patchHidden=8', 'model.featDim=32', 'model.hidden=48', 'model.embDim=12', 'model.window=6', 'sft.batchSize=8'].flatMap((s) => [
  '--set',
  s,
]);
const fea = (...args: string[]) => runFea(args, { timeoutMs: 120_000 });
const ws = path.join(tempDir('fea-eval-suggest-'), 'ws');

async function withWs<T>(work: (w: Workspace, get: (id: string) => Promise<{ model: string; reasoning: string } | null>) => Promise<T>): Promise<T> {
  const w = openWorkspace(ws);
  try {
    const h = recordHandlers(createContext(w));
    return await work(w, async (id) => (await h['records.get']({ id })).suggestion);
  } finally {
    w.close();
  }
}

const parts = (w: Workspace) =>
  w.db.prepare("SELECT a.record_id AS id, a.part FROM split_assignments a JOIN splits s ON s.id = a.split_id WHERE s.name = 'main' ORDER BY a.record_id").all() as {
    id: string;
    part: string;
  }[];

let policyId = 0;

beforeAll(() => {
  expect(fea('init', ws, '--demo', '40', '--seed', '1', '--json').code).toBe(0);
  expect(fea('split', ws, '--name', 'main', '--ratios', 'train=0.75,test=0.25', '--seed', '1', '--json').code).toBe(0);
  // the face analysis' expression suggestion on every record (as `fea analyze` writes it, without its minutes)
  const w = openWorkspace(ws);
  try {
    const analysis = ensureModel(w.db, { name: 'face-expression', version: 'test', kind: 'expression' });
    for (const { id } of parts(w)) upsertPrediction(w.db, id, analysis, { emotion: 'fear', score: 0.6, emotionScores: { fear: 0.6 }, aus: [], reasoning: `analysis draft for ${id}` });
  } finally {
    w.close();
  }
  const sft = fea('train', ws, '--stage', 'sft', '--split', 'main', '--steps', '3', ...TINY, '--json');
  expect(sft.code).toBe(0);
  expect(sft.json.metrics.eval).toMatchObject({ split: 'main', part: 'test' });
  policyId = sft.json.modelId;
  const ev = fea('eval', ws, '--model', 'latest', '--split', 'main', '--part', 'test', '--json');
  expect(ev.code).toBe(0);
}, 180_000);

test("after an eval no test-part record offers the model's output, and no record offers an eval output", async () => {
  await withWs(async (w, suggestion) => {
    const rows = w.db.prepare('SELECT purpose, COUNT(*) AS n FROM predictions WHERE model_id = ? GROUP BY purpose').all(policyId);
    expect(rows).toEqual([{ purpose: 'eval', n: 10 }]);
    for (const { id, part } of parts(w)) {
      const s = await suggestion(id);
      if (part === 'test') expect({ id, s }).toEqual({ id, s: null });
      else expect({ id, model: s?.model, reasoning: s?.reasoning }).toEqual({ id, model: 'face-expression@test', reasoning: `analysis draft for ${id}` });
    }

    // the policy chosen, the test part allowed: still no eval output offered anywhere
    saveSuggestionSettings(w.db, { modelId: policyId, allowHeldOut: ['main'] });
    for (const { id } of parts(w)) expect({ id, s: await suggestion(id) }).toEqual({ id, s: null });

    // the face analysis again, with the test part allowed: its suggestions show there too
    saveSuggestionSettings(w.db, { modelId: null, allowHeldOut: ['main'] });
    const test = parts(w).find((p) => p.part === 'test')!;
    expect((await suggestion(test.id))?.model).toBe('face-expression@test');
    saveSuggestionSettings(w.db, { modelId: null, allowHeldOut: [] });
    expect(suggestionSettings(w.db)).toMatchObject({ modelId: null, allowHeldOut: [], splits: [{ name: 'main', parts: ['test', 'train'], heldOut: ['test'] }] });
  });
});

test('fea suggest writes the policy\'s suggestions for the train part; --use shows them; the test part is refused', async () => {
  const refused = fea('suggest', ws, '--model', 'latest', '--split', 'main', '--part', 'test', '--json');
  expect(refused.code).toBe(2);
  expect(refused.json.error.message).toMatch(/held out for evaluation/);
  const r = fea('suggest', ws, '--model', 'latest', '--split', 'main', '--use', '--json');
  expect(r).toMatchObject({ code: 0, json: { modelId: policyId, part: 'train', written: 30, source: policyId } });
  await withWs(async (w, suggestion) => {
    for (const { id, part } of parts(w)) {
      const s = await suggestion(id);
      if (part === 'test') expect({ id, s }).toEqual({ id, s: null });
      else expect({ id, model: s?.model }).toEqual({ id, model: `policy-sft-model-${policyId}@1` });
    }
  });
});

test("migration 9: a policy's stored predictions (only evaluation wrote them) become eval outputs; the analysis' stay suggestions", () => {
  const dir = workspaceAtVersion(7, (db) => {
    const now = new Date().toISOString();
    const img = insertImage(db, { sha256: '1'.padStart(64, '0'), ext: 'png', width: 8, height: 8, originalName: 'a.png', subject: null });
    insertRecord(db, { id: 'r1', imageId: img.id, source: 'old' });
    db.prepare("INSERT INTO models (id, name, version, kind, created_at) VALUES (1, 'policy-sft-1', '1', 'policy', ?), (2, 'face', '1', 'expression', ?)").run(now, now);
    db.prepare("INSERT INTO predictions (record_id, model_id, created_at) VALUES ('r1', 1, ?), ('r1', 2, ?)").run(now, now);
  });
  const w = openWorkspace(dir);
  try {
    expect(w.db.prepare('SELECT model_id, purpose FROM predictions ORDER BY model_id').all()).toEqual([
      { model_id: 1, purpose: 'eval' },
      { model_id: 2, purpose: 'suggestion' },
    ]);
  } finally {
    w.close();
  }
});
