/**
 * The last clean quick_check of a workspace, remembered beside its database: which bytes it vouched for (the size
 * and modification time of fea.sqlite and of a non-empty WAL). `fea stats` trusts that check while the files are as
 * the stamp names them, instead of reading a million-record database through again (several seconds) on every call.
 * `fea init` stamps the database it created; a CLI command that found the stamp standing renews it after closing
 * the files it wrote through SQLite (cli/workspace.ts). Any other change (another program, a killed command, the
 * app or server, damage on disk that touches the files) leaves the stamp void, and the next `fea stats` checks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { DB_FILE } from '../../db/open';

export const INTEGRITY_STAMP_FILE = 'integrity-checked.json';

const FileIdentitySchema = z.object({ size: z.number(), mtimeNs: z.string() });
const StampSchema = z.object({ db: FileIdentitySchema, wal: FileIdentitySchema.nullable(), checkedAt: z.string() });
type FileIdentity = z.infer<typeof FileIdentitySchema>;

function identity(file: string): FileIdentity | null {
  try {
    const st = fs.statSync(file, { bigint: true });
    return { size: Number(st.size), mtimeNs: String(st.mtimeNs) };
  } catch {
    return null;
  }
}

/** The database files as they are now; an empty WAL (made by any open) is the same as none. */
function filesNow(dir: string): { db: FileIdentity | null; wal: FileIdentity | null } {
  const wal = identity(path.join(dir, `${DB_FILE}-wal`));
  return { db: identity(path.join(dir, DB_FILE)), wal: wal && wal.size > 0 ? wal : null };
}

const same = (a: FileIdentity | null, b: FileIdentity | null) => (a === null ? b === null : b !== null && a.size === b.size && a.mtimeNs === b.mtimeNs);

/** Whether a clean check was stamped for the database files exactly as they are now. */
export function checkedAsIs(dir: string): boolean {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, INTEGRITY_STAMP_FILE), 'utf8');
  } catch {
    return false;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return false;
  }
  const stamp = StampSchema.safeParse(json);
  if (!stamp.success) return false;
  const now = filesNow(dir);
  return same(stamp.data.db, now.db) && same(stamp.data.wal, now.wal);
}

/**
 * Stamps the files as they are now as checked. Call it only after a clean check, once the connection that made it
 * has closed without writing: its close may checkpoint, and the stamp must name the files a next reader will see.
 */
export function stampChecked(dir: string, at = new Date()): void {
  const now = filesNow(dir);
  if (now.db === null) return;
  const file = path.join(dir, INTEGRITY_STAMP_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify({ ...now, checkedAt: at.toISOString() })}\n`);
  fs.renameSync(tmp, file);
}
