import type Database from 'better-sqlite3';

const BEFORE = "status TEXT NOT NULL CHECK (status IN ('running', 'stopped', 'done', 'failed'))";
const AFTER = "status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'stopped', 'done', 'failed'))";

/**
 * Runs may wait for a free training slot: status 'queued'. Only the CHECK's list widens, which every stored row
 * already meets and which changes nothing on disk, so this is SQLite's documented in-place schema edit
 * (writable_schema + a schema_version bump, inside the migration's transaction) rather than a table rebuild: a
 * rebuild needs foreign keys off, which cannot change inside a transaction, and run_metrics, models and predictions
 * refer to runs. better-sqlite3's defensive mode forbids the edit; it is lifted for these statements only.
 */
export function up(db: Database.Database): void {
  const row = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'runs'").get() as { sql: string } | undefined;
  if (!row || !row.sql.includes(BEFORE)) throw new Error('migration 6: the runs table does not have the status list it expects');
  const version = db.pragma('schema_version', { simple: true }) as number;
  db.unsafeMode(true);
  try {
    db.pragma('writable_schema = ON');
    db.prepare("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'runs'").run(row.sql.replace(BEFORE, AFTER));
    db.pragma(`schema_version = ${version + 1}`);
  } finally {
    db.pragma('writable_schema = OFF');
    db.unsafeMode(false);
  }
  const check = db.pragma('quick_check', { simple: true });
  if (check !== 'ok') throw new Error(`migration 6: the schema check after widening runs.status failed: ${String(check)}`);
}
