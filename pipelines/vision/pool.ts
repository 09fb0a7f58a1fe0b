/** A pool of analysis worker threads (one per core by default), each with its own face-api and tfjs backend. */
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerPath } from '../runtime/worker-path';
import type { AnalyzeOptions, AnalysisResult } from './analyze';
import type { AnalyzeRequest, WorkerMessage } from './analyze-worker';

interface Task {
  id: number;
  bytes: ArrayBuffer;
  options: AnalyzeOptions;
  resolve: (r: AnalysisResult) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<string>;
  started: boolean;
  busy: Task | null;
}

export interface PoolOptions {
  workers?: number;
}

export function defaultWorkerCount(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

export class AnalyzerPool {
  readonly size: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;
  private backendName = 'unknown';

  constructor(options: PoolOptions = {}) {
    this.size = Math.max(1, Math.floor(options.workers ?? defaultWorkerCount()));
    for (let i = 0; i < this.size; i++) this.slots.push(this.spawn());
  }

  /** Resolves with the backend once every worker has loaded face-api. */
  async ready(): Promise<string> {
    const names = await Promise.all(this.slots.map((s) => s.ready));
    this.backendName = names[0];
    return this.backendName;
  }

  get backend(): string {
    return this.backendName;
  }

  /** Analyses one image; the ArrayBuffer is transferred to the worker (detached here). Never rejects. */
  analyze(bytes: ArrayBuffer, options: AnalyzeOptions = {}): Promise<AnalysisResult> {
    if (this.closed) return Promise.resolve({ ok: false, code: 'error', error: 'analyzer pool is closed', backend: this.backendName });
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, bytes, options, resolve });
      this.pump();
    });
  }

  /** Tasks queued or running. */
  get pending(): number {
    return this.queue.length + this.slots.filter((s) => s.busy).length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.resolve({ ok: false, code: 'error', error: 'analysis stopped', backend: this.backendName });
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(workerPath('pipelines/vision/analyze-worker'));
    const slot: Slot = { worker, busy: null, started: false, ready: Promise.resolve('') };
    slot.ready = new Promise<string>((resolve, reject) => {
      worker.on('message', (msg: WorkerMessage) => {
        if (msg.type === 'ready') {
          slot.started = true;
          this.backendName = msg.backend;
          resolve(msg.backend);
          this.pump();
        } else if (msg.type === 'init-error') {
          const err = new Error(`analysis worker failed to start: ${msg.error}`);
          reject(err);
          this.replace(slot, err);
        } else if (msg.type === 'result') {
          const task = slot.busy;
          slot.busy = null;
          if (task && task.id === msg.id) task.resolve(msg.result);
          this.pump();
        }
      });
      worker.on('error', (err) => {
        reject(err);
        this.replace(slot, err);
      });
      worker.on('exit', (code) => {
        if (!this.closed) this.replace(slot, new Error(`analysis worker exited with code ${code}`));
      });
    });
    slot.ready.catch(() => undefined);
    return slot;
  }

  /** A crashed worker fails only the image it held; a fresh one takes its place. */
  private replace(slot: Slot, err: Error): void {
    const i = this.slots.indexOf(slot);
    if (i < 0 || this.closed) return;
    const task = slot.busy;
    slot.busy = null;
    task?.resolve({ ok: false, code: 'error', error: `analysis worker crashed: ${err.message}`, backend: this.backendName });
    slot.worker.removeAllListeners();
    void slot.worker.terminate();
    if (!slot.started) {
      // A worker that cannot even load face-api will not do better on a retry: fail what is queued.
      this.closed = true;
      for (const t of this.queue.splice(0)) t.resolve({ ok: false, code: 'error', error: err.message, backend: this.backendName });
      return;
    }
    this.slots[i] = this.spawn();
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.busy) continue;
      // Only hand work to workers that finished loading.
      void slot.ready.then(
        () => this.dispatch(slot),
        () => undefined,
      );
    }
  }

  private dispatch(slot: Slot): void {
    if (slot.busy || this.queue.length === 0 || this.closed) return;
    const task = this.queue.shift()!;
    slot.busy = task;
    const req: AnalyzeRequest = { id: task.id, bytes: task.bytes, options: task.options };
    slot.worker.postMessage(req, [task.bytes]);
  }
}
