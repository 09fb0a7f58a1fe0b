/**
 * Live training runs are capped per workspace (FEA_TRAINING_SLOTS, default 1): further runs wait as 'queued' in
 * runs.list, start oldest first when a slot frees, can be stopped while waiting, and stay queued across a restart.
 * Tiny configurations; workers start from dist/ (`npm run build:node` first).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openWorkspace, type Workspace } from '../../db/open';
import { getRun } from '../../db/repositories/runs';
import { createContext } from '../../services/context';
import type { ServiceContext } from '../../services/context';
import { trainingHandlers } from '../../services/training/handlers';
import { trainingService, trainingSlotsFromEnv, type TrainingService } from '../../services/training/service';
import { fea, REPO_ROOT } from '../support/cli';

const TINY = {
  'model.imageSize': 32, 'model.patchHidden': 8, 'model.featDim': 32, 'model.hidden': 48, 'model.embDim': 12, 'model.window': 6,
  'sft.batchSize': 8, 'sft.auxExtra': 8, 'sft.lr': 0.004, 'sft.warmupSteps': 2, evalEvery: 0,
};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-queue-'));
const wsDir = path.join(tmp, 'ws');
let ws: Workspace;
let ctx: ServiceContext;
let svc: TrainingService;

const tiny = (steps: number) => svc.start({ stage: 'sft', split: 's', steps, seed: 1, config: TINY });
const statuses = async (c: ServiceContext) => Object.fromEntries((await trainingHandlers(c)['runs.list']({})).runs.map((r) => [r.id, r.status]));
const running = (db: Workspace['db']) => (db.prepare("SELECT COUNT(*) AS n FROM runs WHERE status = 'running'").get() as { n: number }).n;

beforeAll(() => {
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'services', 'training', 'worker.js'))) throw new Error('not built: run "npm run build:node" first');
  expect(fea(['init', wsDir, '--demo', '24', '--seed', '1', '--json']).code).toBe(0);
  expect(fea(['split', wsDir, '--name', 's', '--ratios', 'train=0.75,test=0.25', '--seed', '1', '--json']).code).toBe(0);
  ws = openWorkspace(wsDir);
  ctx = createContext(ws);
  svc = trainingService(ctx);
}, 120_000);

afterAll(async () => {
  await svc.stopAll();
  ws.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('the slot count is 1 unless FEA_TRAINING_SLOTS says otherwise', () => {
  expect(svc.slots).toBe(1);
  expect(trainingSlotsFromEnv({ FEA_TRAINING_SLOTS: '3' })).toBe(3);
  expect(() => trainingSlotsFromEnv({ FEA_TRAINING_SLOTS: '0' })).toThrow(/FEA_TRAINING_SLOTS/);
});

test('a second run waits as queued, and starts when the first ends; never two at once', async () => {
  let most = 0;
  const off = ctx.events.subscribe((e) => {
    if (e.type === 'run.metrics') most = Math.max(most, running(ws.db));
  });
  const a = tiny(4);
  const b = tiny(2);
  expect(await statuses(ctx)).toMatchObject({ [a.runId]: 'running', [b.runId]: 'queued' });
  expect(ctx.jobs.get(b.jobId)).toMatchObject({ status: 'queued', runId: b.runId });
  expect(svc.isQueued(b.runId)).toBe(true);

  expect(await a.done).toMatchObject({ runId: a.runId });
  const rb = await b.done;
  off();
  expect(rb).toMatchObject({ runId: b.runId, modelId: expect.any(Number) });
  expect(await statuses(ctx)).toMatchObject({ [a.runId]: 'done', [b.runId]: 'done' });
  expect(ctx.jobs.get(b.jobId)!.status).toBe('done');
  expect(most).toBe(1);
}, 180_000);

test('over the handlers: training.start says queued; a queued run can be stopped before it starts, and resumed into the queue', async () => {
  const handlers = trainingHandlers(ctx);
  const a = await handlers['training.start']({ stage: 'sft', split: 's', steps: 3, seed: 1, config: TINY });
  const b = await handlers['training.start']({ stage: 'sft', split: 's', steps: 2, seed: 1, config: TINY });
  expect([a.queued, b.queued]).toEqual([false, true]);
  const waited = svc.wait(b.runId);
  expect(await handlers['training.stop']({ runId: b.runId })).toEqual({ stopped: true });
  expect(await waited).toBeNull();
  expect(getRun(ws.db, b.runId)).toMatchObject({ status: 'stopped', step: 0, owner_pid: null });
  const resumed = svc.resume(b.runId);
  expect(getRun(ws.db, b.runId)!.status).toBe('queued');
  await svc.wait(a.runId);
  expect(await resumed.done).toMatchObject({ runId: b.runId });
  expect(getRun(ws.db, b.runId)!.status).toBe('done');
}, 180_000);

test('a queued run stays queued across a restart and starts in the next process on the workspace', async () => {
  const a = tiny(40);
  const b = tiny(2);
  expect(getRun(ws.db, b.runId)!.status).toBe('queued');
  // shutdown: the live run checkpoints and stops, the queued one is left for the next process
  await svc.stopAll();
  await a.done;
  ws.close();
  ws = openWorkspace(wsDir);
  expect(getRun(ws.db, a.runId)!.status).toBe('stopped');
  expect(getRun(ws.db, b.runId)!.status).toBe('queued');

  ctx = createContext(ws);
  svc = trainingService(ctx);
  // opening the Training view (runs.list) starts it: the slot is free
  expect((await statuses(ctx))[b.runId]).toBe('running');
  expect(await svc.wait(b.runId)).toMatchObject({ runId: b.runId });
  expect(getRun(ws.db, b.runId)!.status).toBe('done');
}, 180_000);
