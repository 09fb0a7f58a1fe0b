/**
 * `fea check` and the quick check at open: is the database sound, and are the media what their rows say?
 * A damaged workspace is reported, never repaired here: the way back is a backup (or `sqlite3 .recover`).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DB_FILE, openWorkspace, type Workspace } from '../../db/open';
import { cropPaths, foreignKeyProblems, imageFileRows, integrityProblems, type ForeignKeyProblem } from '../../db/repositories';

export const MEDIA_PROBLEM_KINDS = ['missing', 'hash_mismatch', 'missing_crop', 'orphan', 'not_a_file'] as const;
export type MediaProblemKind = (typeof MEDIA_PROBLEM_KINDS)[number];

export interface MediaProblem {
  kind: MediaProblemKind;
  /** Media-relative path. */
  path: string;
  detail?: string;
}

export interface MediaReport {
  /** Image rows whose file was looked at. */
  checked: number;
  /** Whether file contents were hashed (not in --quick). */
  hashed: boolean;
  missing: number;
  /** Content whose sha256 is not the one in the file's name and row. */
  hashMismatch: number;
  missingCrops: number;
  /** Files under media/ that no row names: leftovers, not damage. */
  orphans: number;
  /** Media files with more than one hard link (nlink > 1): they share bytes with a file outside the workspace. */
  linked: number;
  /** Of those, the ones still writable, which a change to the other name would alter. */
  linkedWritable: number;
  /** The first problems found, with their paths. */
  problems: MediaProblem[];
}

export interface CheckReport {
  ok: boolean;
  dir: string;
  quick: boolean;
  /** integrity_check (or quick_check) messages; [] when sound. */
  integrity: string[];
  foreignKeys: ForeignKeyProblem[];
  media: MediaReport;
  /** What to do, when not ok. */
  advice?: string;
}

export interface CheckOptions {
  quick?: boolean;
  onProgress?: (done: number, total: number) => void;
}

const MAX_LISTED = 200;

/** The way back from damage: a backup, or SQLite's salvage of what is still readable. */
export function restoreAdvice(dir: string): string {
  return (
    `Restore ${path.join(dir, DB_FILE)} (and media/) from a backup; ` +
    `a database that only has damaged pages may be salvaged with "sqlite3 ${DB_FILE} .recover" into a new file.`
  );
}

/** What to tell a user whose workspace is damaged. */
export function damagedAdvice(dir: string): string {
  return `Run "fea check ${dir}" for the full report. ${restoreAdvice(dir)}`;
}

/** The quick check at open: SQLite's quick_check only (no media, no hashing). [] when sound. */
export function quickIntegrity(ws: Workspace): string[] {
  return integrityProblems(ws.db, true);
}

const CORRUPT_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);

export function sqliteCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** Whether an error is SQLite finding the database file damaged (rather than a refusal or a bug). */
export function isCorruption(err: unknown): boolean {
  return CORRUPT_CODES.has(sqliteCode(err));
}

/** `fea check` on a folder: also answers (ok: false) when the damage stops the database from opening at all. */
export function checkWorkspaceAt(dir: string, options: CheckOptions = {}): CheckReport {
  let ws: Workspace;
  try {
    ws = openWorkspace(dir);
  } catch (err) {
    if (!isCorruption(err)) throw err;
    const abs = path.resolve(dir);
    return { ok: false, dir: abs, quick: options.quick ?? false, integrity: [`cannot open: ${(err as Error).message}`], foreignKeys: [], media: emptyMediaReport(false), advice: restoreAdvice(abs) };
  }
  try {
    return checkWorkspace(ws, options);
  } finally {
    ws.close();
  }
}

export function checkWorkspace(ws: Workspace, options: CheckOptions = {}): CheckReport {
  const quick = options.quick ?? false;
  const integrity = integrityProblems(ws.db, quick);
  let foreignKeys: ForeignKeyProblem[] = [];
  try {
    foreignKeys = foreignKeyProblems(ws.db);
  } catch (err) {
    integrity.push(`foreign_key_check failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  let media: MediaReport;
  try {
    media = checkMedia(ws, !quick, options.onProgress);
  } catch (err) {
    // The rows naming the media could not be read: the database damage above already says why.
    integrity.push(`media rows unreadable: ${err instanceof Error ? err.message : String(err)}`);
    media = emptyMediaReport(!quick);
  }
  const ok = integrity.length === 0 && foreignKeys.length === 0 && media.missing === 0 && media.hashMismatch === 0 && media.missingCrops === 0;
  return { ok, dir: ws.dir, quick, integrity, foreignKeys, media, ...(ok ? {} : { advice: restoreAdvice(ws.dir) }) };
}

function emptyMediaReport(hashed: boolean): MediaReport {
  return { checked: 0, hashed, missing: 0, hashMismatch: 0, missingCrops: 0, orphans: 0, linked: 0, linkedWritable: 0, problems: [] };
}

function sha256Of(file: string): string {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

function checkMedia(ws: Workspace, hashed: boolean, onProgress?: (done: number, total: number) => void): MediaReport {
  const report = emptyMediaReport(hashed);
  const note = (kind: MediaProblemKind, rel: string, detail?: string) => {
    if (report.problems.length < MAX_LISTED) report.problems.push({ kind, path: rel, ...(detail ? { detail } : {}) });
  };
  const named = new Set<string>();
  const rows = imageFileRows(ws.db);
  const crops = cropPaths(ws.db);
  const total = rows.length + crops.length;
  let done = 0;
  for (const row of rows) {
    named.add(row.rel_path);
    const file = path.join(ws.mediaDir, ...row.rel_path.split('/'));
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      report.missing++;
      note('missing', row.rel_path, `image ${row.id}`);
      continue;
    } finally {
      report.checked++;
      if (++done % 50 === 0) onProgress?.(done, total);
    }
    if (!st.isFile()) {
      report.missing++;
      note('not_a_file', row.rel_path, `image ${row.id}`);
      continue;
    }
    if (st.nlink > 1) {
      report.linked++;
      if ((st.mode & 0o222) !== 0) report.linkedWritable++;
    }
    if (!hashed) continue;
    const nameSha = path.basename(row.rel_path).replace(/\..*$/, '');
    const actual = sha256Of(file);
    if (actual !== row.sha256 || actual !== nameSha) {
      report.hashMismatch++;
      note('hash_mismatch', row.rel_path, `image ${row.id}: content sha256 ${actual}, row ${row.sha256}`);
    }
  }
  for (const crop of crops) {
    named.add(crop.path);
    if (!fs.existsSync(path.join(ws.mediaDir, ...crop.path.split('/')))) {
      report.missingCrops++;
      note('missing_crop', crop.path, `image ${crop.image_id}`);
    }
    if (++done % 50 === 0) onProgress?.(done, total);
  }
  onProgress?.(total, total);
  for (const rel of filesUnder(ws.mediaDir)) {
    if (named.has(rel)) continue;
    report.orphans++;
    note('orphan', rel);
  }
  return report;
}

/** Every regular file (or link) under media/, as media-relative paths with '/'. */
function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, prefix: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(dir, e.name), rel);
      else out.push(rel);
    }
  };
  walk(root, '');
  return out;
}
