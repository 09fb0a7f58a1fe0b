import type Database from 'better-sqlite3';

/**
 * A finished run's result summary (JSON): which step's weights the model holds, the held-out validation scores,
 * the train-reward probes, the last step's metrics and the eval's scalars. Written with status 'done'; '{}' for
 * runs that have not finished and for runs finished before this migration.
 */
export function up(db: Database.Database): void {
  db.exec(`ALTER TABLE runs ADD COLUMN summary TEXT NOT NULL DEFAULT '{}';`);
}
