/**
 * The synthesis worker thread: one per round. It opens its own connection, skips the records the round already has a
 * candidate for (a killed round resumes without duplicates), writes each batch's candidates in one transaction, and
 * posts progress. Round 0 (no model) composes from the analysis; otherwise the policy generates.
 */
import * as path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { RoundConfigSchema } from '../../contract/synthesis';
import { openWorkspace, type Workspace } from '../../db/open';
import { getModel } from '../../db/repositories/models';
import { getRound, insertCandidate, processedRecordIds, roundInputs, updateRound, type NewCandidate } from '../../db/repositories/rounds';
import { initBackend } from '../../pipelines/runtime/backend';
import { loadPolicy } from '../../pipelines/model/persist';
import { ensureDescriptors } from '../analysis/descriptors';
import { faceSample } from '../training/dataset';
import { conditionedCandidates, consistencyCandidates, round0Of } from './candidates';
import { planRecord, type RecordPlan } from './plan';
import type { SynthWorkerReply, SynthWorkerRequest } from './protocol';

const request = workerData as SynthWorkerRequest;
let stopRequested = false;
parentPort?.on('message', (m: { type: string }) => {
  if (m?.type === 'stop') stopRequested = true;
});
const post = (m: SynthWorkerReply) => parentPort?.postMessage(m);
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Records per batch: conditioned generation batches faces; self-consistency batches faces × G samples. */
const BATCH = { analysis: 100, conditioned: 16, consistency: 4 } as const;

async function run(ws: Workspace): Promise<void> {
  const round = getRound(ws.db, request.roundId);
  if (!round) throw new Error(`round ${request.roundId} does not exist`);
  const cfg = RoundConfigSchema.parse(JSON.parse(round.config));
  const model = cfg.modelId === null ? null : getModel(ws.db, cfg.modelId);
  if (cfg.modelId !== null && (!model || !model.path)) throw new Error(`model ${cfg.modelId} does not exist or has no files`);
  const loaded = model?.path ? await loadPolicy(path.join(ws.dir, ...model.path.split('/')), false) : null;
  try {
    const descriptorDim = loaded?.policy.config.descriptorDim ?? 0;
    const expressionDim = loaded?.policy.config.expressionDim ?? 0;
    const inputs = () => roundInputs(ws.db, { split: cfg.split, part: cfg.part, descriptorDim, expressionDim, limit: cfg.limit });
    let all = inputs();
    // A policy that reads descriptors gets them where analysis left them out (services/analysis/descriptors.ts).
    if (descriptorDim > 0 && (await ensureDescriptors(ws, all.map((r) => r.id))) > 0) all = inputs();
    const seen = processedRecordIds(ws.db, round.id);
    const todo = all.filter((r) => !seen.has(r.id)).map((r) => planRecord(r, loaded !== null));
    const total = all.length;
    let done = total - todo.length;
    updateRound(ws.db, round.id, { total, status: 'running', error: null });
    post({ type: 'progress', done, total });
    const write = ws.db.transaction((cands: NewCandidate[]) => {
      for (const c of cands) insertCandidate(ws.db, c);
    });
    const groups: Record<RecordPlan['method'], RecordPlan[]> = { analysis: [], conditioned: [], consistency: [] };
    for (const p of todo) groups[p.method].push(p);
    for (const method of ['analysis', 'conditioned', 'consistency'] as const) {
      const plans = groups[method];
      for (let i = 0; i < plans.length; i += BATCH[method]) {
        await tick();
        if (stopRequested) {
          post({ type: 'stopped', done, total });
          return;
        }
        const batch = plans.slice(i, i + BATCH[method]);
        let cands: NewCandidate[];
        if (method === 'analysis' || !loaded) cands = batch.map((p) => round0Of(round.id, p));
        else {
          const size = loaded.policy.config.imageSize;
          const withSamples = [];
          for (const plan of batch) withSamples.push({ plan, sample: await faceSample(ws, { ...plan.input, reasoning: '' }, size) });
          cands =
            method === 'conditioned'
              ? conditionedCandidates(round.id, cfg.modelId!, loaded.policy, loaded.tokenizer, withSamples, cfg)
              : consistencyCandidates(round.id, cfg.modelId!, loaded.policy, loaded.tokenizer, withSamples, cfg);
        }
        write(cands);
        done += batch.length;
        post({ type: 'progress', done, total });
      }
    }
    post({ type: 'done', done, total });
  } finally {
    loaded?.policy.dispose();
  }
}

async function main(): Promise<void> {
  const backend = await initBackend();
  post({ type: 'backend', backend });
  const ws = openWorkspace(request.wsDir);
  try {
    await run(ws);
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  } finally {
    ws.close();
    parentPort?.close();
  }
}

if (parentPort) void main();
