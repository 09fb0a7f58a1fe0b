/** Training runs and their per-step metrics. One transaction per logical change; metrics rows are idempotent per step. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type Database from 'better-sqlite3';
import type { RunStage, RunStatus } from '../../pipelines/facs/vocabulary';
import { z } from 'zod';
import { nowIso, parseStored, stmt } from './statements';

// JSON has no NaN or Infinity: a metric that was one is stored as null, and read as absent.
const MetricsSchema = z
  .record(z.string(), z.number().nullable())
  .transform((m) => Object.fromEntries(Object.entries(m).filter((e): e is [string, number] => e[1] !== null)));

export type { RunStage, RunStatus };

export interface RunRow {
  id: number;
  stage: RunStage;
  status: RunStatus;
  split: string;
  seed: number;
  backend: string;
  config: string;
  step: number;
  total_steps: number;
  checkpoint_path: string | null;
  model_id: number | null;
  parent_model_id: number | null;
  error: string | null;
  created_at: string;
  updated_at: string;
  /** The process that runs a 'running' run; null once it leaves 'running' (and on rows from before migration 3). */
  owner_host: string | null;
  owner_pid: number | null;
  owner_boot: string | null;
  /** The finished run's result summary (JSON object); '{}' until the run is done (and on runs from before migration 4). */
  summary: string;
}

export interface NewRun {
  stage: RunStage;
  split: string;
  seed: number;
  backend: string;
  config: Record<string, unknown>;
  totalSteps?: number;
  parentModelId?: number | null;
  /** 'queued' waits for a training slot (claimQueuedRuns); default 'running'. */
  status?: 'queued' | 'running';
}

let bootId: string | null | undefined;

/** Linux's id of the current boot: after a power loss the recorded pid may belong to an unrelated process. */
function currentBoot(): string | null {
  if (bootId === undefined) {
    try {
      bootId = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      bootId = null;
    }
  }
  return bootId;
}

/** This process as a run owner. Worker threads share their process's pid, so they own runs as the process does. */
export function currentOwner(): { host: string; pid: number; boot: string | null } {
  return { host: os.hostname(), pid: process.pid, boot: currentBoot() };
}

export function createRun(db: Database.Database, run: NewRun): number {
  const now = nowIso();
  const me = currentOwner();
  const info = stmt(
    db,
    `INSERT INTO runs (stage, status, split, seed, backend, config, step, total_steps, parent_model_id, created_at, updated_at, owner_host, owner_pid, owner_boot)
     VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(run.stage, run.status ?? 'running', run.split, run.seed, run.backend, JSON.stringify(run.config), run.totalSteps ?? 0, run.parentModelId ?? null, now, now, me.host, me.pid, me.boot);
  return Number(info.lastInsertRowid);
}

export function getRun(db: Database.Database, id: number): RunRow | undefined {
  return stmt(db, 'SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
}

export function listRuns(db: Database.Database): RunRow[] {
  return stmt(db, 'SELECT * FROM runs ORDER BY id DESC').all() as RunRow[];
}

export function updateRun(
  db: Database.Database,
  id: number,
  patch: Partial<Pick<RunRow, 'status' | 'backend' | 'step' | 'total_steps' | 'checkpoint_path' | 'model_id' | 'error' | 'config' | 'summary'>>,
): void {
  const keys = Object.keys(patch) as (keyof typeof patch)[];
  if (keys.length === 0) return;
  const values: unknown[] = keys.map((k) => patch[k] ?? null);
  let sets = keys.map((k) => `${k} = ?`).join(', ');
  // A status change moves ownership: 'running' (and 'queued': who waits for it) belongs to this process, any other to nobody.
  if (patch.status !== undefined) {
    const me = patch.status === 'running' || patch.status === 'queued' ? currentOwner() : null;
    sets += ', owner_host = ?, owner_pid = ?, owner_boot = ?';
    values.push(me?.host ?? null, me?.pid ?? null, me?.boot ?? null);
  }
  stmt(db, `UPDATE runs SET ${sets}, updated_at = ? WHERE id = ?`).run(...values, nowIso(), id);
}

/** kill(pid, 0): ESRCH means no such process; EPERM (someone else's process) and success mean it exists. */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

export type OwnerCols = Pick<RunRow, 'owner_host' | 'owner_pid' | 'owner_boot'>;

/** Whether a 'running' run's owner is known to be gone. Another host's processes cannot be checked: never orphaned. */
export function ownerGone(r: OwnerCols, me: ReturnType<typeof currentOwner>): boolean {
  if (r.owner_host === null || r.owner_pid === null) return true;
  if (r.owner_host !== me.host) return false;
  if (r.owner_boot !== null && me.boot !== null && r.owner_boot !== me.boot) return true;
  if (r.owner_pid === me.pid) return false;
  if (!Number.isInteger(r.owner_pid) || r.owner_pid <= 0) return true;
  return !pidAlive(r.owner_pid);
}

/** A 'running' run held by a live process on this host (this one included): resuming it would run it twice. */
export function runHeldOnThisHost(r: RunRow): boolean {
  const me = currentOwner();
  return r.status === 'running' && r.owner_host === me.host && !ownerGone(r, me);
}

/**
 * Marks the 'running' rows of `table` whose process ended (killed, crashed, power loss) as 'stopped', with the error
 * `why(row)` says; returns their ids. Rows of live processes, of this process and of other hosts are left alone. The
 * checks read first; the writes are one transaction and only apply to rows still held by the same dead owner.
 */
export function reapOrphans<T extends Record<string, unknown>>(
  db: Database.Database,
  table: 'runs' | 'rounds',
  columns: readonly (keyof T & string)[],
  why: (row: OwnerCols & { id: number } & T) => string,
): number[] {
  if (db.readonly) return [];
  const me = currentOwner();
  const running = stmt(db, `SELECT ${['id', ...columns, 'owner_host', 'owner_pid', 'owner_boot'].join(', ')} FROM ${table} WHERE status = 'running'`).all() as (OwnerCols & {
    id: number;
  } & T)[];
  const orphans = running.filter((r) => ownerGone(r, me));
  if (orphans.length === 0) return [];
  const reap = stmt(
    db,
    `UPDATE ${table} SET status = 'stopped', error = ?, owner_host = NULL, owner_pid = NULL, owner_boot = NULL, updated_at = ?
     WHERE id = ? AND status = 'running' AND owner_host IS ? AND owner_pid IS ? AND owner_boot IS ?`,
  );
  return db.transaction(() => {
    const now = nowIso();
    return orphans.filter((r) => reap.run(why(r), now, r.id, r.owner_host, r.owner_pid, r.owner_boot).changes > 0).map((r) => r.id);
  }).immediate();
}

/** Orphaned runs (reapOrphans), each told how to resume at the step it reached. */
export function reapOrphanedRuns(db: Database.Database): number[] {
  const dir = path.dirname(db.name);
  const ws = /\s/.test(dir) ? `'${dir}'` : dir;
  return reapOrphans<{ step: number }>(db, 'runs', ['step'], (r) => `interrupted: the process running it ended at step ${r.step}; resume with "fea train ${ws} --resume ${r.id}"`);
}

/**
 * Moves the oldest queued runs this process may start into 'running' (owned by this process) while fewer than
 * `slots` run, and returns their ids. A queued run belongs to the process waiting for it (`fea train` polls for its
 * own); one whose process is gone (a restart) is anyone's. Count and claim are one transaction, so two processes
 * cannot both fill the last slot.
 */
export function claimQueuedRuns(db: Database.Database, slots: number): number[] {
  if (db.readonly) return [];
  // the common case (nothing queued) takes no write lock
  if (!stmt(db, "SELECT 1 FROM runs WHERE status = 'queued' LIMIT 1").get()) return [];
  reapOrphanedRuns(db);
  const me = currentOwner();
  return db.transaction(() => {
    const running = (stmt(db, "SELECT COUNT(*) AS n FROM runs WHERE status = 'running'").get() as { n: number }).n;
    if (running >= slots) return [];
    const queued = stmt(db, "SELECT id, owner_host, owner_pid, owner_boot FROM runs WHERE status = 'queued' ORDER BY id").all() as (OwnerCols & { id: number })[];
    const mine = (r: OwnerCols) => r.owner_host === me.host && r.owner_pid === me.pid && (r.owner_boot ?? null) === me.boot;
    const claim = stmt(
      db,
      `UPDATE runs SET status = 'running', owner_host = ?, owner_pid = ?, owner_boot = ?, updated_at = ? WHERE id = ? AND status = 'queued'`,
    );
    const now = nowIso();
    return queued
      .filter((r) => mine(r) || ownerGone(r, me))
      .slice(0, slots - running)
      .filter((r) => claim.run(me.host, me.pid, me.boot, now, r.id).changes > 0)
      .map((r) => r.id);
  }).immediate();
}

/** A queued run taken out of the queue (stopped before it started); false when it is no longer queued. */
export function unqueueRun(db: Database.Database, id: number, error: string): boolean {
  return (
    stmt(
      db,
      "UPDATE runs SET status = 'stopped', error = ?, owner_host = NULL, owner_pid = NULL, owner_boot = NULL, updated_at = ? WHERE id = ? AND status = 'queued'",
    ).run(error, nowIso(), id).changes > 0
  );
}

/** A step's metrics and the run's progress, in one transaction. */
export function recordStep(db: Database.Database, runId: number, step: number, totalSteps: number, metrics: Record<string, number>): void {
  db.transaction(() => {
    stmt(db, 'INSERT OR REPLACE INTO run_metrics (run_id, step, metrics) VALUES (?, ?, ?)').run(runId, step, JSON.stringify(metrics));
    stmt(db, 'UPDATE runs SET step = ?, total_steps = ?, updated_at = ? WHERE id = ?').run(step, totalSteps, nowIso(), runId);
  })();
}

/** Drops metrics after `step` (a resumed run recomputes them from its checkpoint). */
export function truncateMetrics(db: Database.Database, runId: number, step: number): void {
  stmt(db, 'DELETE FROM run_metrics WHERE run_id = ? AND step > ?').run(runId, step);
}

export function listMetrics(db: Database.Database, runId: number): { step: number; values: Record<string, number> }[] {
  const rows = stmt(db, 'SELECT step, metrics FROM run_metrics WHERE run_id = ? ORDER BY step').all(runId) as { step: number; metrics: string }[];
  return rows.map((r) => ({ step: r.step, values: parseStored(MetricsSchema, r.metrics, 'run metrics', `run ${runId} step ${r.step}`) ?? {} }));
}

/**
 * Deletes a failed or stopped run that produced no model and no iteration names, with its metrics: true when deleted.
 * A run something depends on is kept (its row is the provenance of that model or iteration).
 */
export function deleteUnusedRun(db: Database.Database, id: number): { deleted: boolean; reason?: string } {
  return db.transaction(() => {
    const r = getRun(db, id);
    if (!r) return { deleted: false, reason: `run ${id} does not exist` };
    if (r.status !== 'failed' && r.status !== 'stopped') return { deleted: false, reason: `run ${id} is ${r.status}: only failed or stopped runs can be deleted` };
    if (r.model_id !== null || stmt(db, 'SELECT 1 FROM models WHERE run_id = ?').get(id)) return { deleted: false, reason: `run ${id} produced a model: it is kept as that model's provenance` };
    if (stmt(db, 'SELECT 1 FROM iterations WHERE sft_run_id = ? OR rl_run_id = ?').get(id, id)) return { deleted: false, reason: `run ${id} is a step of an iteration: it is kept` };
    stmt(db, 'DELETE FROM run_metrics WHERE run_id = ?').run(id);
    stmt(db, 'DELETE FROM runs WHERE id = ?').run(id);
    return { deleted: true };
  })();
}
