/** What `fea check` and the quick check at open read: SQLite's own consistency checks and the media each row names. */
import type Database from 'better-sqlite3';

/** PRAGMA integrity_check (or quick_check): the problems found, [] when the database is sound. */
export function integrityProblems(db: Database.Database, quick: boolean): string[] {
  try {
    const rows = db.pragma(quick ? 'quick_check' : 'integrity_check') as Record<string, string>[];
    const messages = rows.map((r) => String(Object.values(r)[0]));
    return messages.length === 1 && messages[0] === 'ok' ? [] : messages;
  } catch (err) {
    // A page damaged badly enough makes the check itself fail (SQLITE_CORRUPT): that is its answer.
    return [`${quick ? 'quick_check' : 'integrity_check'} could not finish: ${err instanceof Error ? err.message : String(err)}`];
  }
}

export interface ForeignKeyProblem {
  table: string;
  rowid: number | null;
  parent: string;
  fkid: number;
}

export function foreignKeyProblems(db: Database.Database): ForeignKeyProblem[] {
  return db.pragma('foreign_key_check') as ForeignKeyProblem[];
}

export interface ImageFileRow {
  id: number;
  sha256: string;
  rel_path: string;
}

export function imageFileRows(db: Database.Database): ImageFileRow[] {
  return db.prepare('SELECT id, sha256, rel_path FROM images ORDER BY id').all() as ImageFileRow[];
}

/** Media-relative crop paths that analyses name. */
export function cropPaths(db: Database.Database): { image_id: number; path: string }[] {
  return db
    .prepare(
      `SELECT image_id, crop_gray_path AS path FROM analyses WHERE crop_gray_path IS NOT NULL
       UNION ALL SELECT image_id, crop_color_path FROM analyses WHERE crop_color_path IS NOT NULL`,
    )
    .all() as { image_id: number; path: string }[];
}

/** Turns every write on this connection into SQLITE_READONLY: how a damaged workspace is kept from getting worse. */
export function refuseWrites(db: Database.Database): void {
  db.pragma('query_only = ON');
}
