import type Database from 'better-sqlite3';

/**
 * Composite indexes for the labeling list's common "status filter + sort" pages (queue of unlabeled records
 * by emotion or by recency), so paging 100k records does not sort the whole status set.
 */
export function up(db: Database.Database): void {
  db.exec(`
    CREATE INDEX records_status_emotion ON records (status, emotion, id);
    CREATE INDEX records_status_updated ON records (status, updated_at, id);
    CREATE INDEX records_emotion_updated ON records (emotion, updated_at, id);
  `);
}
