/**
 * Training runs as jobs: each job owns one long-lived worker thread (tfjs-node allows only the first worker
 * per process to bind, and wasm/cpu kernels block their thread). The service creates the run row, forwards the
 * worker's metrics as `run.metrics` events and its progress as `job.progress`, and handles stop/resume.
 *
 * A workspace runs at most `slots` runs at once (each worker takes a core and hundreds of MB); further runs wait as
 * 'queued' rows, oldest first, and start when a slot frees — here, in another process on the workspace (polled),
 * or after a restart.
 */
import { Worker } from 'node:worker_threads';
import type { EvalReport, SampleOutput, TrainingCheck } from '../../contract/types';
import { ApiError } from '../../contract/dispatch';
import { claimQueuedRuns, createRun, getRun, reapOrphanedRuns, runHeldOnThisHost, unqueueRun, updateRun } from '../../db/repositories/runs';
import { getModel, newestPolicy } from '../../db/repositories/models';
import { workerPath } from '../../pipelines/runtime/worker-path';
import type { ServiceContext } from '../context';
import type { JobHandle } from '../jobs';
import { splitExists, trainableCounts } from '../../db/repositories/training-data';
import { getSnapshot } from '../../db/repositories/snapshots';
import { heldOutParts, splitsAllowingTestSuggestions } from '../../db/repositories/predictions';
import { buildRunConfig, type RunConfig, type StartOptions } from './run-config';
import { trainabilityProblem } from './trainability';
import type { TrainResult, WorkerReply, WorkerRequest } from './protocol';

interface Live {
  worker: Worker;
  job: JobHandle;
  done: Promise<TrainResult | null>;
}

/** A run this process queued: its job, and the result its caller waits for once it runs. */
interface Waiting {
  job: JobHandle;
  done: Promise<TrainResult | null>;
  resolve: (r: TrainResult | null) => void;
  reject: (err: unknown) => void;
}

/** Live training runs per workspace unless FEA_TRAINING_SLOTS says otherwise: one on the 2-core machines this targets. */
export const DEFAULT_TRAINING_SLOTS = 1;
/** How often a process with queued runs looks for a slot freed elsewhere (another process on the workspace). */
const QUEUE_POLL_MS = 2000;

export function trainingSlotsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.FEA_TRAINING_SLOTS;
  if (raw === undefined || raw.trim() === '') return DEFAULT_TRAINING_SLOTS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`FEA_TRAINING_SLOTS: "${raw}" is not a whole number from 1 to 64`);
  return n;
}

export class TrainingService {
  private readonly live = new Map<number, Live>();
  private readonly waiting = new Map<number, Waiting>();
  private poll: NodeJS.Timeout | null = null;
  private closing = false;
  readonly slots: number;

  constructor(
    private readonly ctx: ServiceContext,
    slots = trainingSlotsFromEnv(),
  ) {
    this.slots = slots;
  }

  /**
   * What start would do with these options, without starting: the run's configuration and the check that refuses
   * it (training.check shows the same to the form before it submits). Unknown settings, snapshot or split throw.
   */
  plan(opts: StartOptions): { cfg: RunConfig; check: TrainingCheck } {
    const db = this.ctx.ws.db;
    let cfg;
    try {
      cfg = buildRunConfig(opts);
    } catch (err) {
      throw new ApiError('invalid_input', err instanceof Error ? err.message : String(err));
    }
    if (opts.snapshot != null && !getSnapshot(db, opts.snapshot)) throw new ApiError('not_found', `snapshot ${opts.snapshot} does not exist (see "fea snapshots")`);
    if (!splitExists(db, opts.split)) throw new ApiError('not_found', `split "${opts.split}" does not exist`);
    let from = opts.from ?? null;
    let reason: string | null = null;
    if (opts.stage === 'rl') {
      if (from === null) {
        const newest = newestPolicy(db, 'sft');
        if (newest) from = newest.id;
        else reason = 'no SFT model to start RL from: train one with --stage sft first, or pass --from';
      } else {
        const m = getModel(db, from);
        if (!m || m.kind !== 'policy' || !m.path) throw new ApiError('not_found', `model ${from} is not a trained reasoning policy`);
      }
    }
    cfg.from = from;
    // a snapshot's records are counted when its run loads them; a split part with nothing to learn from is refused with what it lacks
    const counts = cfg.snapshot === null ? trainableCounts(db, opts.split, cfg.trainPart) : null;
    reason ??= counts ? trainabilityProblem(opts.stage, opts.split, cfg.trainPart, counts) : null;
    const seed = opts.stage === 'sft' ? cfg.sft.seed : cfg.rl.seed;
    return {
      cfg,
      check: { ok: reason === null, reason, stage: opts.stage, split: opts.split, part: cfg.trainPart, labeled: counts?.labeled ?? null, withReasoning: counts?.withReasoning ?? null, seed, from },
    };
  }

  start(opts: StartOptions): { jobId: string; runId: number; seed: number; done: Promise<TrainResult | null> } {
    const db = this.ctx.ws.db;
    reapOrphanedRuns(db);
    // the settings and the split first: a refused run leaves nothing behind
    const { cfg, check } = this.plan(opts);
    if (!check.ok) throw new ApiError('invalid_input', check.reason!);
    const runId = createRun(db, {
      stage: opts.stage,
      split: opts.split,
      seed: check.seed,
      backend: 'pending',
      config: { ...cfg },
      parentModelId: check.from,
      status: 'queued',
    });
    const w = this.enqueue(runId);
    this.pump();
    return { jobId: w.job.id, runId, seed: check.seed, done: w.done };
  }

  resume(runId: number): { jobId: string; runId: number; done: Promise<TrainResult | null> } {
    const db = this.ctx.ws.db;
    reapOrphanedRuns(db);
    // Check and claim together, so two processes resuming the same run cannot both start it.
    db.transaction(() => {
      const run = getRun(db, runId);
      if (!run) throw new ApiError('not_found', `run ${runId} does not exist`);
      if (this.live.has(runId)) throw new ApiError('conflict', `run ${runId} is already running`);
      if (runHeldOnThisHost(run)) throw new ApiError('conflict', `run ${runId} is already running (process ${run.owner_pid} on ${run.owner_host})`);
      if (run.status === 'done') throw new ApiError('conflict', `run ${runId} is already done (model ${run.model_id})`);
      if (run.status === 'queued') throw new ApiError('conflict', `run ${runId} is already queued; it starts when a training slot frees`);
      updateRun(db, runId, { status: 'queued', error: null });
    }).immediate();
    const w = this.enqueue(runId);
    this.pump();
    return { jobId: w.job.id, runId, done: w.done };
  }

  stop(runId: number): boolean {
    const l = this.live.get(runId);
    if (l) {
      l.worker.postMessage({ type: 'stop' });
      return true;
    }
    const w = this.waiting.get(runId);
    if (!w) return false;
    this.waiting.delete(runId);
    this.stopPollingWhenIdle();
    unqueueRun(this.ctx.ws.db, runId, `stopped while queued; start it with "fea train <workspace> --resume ${runId}"`);
    w.job.stopped('stopped while queued');
    w.resolve(null);
    return true;
  }

  /** Resolves when the run's worker ends (null when it was stopped). */
  wait(runId: number): Promise<TrainResult | null> | null {
    return this.live.get(runId)?.done ?? this.waiting.get(runId)?.done ?? null;
  }

  isLive(runId: number): boolean {
    return this.live.has(runId);
  }

  isQueued(runId: number): boolean {
    return this.waiting.has(runId);
  }

  /** A queued run's job (status 'queued') and the promise of its result, settled once it has run. */
  private enqueue(runId: number): Waiting {
    const run = getRun(this.ctx.ws.db, runId)!;
    const job = this.ctx.jobs.start('train', run.total_steps, `${run.stage} run ${runId}: queued, waiting for a training slot`, 'queued');
    job.setRunId(runId);
    let resolve!: Waiting['resolve'];
    let reject!: Waiting['reject'];
    const done = new Promise<TrainResult | null>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // callers that do not await `done` must not see an unhandled rejection
    done.catch(() => undefined);
    job.signal.addEventListener('abort', () => this.stop(runId));
    const w: Waiting = { job, done, resolve, reject };
    this.waiting.set(runId, w);
    return w;
  }

  /**
   * Starts queued runs while slots are free: this process's own, and those left by a process that ended (a queued
   * run survives a restart). Called when a run is queued or ends, on runs.list, and by the poll while this process
   * has queued runs of its own.
   */
  pump(): void {
    if (this.closing) return;
    const db = this.ctx.ws.db;
    for (const runId of claimQueuedRuns(db, this.slots)) {
      const w = this.waiting.get(runId);
      this.waiting.delete(runId);
      const run = getRun(db, runId)!;
      try {
        const { done } = this.launch(runId, run.checkpoint_path !== null || run.step > 0, w?.job);
        if (w) done.then(w.resolve, w.reject);
      } catch (err) {
        w?.reject(err);
      }
    }
    if (this.waiting.size > 0 && this.poll === null) this.poll = setInterval(() => this.pump(), QUEUE_POLL_MS);
    this.stopPollingWhenIdle();
  }

  private stopPollingWhenIdle(): void {
    if (this.waiting.size === 0 && this.poll !== null) {
      clearInterval(this.poll);
      this.poll = null;
    }
  }

  private launch(runId: number, resume: boolean, queuedJob?: JobHandle): { jobId: string; done: Promise<TrainResult | null> } {
    const run = getRun(this.ctx.ws.db, runId)!;
    const job = queuedJob ?? this.ctx.jobs.start('train', run.total_steps, `${run.stage} run ${runId}`);
    if (queuedJob) job.begin(`${run.stage} run ${runId}`);
    else job.setRunId(runId);
    const request: WorkerRequest = { kind: 'train', wsDir: this.ctx.ws.dir, runId, resume };
    let worker: Worker;
    try {
      worker = new Worker(workerPath('services/training/worker'), { workerData: request });
    } catch (err) {
      updateRun(this.ctx.ws.db, runId, { status: 'failed', error: err instanceof Error ? err.message : String(err) });
      job.fail(err);
      throw err;
    }
    const done = new Promise<TrainResult | null>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        this.live.delete(runId);
        // The worker finishes on its own; it must never keep the process alive after its result.
        worker.unref();
        fn();
        // its slot is free: the next queued run starts
        this.pump();
      };
      // a job that was queued already stops through this.stop
      if (!queuedJob) job.signal.addEventListener('abort', () => worker.postMessage({ type: 'stop' }));
      worker.on('message', (msg: WorkerReply) => {
        switch (msg.type) {
          case 'metrics':
            this.ctx.events.publish({ type: 'run.metrics', runId, point: { step: msg.step, values: msg.values } });
            job.progress(msg.step, msg.totalSteps, `${run.stage} step ${msg.step}/${msg.totalSteps}`);
            break;
          case 'progress':
            job.progress(msg.step, msg.totalSteps);
            break;
          case 'status':
            job.progress(getRun(this.ctx.ws.db, runId)?.step ?? 0, undefined, msg.message);
            break;
          case 'stopped':
            job.stopped(`stopped at step ${msg.step}`);
            settle(() => resolve(null));
            break;
          case 'done':
            job.finish(`model ${msg.result.modelId}`);
            settle(() => resolve(msg.result));
            break;
          case 'error':
            job.fail(new Error(msg.message));
            settle(() => reject(new Error(msg.message)));
            break;
          default:
            break;
        }
      });
      worker.on('error', (err) => {
        updateRun(this.ctx.ws.db, runId, { status: 'failed', error: err.message });
        job.fail(err);
        settle(() => reject(err));
      });
      worker.on('exit', (code) => {
        if (!settled) {
          const message = `training worker exited with code ${code}`;
          updateRun(this.ctx.ws.db, runId, { status: 'failed', error: message });
          job.fail(new Error(message));
          settle(() => reject(new Error(message)));
        }
      });
    });
    // callers that do not await `done` must not see an unhandled rejection
    done.catch(() => undefined);
    this.live.set(runId, { worker, job, done });
    return { jobId: job.id, done };
  }

  /** Runs a one-off worker for eval or samples. */
  private oneOff<T>(request: Extract<WorkerRequest, { kind: 'eval' | 'samples' | 'suggest' }>, kind: 'eval', pick: (m: WorkerReply) => T | undefined): Promise<T> {
    const job = this.ctx.jobs.start(kind, 0, `${request.kind} model ${request.modelId}`);
    return new Promise<T>((resolve, reject) => {
      const worker = new Worker(workerPath('services/training/worker'), { workerData: request });
      let settled = false;
      worker.on('message', (msg: WorkerReply) => {
        if (msg.type === 'progress') job.progress(msg.step, msg.totalSteps);
        else if (msg.type === 'error') {
          settled = true;
          worker.unref();
          job.fail(new Error(msg.message));
          reject(new ApiError('failed', msg.message));
        } else {
          const v = pick(msg);
          if (v !== undefined) {
            settled = true;
            worker.unref();
            job.finish();
            resolve(v);
          }
        }
      });
      worker.on('error', (err) => {
        if (settled) return;
        settled = true;
        job.fail(err);
        reject(err);
      });
      worker.on('exit', (code) => {
        if (settled) return;
        settled = true;
        job.fail(new Error(`worker exited with code ${code}`));
        reject(new Error(`worker exited with code ${code}`));
      });
    });
  }

  evaluate(modelId: number, split: string, part: string): Promise<EvalReport> {
    this.checkModel(modelId, split);
    return this.oneOff({ kind: 'eval', wsDir: this.ctx.ws.dir, modelId, split, part }, 'eval', (m) => (m.type === 'eval' ? m.report : undefined));
  }

  samples(modelId: number, split: string, part: string, limit: number): Promise<SampleOutput[]> {
    this.checkModel(modelId, split);
    return this.oneOff({ kind: 'samples', wsDir: this.ctx.ws.dir, modelId, split, part, limit }, 'eval', (m) =>
      m.type === 'samples' ? m.samples : undefined,
    );
  }

  /** Writes a policy's suggestions for a split part; a held-out part only where the split allows suggestions there. */
  suggest(modelId: number, split: string, part: string): Promise<number> {
    this.checkModel(modelId, split);
    if (heldOutParts(this.ctx.ws.db, split).includes(part) && !splitsAllowingTestSuggestions(this.ctx.ws.db).includes(split)) {
      throw new ApiError('invalid_input', `part "${part}" of split "${split}" is held out for evaluation: allow suggestions there for this split in Settings first`);
    }
    return this.oneOff({ kind: 'suggest', wsDir: this.ctx.ws.dir, modelId, split, part }, 'eval', (m) => (m.type === 'suggested' ? m.written : undefined));
  }

  private checkModel(modelId: number, split: string): void {
    const m = getModel(this.ctx.ws.db, modelId);
    if (!m || m.kind !== 'policy' || !m.path) throw new ApiError('not_found', `model ${modelId} is not a trained reasoning policy`);
    if (!splitExists(this.ctx.ws.db, split)) throw new ApiError('not_found', `split "${split}" does not exist`);
  }

  /**
   * Stops every live run (process shutdown); resolves when their workers have checkpointed. Queued runs stay queued
   * (the next process on the workspace starts them); only this process's waiting on them ends.
   */
  async stopAll(): Promise<void> {
    this.closing = true;
    for (const w of this.waiting.values()) w.resolve(null);
    this.waiting.clear();
    this.stopPollingWhenIdle();
    const waits = [...this.live.entries()].map(([runId, l]) => {
      this.stop(runId);
      return l.done.catch(() => null);
    });
    await Promise.all(waits);
  }
}

const services = new WeakMap<ServiceContext, TrainingService>();

export function trainingService(ctx: ServiceContext): TrainingService {
  let s = services.get(ctx);
  if (!s) services.set(ctx, (s = new TrainingService(ctx)));
  return s;
}

