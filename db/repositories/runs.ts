/** Training runs and their per-step metrics. One transaction per logical change; metrics rows are idempotent per step. */
import type Database from 'better-sqlite3';
import { nowIso, parseJson, stmt } from './statements';

export type RunStage = 'sft' | 'rl';
export type RunStatus = 'running' | 'stopped' | 'done' | 'failed';

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
}

export interface NewRun {
  stage: RunStage;
  split: string;
  seed: number;
  backend: string;
  config: Record<string, unknown>;
  totalSteps?: number;
  parentModelId?: number | null;
}

export function createRun(db: Database.Database, run: NewRun): number {
  const now = nowIso();
  const info = stmt(
    db,
    `INSERT INTO runs (stage, status, split, seed, backend, config, step, total_steps, parent_model_id, created_at, updated_at)
     VALUES (?, 'running', ?, ?, ?, ?, 0, ?, ?, ?, ?)`,
  ).run(run.stage, run.split, run.seed, run.backend, JSON.stringify(run.config), run.totalSteps ?? 0, run.parentModelId ?? null, now, now);
  return Number(info.lastInsertRowid);
}

export function getRun(db: Database.Database, id: number): RunRow | undefined {
  return stmt(db, 'SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
}

export function listRuns(db: Database.Database): RunRow[] {
  return stmt(db, 'SELECT * FROM runs ORDER BY id DESC').all() as RunRow[];
}

export function runConfig(row: RunRow): Record<string, unknown> {
  return parseJson<Record<string, unknown>>(row.config, {});
}

export function updateRun(
  db: Database.Database,
  id: number,
  patch: Partial<Pick<RunRow, 'status' | 'backend' | 'step' | 'total_steps' | 'checkpoint_path' | 'model_id' | 'error' | 'config'>>,
): void {
  const keys = Object.keys(patch) as (keyof typeof patch)[];
  if (keys.length === 0) return;
  const sets = keys.map((k) => `${k} = ?`).join(', ');
  stmt(db, `UPDATE runs SET ${sets}, updated_at = ? WHERE id = ?`).run(...keys.map((k) => patch[k] ?? null), nowIso(), id);
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
  return rows.map((r) => ({ step: r.step, values: parseJson<Record<string, number>>(r.metrics, {}) }));
}
