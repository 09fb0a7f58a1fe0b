import type Database from 'better-sqlite3';

/**
 * The policy's frozen expression features per analysed image (pipelines/vision/expression-features.ts): one or more
 * views of little-endian float32 vectors, back to back; NULL for analyses made before this column existed.
 */
export function up(db: Database.Database): void {
  db.exec('ALTER TABLE analyses ADD COLUMN expression_features BLOB');
}
