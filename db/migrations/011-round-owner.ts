import type Database from 'better-sqlite3';

/**
 * Who runs a round, as runs have had since 003-run-owner: a 'running' round whose process is gone (killed, crashed,
 * power loss) is found and marked stopped, so it can be resumed; one that a live process holds is not started twice.
 */
export function up(db: Database.Database): void {
  db.exec(`
    ALTER TABLE rounds ADD COLUMN owner_host TEXT;
    ALTER TABLE rounds ADD COLUMN owner_pid INTEGER;
    ALTER TABLE rounds ADD COLUMN owner_boot TEXT;
  `);
}
