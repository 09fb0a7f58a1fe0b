/** Iterations of the data engine: SFT on a snapshot → RL → a synthesis round → the lead's approval → the next one. */
import type Database from 'better-sqlite3';
import type { IterationStep } from '../../pipelines/facs/vocabulary';
import { named } from './named';
import { nowIso, stmt } from './statements';


export interface IterationRow {
  id: number;
  split: string;
  number: number;
  rounds_total: number;
  step: IterationStep;
  snapshot_id: number | null;
  sft_run_id: number | null;
  rl_run_id: number | null;
  round_id: number | null;
  next_snapshot_id: number | null;
  config: string;
  error: string | null;
  created_at: string;
  updated_at: string;
}

export function createIteration(db: Database.Database, it: { split: string; number: number; roundsTotal: number; snapshotId: number | null; config: unknown }): number {
  const now = nowIso();
  const info = stmt(
    db,
    `INSERT INTO iterations (split, number, rounds_total, step, snapshot_id, config, created_at, updated_at) VALUES (?, ?, ?, 'sft', ?, ?, ?, ?)`,
  ).run(it.split, it.number, it.roundsTotal, it.snapshotId, JSON.stringify(it.config), now, now);
  return Number(info.lastInsertRowid);
}

export function getIteration(db: Database.Database, id: number): IterationRow | undefined {
  return stmt(db, 'SELECT * FROM iterations WHERE id = ?').get(id) as IterationRow | undefined;
}

/** The newest iteration of a split. */
export function latestIteration(db: Database.Database, split: string): IterationRow | undefined {
  return stmt(db, 'SELECT * FROM iterations WHERE split = ? ORDER BY id DESC LIMIT 1').get(split) as IterationRow | undefined;
}

export function listIterationRows(db: Database.Database): IterationRow[] {
  return named(db, 'iterations.list', 'SELECT * FROM iterations ORDER BY id').all<IterationRow>();
}

export interface IterationPatch {
  step?: IterationStep;
  snapshot_id?: number;
  sft_run_id?: number;
  rl_run_id?: number;
  round_id?: number;
  next_snapshot_id?: number;
  error?: string | null;
}

export function updateIteration(db: Database.Database, id: number, patch: IterationPatch): void {
  const cols = Object.keys(patch) as (keyof IterationPatch)[];
  if (!cols.length) return;
  // column names come from IterationPatch's keys, never from input
  stmt(db, `UPDATE iterations SET ${cols.map((c) => `${c} = ?`).join(', ')}, updated_at = ? WHERE id = ?`).run(...cols.map((c) => patch[c] ?? null), nowIso(), id);
}
