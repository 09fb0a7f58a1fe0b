import type Database from 'better-sqlite3';

/**
 * Each record's decisions not undone, by id: the latest of them says whether the record is skipped (the queue's
 * `skipped` filter and the dashboard's count), read as a covering scan instead of the whole decisions table.
 */
export function up(db: Database.Database): void {
  db.exec('CREATE INDEX decisions_open_by_record ON decisions (record_id, id) WHERE undone_at IS NULL;');
}
