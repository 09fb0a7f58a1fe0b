/**
 * A tiny SFT → RL → eval run through the built CLI (`npm run build:node` first): rows in runs/run_metrics/models/
 * evals/predictions, the JSON contracts, and kill -9 + --resume losing at most the work since the last checkpoint.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { openWorkspace } from '../../db/open';
import { createContext } from '../../services/context';
import { trainingHandlers } from '../../services/training/handlers';
import { fea as runFea } from '../support/cli';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'fea.js');
const TINY = [
  'model.imageSize=32', 'model.patchHidden=8', 'model.featDim=32', 'model.hidden=48', 'model.embDim=12', 'model.window=6',
  'sft.batchSize=8', 'sft.auxExtra=8', 'sft.lr=0.004', 'sft.warmupSteps=2',
].flatMap((s) => ['--set', s]);

const fea = (...args: string[]) => runFea(args, { timeoutMs: 120_000 });

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-train-'));
const ws = path.join(base, 'ws');

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'services', 'training', 'worker.js'))) throw new Error('not built: run "npm run build:node" first');
  expect(fea('init', ws, '--demo', '28', '--seed', '1', '--json').code).toBe(0);
  const split = fea('split', ws, '--name', 's', '--ratios', 'train=0.75,test=0.25', '--seed', '1', '--json');
  expect(split.code).toBe(0);
}, 120_000);

test('SFT → RL → eval → models, with every run, metric, model, eval and prediction recorded', () => {
  const sft = fea('train', ws, '--stage', 'sft', '--split', 's', '--steps', '10', '--seed', '2', ...TINY, '--json');
  expect(sft.stderr).toBe('');
  expect(sft.code).toBe(0);
  expect(sft.json).toMatchObject({ runId: expect.any(Number), modelId: expect.any(Number), backend: expect.stringMatching(/^(wasm|cpu|node|node-gpu)$/) });
  const ev = sft.json.metrics.eval;
  expect(ev).toMatchObject({ split: 's', part: 'test', n: expect.any(Number) });
  for (const k of ['accuracy', 'macroF1', 'auF1Macro', 'auF1Micro', 'formatRate', 'rougeL', 'hallucinatedAURate', 'misalignedRate']) {
    expect(ev[k]).toBeGreaterThanOrEqual(0);
    expect(ev[k]).toBeLessThanOrEqual(1);
  }

  const rl = fea('train', ws, '--stage', 'rl', '--split', 's', '--steps', '2', '--set', 'promptsPerStep=2', '--set', 'groupSize=4', '--json');
  expect(rl.code).toBe(0);
  expect(rl.json.modelId).not.toBe(sft.json.modelId);

  const evalOut = fea('eval', ws, '--model', String(rl.json.modelId), '--split', 's', '--part', 'test', '--json');
  expect(evalOut.code).toBe(0);
  expect(Object.keys(evalOut.json)).toEqual(
    expect.arrayContaining(['n', 'accuracy', 'macroF1', 'auF1Macro', 'auF1Micro', 'formatRate', 'rougeL', 'hallucinatedAURate', 'misalignedRate']),
  );
  expect(evalOut.json.n).toBe(ev.n);

  const models = fea('models', ws, '--json');
  expect(models.code).toBe(0);
  const byId = new Map(models.json.models.map((m: any) => [m.id, m]));
  const rlModel: any = byId.get(rl.json.modelId);
  expect(rlModel).toMatchObject({ stage: 'rl', parentModelId: sft.json.modelId, runId: rl.json.runId, parent: { id: sft.json.modelId } });
  expect(rlModel.run.status).toBe('done');
  expect(rlModel.evals.length).toBeGreaterThanOrEqual(1);
  // the run's result, as the contract gives it: the step the model came from and what RL changed
  expect(rlModel.run.result).toMatchObject({
    stage: 'rl',
    selectedStep: rl.json.metrics.selectedStep,
    totalSteps: 2,
    trainReward: { greedy: { start: expect.any(Number), end: expect.any(Number) }, sampled: { start: expect.any(Number), end: expect.any(Number) } },
    rolloutReward: { firstThird: expect.any(Number), lastThird: expect.any(Number) },
  });
  expect((byId.get(sft.json.modelId) as any).run.result).toMatchObject({ stage: 'sft', steps: 10, totalSteps: 10, earlyStopped: false });

  const db = new Database(path.join(ws, 'fea.sqlite'), { readonly: true });
  try {
    const runs = db.prepare('SELECT * FROM runs ORDER BY id').all() as any[];
    expect(runs.map((r) => [r.stage, r.status, r.step, r.total_steps])).toEqual([
      ['sft', 'done', 10, 10],
      ['rl', 'done', 2, 2],
    ]);
    expect(runs[1].parent_model_id).toBe(sft.json.modelId);
    expect(runs.every((r) => r.backend === sft.json.backend && r.checkpoint_path && r.model_id)).toBe(true);
    // each run stores its result summary with status 'done': the CLI's metrics, less the eval's matrices, and the
    // run's result as the contract gives it
    const sftSummary = JSON.parse(runs[0].summary);
    expect(sftSummary).toMatchObject({ step: 10, totalSteps: 10, earlyStopped: false, eval: { split: 's', part: 'test', n: ev.n, accuracy: ev.accuracy } });
    expect(sftSummary.eval.confusion).toBeUndefined();
    expect(sftSummary.eval.perAU).toBeUndefined();
    const rlSummary = JSON.parse(runs[1].summary);
    expect(rlSummary.selectedStep).toBe(rl.json.metrics.selectedStep);
    expect(rlSummary.selectedStep).toBeGreaterThanOrEqual(1);
    expect(rlSummary.selectedStep).toBeLessThanOrEqual(runs[1].total_steps);
    for (const k of ['trainRewardGreedy', 'trainRewardGreedyStart', 'trainRewardSampled', 'trainRewardSampledStart', 'rewardMeanFirstThird', 'rewardMeanLastThird'])
      expect(typeof rlSummary[k]).toBe('number');
    if (rlSummary.valSelected) expect(rlSummary.valSelected.step).toBe(rlSummary.selectedStep);
    const { eval: rlEval, ...rlRest } = rl.json.metrics;
    expect({ ...rlSummary, eval: undefined, result: undefined }).toEqual({ ...rlRest, eval: undefined });
    expect(rlSummary.result).toEqual(rlModel.run.result);
    expect(sftSummary.result).toEqual((byId.get(sft.json.modelId) as any).run.result);
    expect(rlSummary.eval).toMatchObject({ n: rlEval.n, accuracy: rlEval.accuracy });
    const cfg = JSON.parse(runs[1].config);
    expect(cfg.rl).toMatchObject({ groupSize: 4, temperature: 1, beta: 0.04, epsLow: 0.2, stdEps: 1e-4, lossType: 'dapo' });
    const sftMetrics = (db.prepare('SELECT metrics FROM run_metrics WHERE run_id = ? ORDER BY step').all(runs[0].id) as any[]).map((r) => JSON.parse(r.metrics));
    expect(sftMetrics).toHaveLength(10);
    expect(sftMetrics.some((m) => m.valLoss !== undefined)).toBe(true);
    expect((sftMetrics[8].lmLoss + sftMetrics[9].lmLoss) / 2).toBeLessThan((sftMetrics[0].lmLoss + sftMetrics[1].lmLoss) / 2);
    const rlMetrics = (db.prepare('SELECT metrics FROM run_metrics WHERE run_id = ? ORDER BY step').all(runs[1].id) as any[]).map((r) => JSON.parse(r.metrics));
    expect(rlMetrics).toHaveLength(2);
    for (const k of ['reward', 'rewardFormat', 'rewardAccuracy', 'rewardAU', 'kl', 'clipFraction', 'rolloutsPerSec', 'tokensPerSec']) expect(typeof rlMetrics[0][k]).toBe('number');
    const modelsRows = db.prepare("SELECT * FROM models WHERE kind = 'policy' ORDER BY id").all() as any[];
    // named after the model's own id, never its run's number
    expect(modelsRows.map((m) => m.name)).toEqual(modelsRows.map((m) => `policy-${m.stage}-model-${m.id}`));
    for (const m of modelsRows) {
      for (const f of ['model.json', 'weights.bin', 'tokenizer.json']) expect(fs.existsSync(path.join(ws, m.path, f))).toBe(true);
    }
    const preds = db.prepare('SELECT * FROM predictions WHERE model_id = ?').all(sft.json.modelId) as any[];
    expect(preds).toHaveLength(ev.n);
    expect(preds.every((p) => p.purpose === 'eval')).toBe(true);
    expect(preds.every((p) => p.reasoning.length > 0 && Object.keys(JSON.parse(p.emotion_scores)).length === 7)).toBe(true);
    expect((db.prepare('SELECT COUNT(*) AS n FROM evals').get() as any).n).toBe(3);
  } finally {
    db.close();
  }
}, 240_000);

test('kill -9 mid-run, then --resume: the run finishes from its last checkpoint', async () => {
  const child = spawn(process.execPath, [BIN, 'train', ws, '--stage', 'sft', '--split', 's', '--steps', '40', ...TINY, '--set', 'checkpointEvery=3', '--json'], {
    stdio: 'ignore',
  });
  const dbFile = path.join(ws, 'fea.sqlite');
  let runId = 0;
  let ckptStep = 0;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 300));
    const db = new Database(dbFile, { readonly: true });
    const row = db.prepare("SELECT id, checkpoint_path FROM runs WHERE stage = 'sft' ORDER BY id DESC LIMIT 1").get() as any;
    db.close();
    if (row?.checkpoint_path && row.id > 2) {
      runId = row.id;
      ckptStep = Number(/ckpt-(\d+)/.exec(row.checkpoint_path)![1]);
      break;
    }
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  expect(runId).toBeGreaterThan(0);
  expect(ckptStep).toBeGreaterThanOrEqual(3);

  // nothing runs it any more: the runs list must not say 'running'
  const listed = openWorkspace(ws);
  try {
    const { runs } = await trainingHandlers(createContext(listed))['runs.list']({});
    expect(runs.find((r) => r.id === runId)).toMatchObject({ status: 'stopped', error: expect.stringMatching(new RegExp(`^interrupted: .*--resume ${runId}"$`)) });
  } finally {
    listed.close();
  }

  const resumed = fea('train', ws, '--resume', String(runId), '--json');
  expect(resumed.code).toBe(0);
  expect(resumed.json).toMatchObject({ runId, modelId: expect.any(Number) });
  const db = new Database(dbFile, { readonly: true });
  try {
    const run = db.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as any;
    expect(run).toMatchObject({ status: 'done', step: 40, total_steps: 40 });
    expect(JSON.parse(run.summary)).toMatchObject({ step: 40, totalSteps: 40 });
    const steps = (db.prepare('SELECT step FROM run_metrics WHERE run_id = ? ORDER BY step').all(runId) as any[]).map((r) => r.step);
    expect(steps).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(fs.readdirSync(path.join(ws, 'runs', String(runId))).filter((d) => d.startsWith('ckpt-'))).toEqual(['ckpt-40']);
  } finally {
    db.close();
  }
}, 240_000);

test('a run killed while saving its model or evaluating resumes into the same model, never a second one', () => {
  const dbFile = path.join(ws, 'fea.sqlite');
  const rw = new Database(dbFile);
  const run = rw.prepare("SELECT id, model_id FROM runs WHERE stage = 'sft' AND status = 'done' ORDER BY id DESC LIMIT 1").get() as any;
  const model = rw.prepare('SELECT * FROM models WHERE id = ?').get(run.model_id) as any;
  // killed after registering the model, before its files were complete: the row has no path yet
  rw.prepare("UPDATE runs SET status = 'stopped' WHERE id = ?").run(run.id);
  rw.prepare('UPDATE models SET path = NULL WHERE id = ?').run(model.id);
  rw.close();
  fs.rmSync(path.join(ws, model.path), { recursive: true, force: true });

  const resumed = fea('train', ws, '--resume', String(run.id), '--json');
  expect(resumed.code).toBe(0);
  expect(resumed.json).toMatchObject({ runId: run.id, modelId: model.id });
  const db = new Database(dbFile, { readonly: true });
  try {
    expect(db.prepare('SELECT status, model_id FROM runs WHERE id = ?').get(run.id)).toEqual({ status: 'done', model_id: model.id });
    expect(db.prepare('SELECT id, path FROM models WHERE run_id = ?').all(run.id)).toEqual([{ id: model.id, path: model.path }]);
    for (const f of ['model.json', 'weights.bin', 'tokenizer.json']) expect(fs.existsSync(path.join(ws, model.path, f))).toBe(true);
  } finally {
    db.close();
  }
}, 120_000);
