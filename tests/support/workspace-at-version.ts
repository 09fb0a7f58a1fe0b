/** Workspaces as an older release left them, for migration tests. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { DB_FILE } from '../../db/open';
import { MIGRATIONS } from '../../db/migrations';
import { tempDir } from './facial-r1';

/** A new workspace folder whose database has the migrations up to `version` only, then `fill` run on it. */
export function workspaceAtVersion(version: number, fill: (db: Database.Database) => void): string {
  const dir = path.join(tempDir(), `v${version}`);
  fs.mkdirSync(dir);
  const db = new Database(path.join(dir, DB_FILE));
  try {
    for (const m of MIGRATIONS.filter((m) => m.version <= version)) m.up(db);
    db.pragma(`user_version = ${version}`);
    fill(db);
  } finally {
    db.close();
  }
  return dir;
}

/** A runs row with only the columns every schema version has. */
export function insertPlainRun(db: Database.Database, run: { stage: 'sft' | 'rl'; status: string; step: number; totalSteps: number }): void {
  const now = new Date().toISOString();
  db.prepare(
    "INSERT INTO runs (stage, status, split, seed, backend, config, step, total_steps, created_at, updated_at) VALUES (?, ?, 's', 1, 'cpu', '{}', ?, ?, ?, ?)",
  ).run(run.stage, run.status, run.step, run.totalSteps, now, now);
}
