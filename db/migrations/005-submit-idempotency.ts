import type Database from 'better-sqlite3';

/**
 * A submit's idempotency key (client-generated, the same on its retries) is stored with its decision; the UNIQUE
 * index makes a repeated key impossible to store twice, so a retry whose first reply was lost finds the first
 * decision instead of adding a second revision. NULL for skips and for submits sent without a key.
 */
export function up(db: Database.Database): void {
  db.exec(`
    ALTER TABLE decisions ADD COLUMN idempotency_key TEXT;
    CREATE UNIQUE INDEX decisions_idempotency_key ON decisions (idempotency_key) WHERE idempotency_key IS NOT NULL;
  `);
}
