/** Named splits: a config, a summary, and one (record → part) assignment per record. */
import type Database from 'better-sqlite3';
import { named } from './named';
import { nowIso, parseJson, stmt } from './statements';

export interface SplitRowDb {
  id: number;
  name: string;
  config: string;
  summary: string;
  created_at: string;
}

/** A split row; config and summary are the stored JSON as unknown values, for services/splits to parse with their schemas. */
export interface StoredSplit {
  id: number;
  name: string;
  config: unknown;
  summary: unknown;
  createdAt: string;
}

function toStored(r: SplitRowDb): StoredSplit {
  return { id: r.id, name: r.name, config: parseJson<unknown>(r.config, {}), summary: parseJson<unknown>(r.summary, {}), createdAt: r.created_at };
}

export function getSplit(db: Database.Database, name: string): StoredSplit | undefined {
  const r = stmt(db, 'SELECT * FROM splits WHERE name = ?').get(name) as SplitRowDb | undefined;
  return r ? toStored(r) : undefined;
}

export function listSplits(db: Database.Database): StoredSplit[] {
  return (stmt(db, 'SELECT * FROM splits ORDER BY created_at, id').all() as SplitRowDb[]).map(toStored);
}

/** Inserts a split with its assignments (caller supplies the transaction). */
export function insertSplit(
  db: Database.Database,
  name: string,
  config: unknown,
  summary: unknown,
  assignments: Iterable<[recordId: string, part: string]>,
  createdAt = nowIso(),
): number {
  const info = stmt(db, 'INSERT INTO splits (name, config, summary, created_at) VALUES (?, ?, ?, ?)').run(name, JSON.stringify(config), JSON.stringify(summary), createdAt);
  const id = Number(info.lastInsertRowid);
  const ins = stmt(db, 'INSERT INTO split_assignments (split_id, record_id, part) VALUES (?, ?, ?)');
  for (const [recordId, part] of assignments) ins.run(id, recordId, part);
  return id;
}

export function splitAssignments(db: Database.Database, splitId: number): Map<string, string> {
  const rows = stmt(db, 'SELECT record_id, part FROM split_assignments WHERE split_id = ?').all(splitId) as { record_id: string; part: string }[];
  return new Map(rows.map((r) => [r.record_id, r.part]));
}

export function recordSplits(db: Database.Database, recordId: string): { name: string; part: string }[] {
  return stmt(db, 'SELECT s.name, sa.part FROM split_assignments sa JOIN splits s ON s.id = sa.split_id WHERE sa.record_id = ? ORDER BY s.name').all(recordId) as {
    name: string;
    part: string;
  }[];
}

/** The most recently created split (the one records.csv reports parts of). */
export function newestSplit(db: Database.Database): { id: number; name: string } | undefined {
  return named(db, 'splits.newest', 'SELECT id, name FROM splits ORDER BY created_at DESC, id DESC LIMIT 1').get<{ id: number; name: string }>();
}

/** Records a split is made of: a current emotion and status labeled, weak or reviewed; by id, with their subject. */
export function splittableRecords(db: Database.Database): { id: string; label: string; subject: string | null }[] {
  return named(
    db,
    'splits.splittableRecords',
    `SELECT r.id, r.emotion AS label, i.subject FROM records r JOIN images i ON i.id = r.image_id
     WHERE r.status IN ('labeled', 'weak', 'reviewed') AND r.emotion IS NOT NULL ORDER BY r.id`,
  ).all<{ id: string; label: string; subject: string | null }>();
}
