/**
 * Image files in and out of media/: reading a source image safely (regular files only, bounded, inside the
 * images folder), storing its bytes immutably, and checking a stored file against its hash (for `fea check`).
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';

/** Largest image file import reads; `fea import --max-image-mb` changes it. */
export const DEFAULT_MAX_IMAGE_BYTES = 100 * 1024 * 1024;

/**
 * copy (default): media/ holds its own file with exactly the bytes that were hashed, whatever later happens to
 * the source. link: a hard link to the source (no extra space), made read-only — which makes the source file
 * read-only too, as it is the same file — and used only when the source still is what was read.
 */
export const MEDIA_MODES = ['copy', 'link'] as const;
export type MediaMode = (typeof MEDIA_MODES)[number];

/** What fstat said about a source file when it was read: a later link must still be that file, unchanged. */
export interface FileIdentity {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  mode: number;
}

export interface ReadImage {
  bytes: Buffer;
  /** The path actually opened (symbolic links resolved when the images folder is enforced). */
  path: string;
  identity: FileIdentity;
}

function identityOf(st: fs.Stats): FileIdentity {
  return { dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, mode: st.mode };
}

function megabytes(n: number): string {
  if (n < 1024 * 1024) return `${Math.ceil(n / 1024)} KB`;
  return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
}

function describe(err: unknown, name: string): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return `image file ${name} does not exist`;
  if (code === 'ELOOP') return `image ${name} is a symbolic link loop`;
  return `image file ${name} cannot be read (${err instanceof Error ? err.message : String(err)})`;
}

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever; on regular files it does nothing.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

/**
 * Reads one source image: opened without blocking, fstat-ed on the handle (so what is checked is what is read),
 * refused unless a regular file of at most maxBytes. With `root` (a real path), the file's real path must lie
 * inside it: a symbolic link out of the images folder is refused like `..`.
 */
export async function readImageFile(file: string, name: string, maxBytes: number, root: string | null): Promise<ReadImage | { error: string }> {
  let target = file;
  if (root !== null) {
    try {
      target = await fsp.realpath(file);
    } catch (err) {
      return { error: describe(err, name) };
    }
    const rel = path.relative(root, target);
    if (rel.startsWith(`..${path.sep}`) || rel === '..' || path.isAbsolute(rel)) {
      return { error: `image ${name} is a link to ${target}, outside the images folder (pass --allow-outside to import it)` };
    }
  }
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(target, OPEN_FLAGS);
  } catch (err) {
    return { error: describe(err, name) };
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) return { error: `image ${name} is a folder` };
    if (!st.isFile()) return { error: `image ${name} is not a regular file (a device, FIFO or socket); refused` };
    if (st.size > maxBytes) return { error: `image file ${name} is ${megabytes(st.size)}, over the ${megabytes(maxBytes)} limit` };
    const bytes = Buffer.allocUnsafe(st.size);
    let got = 0;
    while (got < st.size) {
      const { bytesRead } = await fh.read(bytes, got, st.size - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    // A file that shrank while read is taken as read; one that grew is bounded by the size fstat gave.
    return { bytes: got === st.size ? bytes : bytes.subarray(0, got), path: target, identity: identityOf(st) };
  } catch (err) {
    return { error: describe(err, name) };
  } finally {
    await fh.close();
  }
}

export function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

export type StoreOutcome = 'linked' | 'copied' | 'present';

function sameFile(a: FileIdentity, b: fs.Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/**
 * Puts `bytes` (whose sha256 is `sha`) at `file`. A file already there is never opened for writing: it may be
 * a link to a user's image (an older workspace, or --link), so a torn or stale one is replaced by renaming a
 * fresh copy over its name, which leaves the other file untouched.
 */
export async function storeMedia(file: string, sha: string, bytes: Buffer, source: ReadImage | null, mode: MediaMode): Promise<StoreOutcome> {
  if (source !== null && mode === 'link') {
    const linked = await tryLink(file, source);
    if (linked !== 'fallback') return linked === 'exists' ? settleExisting(file, sha, bytes) : 'linked';
  }
  try {
    await fsp.writeFile(file, bytes, { flag: 'wx' });
    return 'copied';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return settleExisting(file, sha, bytes);
}

async function tryLink(file: string, source: ReadImage): Promise<'linked' | 'exists' | 'fallback'> {
  try {
    await fsp.link(source.path, file);
  } catch (err) {
    // EXDEV, EPERM, ENOTSUP…: copy instead
    return (err as NodeJS.ErrnoException).code === 'EEXIST' ? 'exists' : 'fallback';
  }
  try {
    // lstat: link(2) does not follow a symbolic link, and a linked symbolic link is not the file that was read.
    const st = await fsp.lstat(file);
    if (!sameFile(source.identity, st)) throw new Error('the source changed after it was read');
    if (st.mode & 0o222) await fsp.chmod(file, st.mode & 0o7555);
    return 'linked';
  } catch {
    // Changed since read, or not ours to make read-only: a copy of the hashed bytes is the safe outcome.
    await fsp.unlink(file);
    return 'fallback';
  }
}

async function settleExisting(file: string, sha: string, bytes: Buffer): Promise<StoreOutcome> {
  const st = await fsp.lstat(file);
  if (st.isFile() && st.size === bytes.length && sha256(await fsp.readFile(file)) === sha) return 'present';
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await fsp.writeFile(tmp, bytes, { flag: 'wx' });
  await fsp.rename(tmp, file);
  return 'copied';
}

export type MediaCheck =
  | { ok: true; size: number; links: number; readOnly: boolean }
  | { ok: false; problem: 'missing' | 'not_a_file' | 'mismatch' | 'writable_link' | 'unreadable'; message: string };

/**
 * Checks one stored media file (for `fea check`): a regular file whose bytes hash to `expectedSha`; a hard-linked
 * one (links > 1, from `fea import --link`) must also be read-only, or its source could still change it.
 * Streams the file, so memory does not grow with its size.
 */
export async function verifyMediaFile(mediaDir: string, relPath: string, expectedSha: string): Promise<MediaCheck> {
  const file = path.join(mediaDir, relPath);
  let st: fs.Stats;
  try {
    st = await fsp.lstat(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, problem: 'missing', message: `media/${relPath} is missing` };
    return { ok: false, problem: 'unreadable', message: `media/${relPath} cannot be read (${(err as Error).message})` };
  }
  if (!st.isFile()) return { ok: false, problem: 'not_a_file', message: `media/${relPath} is not a regular file` };
  const hash = createHash('sha256');
  try {
    for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) hash.update(chunk);
  } catch (err) {
    return { ok: false, problem: 'unreadable', message: `media/${relPath} cannot be read (${(err as Error).message})` };
  }
  const actual = hash.digest('hex');
  if (actual !== expectedSha) return { ok: false, problem: 'mismatch', message: `media/${relPath} no longer holds its bytes (sha256 ${actual})` };
  const readOnly = (st.mode & 0o222) === 0;
  if (st.nlink > 1 && !readOnly) {
    return { ok: false, problem: 'writable_link', message: `media/${relPath} is hard-linked (${st.nlink} links) and writable: its source can change it` };
  }
  return { ok: true, size: st.size, links: st.nlink, readOnly };
}
