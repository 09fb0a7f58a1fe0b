/**
 * Splits a dataset brings with it (FER2013's Usage, RAF-DB's train_/test_ prefixes): created by the import,
 * filled batch by batch inside the import's transactions, and summarised when the import ends.
 */
import type Database from 'better-sqlite3';
import { named } from './named';
import { nowIso, stmt } from './statements';

/** The id of the split `name`, created empty with `config` when there is none. */
export function ensureDatasetSplit(db: Database.Database, name: string, config: Record<string, unknown>): number {
  const found = stmt(db, 'SELECT id FROM splits WHERE name = ?').get(name) as { id: number } | undefined;
  if (found) return found.id;
  const empty = { parts: {}, maxStratDeviation: 0, sharedSubjects: 0, fractions: {} };
  const info = stmt(db, 'INSERT INTO splits (name, config, summary, created_at) VALUES (?, ?, ?, ?)').run(name, JSON.stringify(config), JSON.stringify(empty), nowIso());
  return Number(info.lastInsertRowid);
}

/** Puts a record in a part; a record already in the split keeps its part (a re-import changes nothing). */
export function assignDatasetPart(db: Database.Database, splitId: number, recordId: string, part: string): void {
  stmt(db, 'INSERT OR IGNORE INTO split_assignments (split_id, record_id, part) VALUES (?, ?, ?)').run(splitId, recordId, part);
}

/** Records per part and current emotion ('' for none). */
export function datasetSplitCounts(db: Database.Database, splitId: number): { part: string; emotion: string; n: number }[] {
  return named(
    db,
    'splits.datasetCounts',
    `SELECT sa.part, COALESCE(r.emotion, '') AS emotion, COUNT(*) AS n FROM split_assignments sa JOIN records r ON r.id = sa.record_id
     WHERE sa.split_id = ? GROUP BY sa.part, r.emotion ORDER BY sa.part, r.emotion`,
  ).all<{ part: string; emotion: string; n: number }>(splitId);
}

export function setSplitSummary(db: Database.Database, splitId: number, summary: unknown): void {
  stmt(db, 'UPDATE splits SET summary = ? WHERE id = ?').run(JSON.stringify(summary), splitId);
}
