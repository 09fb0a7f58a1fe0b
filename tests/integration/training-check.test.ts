/**
 * training.check says what training.start would: one rule refuses a split that cannot train (no train part, no
 * labeled records, SFT without reasonings, RL without an SFT model) with its reason, before any run exists; a run
 * started without a seed uses, stores and answers the default seed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_RUN_SEED } from '../../contract/training-choices';
import { dispatch } from '../../contract/dispatch';
import { fea } from '../support/cli';
import { openWorkspace } from '../../db/open';
import { createContext } from '../../services/context';
import { createHandlers } from '../../services/handlers';
import { call } from '../../cli/workspace';
import { trainingService } from '../../services/training/service';

jest.setTimeout(60_000);

test('training.check and training.start share the trainability rule; the seed used is the seed answered and stored', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-train-check-'));
  const ws = path.join(dir, 'ws');
  expect(fea(['init', ws, '--demo', '6', '--json']).code).toBe(0);
  const ctx = createContext(openWorkspace(ws));
  try {
    const db = ctx.ws.db;
    const h = createHandlers(ctx);
    await call(h, 'splits.create', { name: 'main', ratios: { train: 1 }, stratify: null, group: null, seed: 1 });
    await call(h, 'splits.create', { name: 'heldout', ratios: { val: 0.5, test: 0.5 }, stratify: null, group: null, seed: 1 });
    const runs = () => (db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n;

    // a split without a train part
    const noPart = await call(h, 'training.check', { stage: 'sft', split: 'heldout' });
    expect(noPart).toMatchObject({ ok: false, part: 'train', labeled: 0, withReasoning: 0, seed: DEFAULT_RUN_SEED });
    expect(noPart.reason).toMatch(/split "heldout" has no trainable records in part "train"/);
    const refused = await dispatch(h, 'training.start', { stage: 'sft', split: 'heldout' });
    expect(refused).toEqual({ ok: false, error: expect.objectContaining({ code: 'invalid_input', message: noPart.reason }) });

    // the demo's records are labeled with a reasoning: SFT can train, RL has no SFT model yet
    const ok = await call(h, 'training.check', { stage: 'sft', split: 'main', seed: 7 });
    expect(ok).toEqual({ ok: true, reason: null, stage: 'sft', split: 'main', part: 'train', labeled: 6, withReasoning: 6, seed: 7, from: null });
    const rl = await call(h, 'training.check', { stage: 'rl', split: 'main' });
    expect(rl).toMatchObject({ ok: false, from: null, reason: expect.stringContaining('no SFT model to start RL from') });

    // labels without a reasoning: SFT needs at least two with one
    const user = await call(h, 'users.upsert', { name: 'tess', role: 'annotator' });
    for (const id of ['demo-000001', 'demo-000002', 'demo-000003', 'demo-000004', 'demo-000005']) {
      await call(h, 'annotations.submit', { recordId: id, userId: user.id, emotion: 'happiness', aus: [{ au: 'AU12' }], reasoning: '', lastWriteWins: true });
    }
    const thin = await call(h, 'training.check', { stage: 'sft', split: 'main' });
    expect(thin).toMatchObject({ ok: false, labeled: 6, withReasoning: 1 });
    expect(thin.reason).toMatch(/1 labeled record with a reasoning in part "train" \(of 6 labeled\): SFT learns the reasoning and needs at least 2/);
    expect(await dispatch(h, 'training.start', { stage: 'sft', split: 'main' })).toMatchObject({ ok: false, error: { message: thin.reason } });

    // weak labels only (an import's): nothing trainable
    db.prepare("UPDATE records SET status = 'weak'").run();
    expect((await call(h, 'training.check', { stage: 'sft', split: 'main' })).labeled).toBe(0);
    expect(runs()).toBe(0);

    // a run without a seed: the default one, answered, stored with the run and shown in its summary
    db.prepare("UPDATE records SET status = 'labeled'").run();
    await call(h, 'annotations.submit', { recordId: 'demo-000001', userId: user.id, emotion: 'happiness', aus: [{ au: 'AU12' }], reasoning: '<think>Lip corners up (AU12).</think><answer>happiness</answer>', lastWriteWins: true });
    const started = await call(h, 'training.start', { stage: 'sft', split: 'main', steps: 1 });
    expect(started.seed).toBe(DEFAULT_RUN_SEED);
    const { run } = await call(h, 'runs.get', { runId: started.runId });
    expect(run.seed).toBe(DEFAULT_RUN_SEED);
    expect(run.config).toMatchObject({ sft: { seed: DEFAULT_RUN_SEED } });
  } finally {
    await trainingService(ctx).stopAll();
    ctx.ws.close();
  }
});
