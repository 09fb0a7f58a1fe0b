/** The workspace's label vocabularies (emotions, AUs), in display order. */
import type Database from 'better-sqlite3';
import { stmt } from './statements';

export function vocabulary(db: Database.Database, kind: 'emotion' | 'au'): string[] {
  return (stmt(db, 'SELECT label FROM vocabulary WHERE kind = ? ORDER BY position, label').all(kind) as { label: string }[]).map((r) => r.label);
}

/** Appends labels not yet in the vocabulary; returns those added. */
export function extendVocabulary(db: Database.Database, kind: 'emotion' | 'au', labels: Iterable<string>): string[] {
  const known = new Set(vocabulary(db, kind));
  let pos = ((stmt(db, 'SELECT MAX(position) AS p FROM vocabulary WHERE kind = ?').get(kind) as { p: number | null }).p ?? -1) + 1;
  const added: string[] = [];
  for (const l of labels) {
    if (known.has(l)) continue;
    stmt(db, 'INSERT INTO vocabulary (kind, label, position) VALUES (?, ?, ?)').run(kind, l, pos++);
    known.add(l);
    added.push(l);
  }
  return added;
}

export function getMeta(db: Database.Database, key: string): string | undefined {
  return (stmt(db, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}

export function setMeta(db: Database.Database, key: string, value: string): void {
  stmt(db, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}
