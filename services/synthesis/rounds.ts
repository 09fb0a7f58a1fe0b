/**
 * Synthesis rounds as jobs: the service records the round, runs it in a worker thread (progress, cancel), and when
 * the worker has written every candidate, computes the balance report, applies the quotas and opens the round for
 * review. A round killed midway is resumed with `resume` and continues where it stopped.
 */
import { Worker } from 'node:worker_threads';
import { ApiError } from '../../contract/dispatch';
import { BalanceReportSchema, CandidateTargetSchema, RoundConfigSchema, type RoundConfig, type RoundSummary } from '../../contract/synthesis';
import { getModel, listModels } from '../../db/repositories/models';
import { claimRound, createRound, getRound, listRoundRows, reapOrphanedRounds, roundCounts, roundHeldElsewhere, roundOutcomes, setInReview, updateRound, type RoundRow } from '../../db/repositories/rounds';
import { splitExists, splitPartNames } from '../../db/repositories/training-data';
import { getUser } from '../../db/repositories/users';
import { vocabulary } from '../../db/repositories/vocabulary';
import { workerPath } from '../../pipelines/runtime/worker-path';
import { applyQuota, balanceReport, UNPARSED_CLASS, DEFAULT_MIN_AGREEMENT, DEFAULT_SAMPLES, MAX_SYNTHESIS_RETRIES, type Outcome } from '../../pipelines/synthesis';
import type { ServiceContext } from '../context';
import type { SynthWorkerReply, SynthWorkerRequest } from './protocol';
import { parseStored } from './stored';

export interface SynthOptions {
  /** A trained policy; null = round 0 (face analysis only). */
  modelId: number | null;
  split?: string | null;
  limit?: number;
  retries?: number;
  samples?: number;
  minAgreement?: number;
  quota?: Record<string, number>;
  temperature?: number;
  seed?: number;
  userId?: number | null;
  iterationId?: number | null;
}

interface Live {
  worker: Worker;
  done: Promise<RoundSummary | null>;
}

/** The round's config from the options: the defaults of the method spec (5 retries, G = 8, agreement 0.75). */
export function roundConfig(o: SynthOptions, trainPart: string | null): RoundConfig {
  return RoundConfigSchema.parse({
    split: o.split ?? null,
    part: o.split ? trainPart : null,
    modelId: o.modelId,
    limit: o.limit ?? 0,
    retries: o.retries ?? MAX_SYNTHESIS_RETRIES,
    samples: o.samples ?? DEFAULT_SAMPLES,
    minAgreement: o.minAgreement ?? DEFAULT_MIN_AGREEMENT,
    quota: o.quota ?? {},
    temperature: o.temperature ?? 1,
    seed: o.seed ?? 1,
  });
}

export class SynthesisService {
  private readonly live = new Map<number, Live>();

  constructor(private readonly ctx: ServiceContext) {}

  start(o: SynthOptions): { roundId: number; jobId: string; done: Promise<RoundSummary | null> } {
    const db = this.ctx.ws.db;
    if (o.modelId !== null) {
      const m = getModel(db, o.modelId);
      if (!m || m.kind !== 'policy' || !m.path) throw new ApiError('not_found', `model ${o.modelId} is not a trained reasoning policy (see "fea models")`);
    }
    let trainPart: string | null = null;
    if (o.split) {
      if (!splitExists(db, o.split)) throw new ApiError('not_found', `split "${o.split}" does not exist`);
      const parts = splitPartNames(db, o.split);
      trainPart = parts.includes('train') ? 'train' : (parts.find((p) => p !== 'test') ?? null);
      if (trainPart === null) throw new ApiError('invalid_input', `split "${o.split}" has no training part to synthesize (test records are never synthesized)`);
    }
    const cfg = roundConfig(o, trainPart);
    if (o.userId != null && !getUser(db, o.userId)) throw new ApiError('not_found', `user ${o.userId} does not exist`);
    const roundId = createRound(db, { modelId: cfg.modelId, split: cfg.split, part: cfg.part, iterationId: o.iterationId ?? null, config: cfg, createdBy: o.userId ?? null });
    const { jobId, done } = this.launch(roundId);
    return { roundId, jobId, done };
  }

  /** Continues a stopped, failed or killed round; a round already in review is reported as it is. */
  resume(roundId: number): { roundId: number; jobId: string; done: Promise<RoundSummary | null> } {
    const r = getRound(this.ctx.ws.db, roundId);
    if (!r) throw new ApiError('not_found', `round ${roundId} does not exist`);
    if (this.live.has(roundId)) throw new ApiError('conflict', `round ${roundId} is already running`);
    if (r.status === 'review' || r.status === 'approved') throw new ApiError('conflict', `round ${roundId} is already complete (${r.status})`);
    const holder = roundHeldElsewhere(this.ctx.ws.db, roundId);
    if (holder) throw new ApiError('conflict', `round ${roundId} is running in another process (pid ${holder.owner_pid} on ${holder.owner_host}); stop it there first`);
    claimRound(this.ctx.ws.db, roundId);
    const { jobId, done } = this.launch(roundId);
    return { roundId, jobId, done };
  }

  stop(roundId: number): boolean {
    const l = this.live.get(roundId);
    if (!l) return false;
    l.worker.postMessage({ type: 'stop' });
    return true;
  }

  wait(roundId: number): Promise<RoundSummary | null> | null {
    return this.live.get(roundId)?.done ?? null;
  }

  isLive(roundId: number): boolean {
    return this.live.has(roundId);
  }

  list(): RoundSummary[] {
    reapOrphanedRounds(this.ctx.ws.db);
    return listRoundRows(this.ctx.ws.db).map((r) => this.summary(r));
  }

  get(roundId: number): RoundSummary {
    reapOrphanedRounds(this.ctx.ws.db);
    const r = getRound(this.ctx.ws.db, roundId);
    if (!r) throw new ApiError('not_found', `round ${roundId} does not exist`);
    return this.summary(r);
  }

  summary(r: RoundRow): RoundSummary {
    const db = this.ctx.ws.db;
    const c = roundCounts(db, r.id);
    const report = parseStored(BalanceReportSchema, r.report);
    return {
      id: r.id,
      status: r.status,
      model: r.model_id,
      split: r.split,
      part: r.part,
      iteration: r.iteration_id,
      createdAt: r.created_at,
      ...c,
      total: r.total,
      report,
      config: parseStored(RoundConfigSchema, r.config),
      approvedBy: r.approved_by === null ? null : (getUser(db, r.approved_by)?.name ?? null),
      approvedAt: r.approved_at,
      snapshotId: r.snapshot_id,
      error: r.error,
    };
  }

  /** Every candidate written: the balance report, the quota, and the round opens for review. */
  finish(roundId: number): RoundSummary {
    const db = this.ctx.ws.db;
    const r = getRound(db, roundId)!;
    const cfg = RoundConfigSchema.parse(JSON.parse(r.config));
    const emotions = new Set(vocabulary(db, 'emotion'));
    const outcomes: Outcome[] = roundOutcomes(db, roundId).map((o) => {
      const e = parseStored(CandidateTargetSchema, o.target)?.emotion ?? o.emotion;
      // an answer outside the vocabulary (a malformed sample) counts under UNPARSED_CLASS, not as a class of its own
      return { id: o.id, emotion: e !== null && emotions.has(e) ? e : UNPARSED_CLASS, kept: o.kept === 1, agreement: o.agreement };
    });
    const report = balanceReport(outcomes);
    db.transaction(() => {
      setInReview(db, roundId, applyQuota(outcomes, cfg.quota));
      updateRound(db, roundId, { status: 'review', report: JSON.stringify(report), error: null });
    })();
    this.ctx.events.publish({ type: 'rounds.changed', roundId });
    return this.get(roundId);
  }

  private launch(roundId: number): { jobId: string; done: Promise<RoundSummary | null> } {
    const r = getRound(this.ctx.ws.db, roundId)!;
    const job = this.ctx.jobs.start('synth', r.total, `synthesis round ${roundId}`);
    const request: SynthWorkerRequest = { wsDir: this.ctx.ws.dir, roundId };
    const worker = new Worker(workerPath('services/synthesis/worker'), { workerData: request });
    job.signal.addEventListener('abort', () => worker.postMessage({ type: 'stop' }));
    const done = new Promise<RoundSummary | null>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        this.live.delete(roundId);
        worker.unref();
        fn();
      };
      const fail = (message: string) => {
        updateRound(this.ctx.ws.db, roundId, { status: 'failed', error: message });
        job.fail(new Error(message));
        this.ctx.events.publish({ type: 'rounds.changed', roundId });
        settle(() => reject(new Error(message)));
      };
      worker.on('message', (m: SynthWorkerReply) => {
        if (m.type === 'progress') job.progress(m.done, m.total, `synthesis round ${roundId}: ${m.done}/${m.total}`);
        else if (m.type === 'stopped') {
          updateRound(this.ctx.ws.db, roundId, { status: 'stopped' });
          job.stopped(`stopped at ${m.done}/${m.total}; resume with "fea synth <workspace> --resume ${roundId}"`);
          this.ctx.events.publish({ type: 'rounds.changed', roundId });
          settle(() => resolve(null));
        } else if (m.type === 'done') {
          try {
            const summary = this.finish(roundId);
            job.finish(`round ${roundId}: ${summary.kept} of ${summary.candidates} kept`);
            settle(() => resolve(summary));
          } catch (err) {
            fail(err instanceof Error ? err.message : String(err));
          }
        } else if (m.type === 'error') fail(m.message);
      });
      worker.on('error', (err) => fail(err.message));
      worker.on('exit', (code) => {
        if (!settled) fail(`the synthesis worker exited with code ${code}`);
      });
    });
    done.catch(() => undefined);
    this.live.set(roundId, { worker, done });
    return { jobId: job.id, done };
  }

  /** Stops every live round and waits for its worker to record where it stopped. */
  async stopAll(): Promise<void> {
    const live = [...this.live.values()];
    for (const l of live) l.worker.postMessage({ type: 'stop' });
    await Promise.all(live.map((l) => l.done.catch(() => null)));
  }
}

/** The newest trained policy (RL before SFT when both exist at the same time: the newest id wins). */
export function latestPolicyId(ctx: ServiceContext): number | null {
  const ms = listModels(ctx.ws.db, 'policy').filter((m) => m.path);
  return ms.length ? Math.max(...ms.map((m) => m.id)) : null;
}

const services = new WeakMap<ServiceContext, SynthesisService>();
export function synthesisService(ctx: ServiceContext): SynthesisService {
  let s = services.get(ctx);
  if (!s) services.set(ctx, (s = new SynthesisService(ctx)));
  return s;
}
