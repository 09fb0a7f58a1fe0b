/** Opens (or creates) a workspace: a folder holding fea.sqlite and media/. Paths inside are relative, so the folder can move. */
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';
import { DEFAULT_AUS, DEFAULT_EMOTIONS } from '../pipelines/facs/vocabulary';

export const DB_FILE = 'fea.sqlite';
export const MEDIA_DIR = 'media';

export interface Workspace {
  dir: string;
  db: Database.Database;
  mediaDir: string;
  close(): void;
}

export class WorkspaceError extends Error {}

export interface OpenOptions {
  /** Create the folder and database when missing. */
  create?: boolean;
  readonly?: boolean;
  /** How often the WAL is copied into the database file while the workspace is open (ms); 0 turns the timer off. */
  checkpointEveryMs?: number;
}

/**
 * The WAL is checkpointed at open, every minute and at close: committed work then sits in fea.sqlite itself, so a
 * -wal file lost or damaged later (copied without it, deleted by a cleaner) costs at most the last minute.
 */
export const DEFAULT_CHECKPOINT_MS = 60_000;

export function openWorkspace(dir: string, options: OpenOptions = {}): Workspace {
  const abs = path.resolve(dir);
  const file = path.join(abs, DB_FILE);
  if (!fs.existsSync(file)) {
    if (!options.create) throw new WorkspaceError(`${abs} is not an FEA Studio workspace (no ${DB_FILE}); create it with "fea init ${dir}"`);
    fs.mkdirSync(path.join(abs, MEDIA_DIR), { recursive: true });
  }
  const db = new Database(file, { readonly: options.readonly ?? false });
  try {
    db.pragma('busy_timeout = 10000');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    // A statement that fires triggers (every records insert does) keeps a statement journal; in a temp file that
    // was most of a bulk import's time. Temp tables and sorts stay small here (pages are keyset-paged).
    db.pragma('temp_store = MEMORY');
    migrate(db, abs, options.readonly ?? false);
  } catch (err) {
    db.close();
    throw err;
  }
  let timer: NodeJS.Timeout | null = null;
  if (!options.readonly) {
    checkpoint(db, 'PASSIVE');
    const every = options.checkpointEveryMs ?? DEFAULT_CHECKPOINT_MS;
    // unref'd: the timer never keeps a finished command alive.
    if (every > 0) timer = setInterval(() => checkpoint(db, 'PASSIVE'), every).unref();
  }
  return {
    dir: abs,
    db,
    mediaDir: path.join(abs, MEDIA_DIR),
    close: () => {
      if (timer) clearInterval(timer);
      if (!db.open) return;
      if (!options.readonly) {
        // Another connection still reading must not hold up closing: it will checkpoint when it closes.
        db.pragma('busy_timeout = 0');
        checkpoint(db, 'TRUNCATE');
      }
      db.close();
    },
  };
}

/** PASSIVE never waits for readers or writers; TRUNCATE at close also empties the -wal file. Failure is not fatal here. */
function checkpoint(db: Database.Database, mode: 'PASSIVE' | 'TRUNCATE'): void {
  try {
    if (db.open && !db.inTransaction) db.pragma(`wal_checkpoint(${mode})`);
  } catch {
    /* busy or damaged: the next checkpoint (or fea check) will tell */
  }
}

function migrate(db: Database.Database, dir: string, readonly: boolean): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > LATEST_SCHEMA_VERSION) {
    throw new WorkspaceError(
      `Workspace ${dir} has schema version ${current}, made by a newer FEA Studio (this one knows up to ${LATEST_SCHEMA_VERSION}). Update FEA Studio to open it.`,
    );
  }
  if (current === LATEST_SCHEMA_VERSION) return;
  if (readonly) throw new WorkspaceError(`Workspace ${dir} needs a schema upgrade and was opened read-only`);
  for (const m of MIGRATIONS.filter((m) => m.version > current)) {
    db.transaction(() => {
      m.up(db);
      if (m.version === 1) seedDefaults(db, path.basename(dir));
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

function seedDefaults(db: Database.Database, name: string): void {
  const now = new Date().toISOString();
  const meta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
  meta.run('name', name);
  meta.run('created_at', now);
  const vocab = db.prepare('INSERT INTO vocabulary (kind, label, position) VALUES (?, ?, ?)');
  DEFAULT_EMOTIONS.forEach((e, i) => vocab.run('emotion', e, i));
  DEFAULT_AUS.forEach((a, i) => vocab.run('au', a, i));
  db.prepare("INSERT INTO users (name, role, created_at) VALUES ('system', 'admin', ?)").run(now);
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}
