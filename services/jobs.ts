/** Long-running jobs (analysis, training, import, export): progress, cancellation, and their events. */
import { randomUUID } from 'node:crypto';
import type { Job, JobKind, JobResult } from '../contract/types';
import type { EventBus } from './events';

export interface JobHandle {
  readonly id: string;
  readonly signal: AbortSignal;
  progress(done: number, total?: number, message?: string, counters?: Record<string, number>): void;
  finish(message?: string, result?: JobResult): void;
  fail(error: unknown): void;
  /** Marks the job stopped (after a cancel was honoured). */
  stopped(message?: string, result?: JobResult): void;
  setRunId(runId: number): void;
  /** A job started as queued (waiting for a slot) begins running. */
  begin(message?: string): void;
}

export class JobRegistry {
  private readonly jobs = new Map<string, { job: Job; controller: AbortController }>();
  private lastEmit = new Map<string, number>();

  constructor(private readonly events: EventBus) {}

  start(kind: JobKind, total = 0, message = '', status: 'running' | 'queued' = 'running'): JobHandle {
    const id = randomUUID();
    const controller = new AbortController();
    const job: Job = { id, kind, status, done: 0, total, message, startedAt: new Date().toISOString() };
    this.jobs.set(id, { job, controller });
    this.emit(job, true);
    const update = (patch: Partial<Job>, force = false) => {
      Object.assign(job, patch);
      this.emit(job, force);
    };
    return {
      id,
      signal: controller.signal,
      progress: (done, t, msg, counters) => update({ done, total: t ?? job.total, message: msg ?? job.message, ...(counters ? { counters } : {}) }),
      finish: (msg, result) => update({ status: 'done', done: job.total || job.done, message: msg ?? job.message, ...(result ? { result } : {}) }, true),
      fail: (err) => update({ status: 'failed', message: err instanceof Error ? err.message : String(err) }, true),
      stopped: (msg, result) => update({ status: 'stopped', message: msg ?? 'stopped', ...(result ? { result } : {}) }, true),
      setRunId: (runId) => update({ runId }, true),
      begin: (msg) => update({ status: 'running', message: msg ?? job.message }, true),
    };
  }

  list(): Job[] {
    return [...this.jobs.values()].map((j) => ({ ...j.job })).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  get(id: string): Job | undefined {
    const j = this.jobs.get(id);
    return j ? { ...j.job } : undefined;
  }

  cancel(id: string): boolean {
    const j = this.jobs.get(id);
    if (!j || (j.job.status !== 'running' && j.job.status !== 'queued')) return false;
    j.controller.abort();
    return true;
  }

  /** Progress events are throttled to ~10/s per job; state changes always go out. */
  private emit(job: Job, force: boolean): void {
    const now = Date.now();
    if (!force && now - (this.lastEmit.get(job.id) ?? 0) < 100) return;
    this.lastEmit.set(job.id, now);
    this.events.publish({ type: 'job.progress', job: { ...job } });
  }
}
