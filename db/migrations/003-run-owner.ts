import type Database from 'better-sqlite3';

/**
 * Who runs a 'running' run: its host, process id and boot (Linux boot_id), so a run whose process was killed
 * (kill -9, crash, power loss) can be told apart from a live one and marked stopped. Cleared when the run leaves
 * 'running'. Rows from before this migration have no owner; the reaper treats a 'running' one as interrupted.
 */
export function up(db: Database.Database): void {
  db.exec(`
    ALTER TABLE runs ADD COLUMN owner_host TEXT;
    ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
    ALTER TABLE runs ADD COLUMN owner_boot TEXT;
  `);
}
