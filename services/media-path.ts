/**
 * Turns the still-encoded `<imageKey>` part of a media URL into a file inside the workspace media dir,
 * or refuses it. Shared by the Electron `fea-media:` protocol and server mode's `/media/`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type MediaRefusal = { status: 400 | 403 | 404; reason: string };
export type MediaResolution = { ok: true; file: string } | ({ ok: false } & MediaRefusal);

/** Media keys live under the workspace media dir; the same rules confine the Electron app protocol to dist/renderer. */
export const resolveMediaPath = (mediaDir: string, encodedKey: string): MediaResolution => resolveConfinedPath(mediaDir, encodedKey);

const refuse = (status: MediaRefusal['status'], reason: string): MediaResolution => ({ ok: false, status, reason });

/**
 * Decodes exactly once, then refuses anything that could name something outside the media dir:
 * `.`/`..`/empty segments, backslashes, NUL and control characters, drive letters, absolute paths,
 * a `%` left after decoding (double encoding), and symlinks whose target leaves the media dir.
 */
export function resolveConfinedPath(rootDir: string, encodedKey: string): MediaResolution {
  if (encodedKey.length === 0 || encodedKey.length > 1024) return refuse(400, 'bad media key length');
  let key: string;
  try {
    key = decodeURIComponent(encodedKey);
  } catch {
    return refuse(400, 'malformed percent-encoding');
  }
  if (key.includes('%')) return refuse(400, 'double-encoded media key');
  // eslint-disable-next-line no-control-regex -- the point is to refuse control characters in media keys
  if (/[\u0000-\u001f\u007f\\:]/.test(key)) return refuse(400, 'forbidden character in media key');
  if (key.startsWith('/') || path.isAbsolute(key) || path.win32.isAbsolute(key)) return refuse(400, 'absolute media path');
  const segments = key.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return refuse(400, 'path traversal in media key');

  const root = path.resolve(rootDir);
  const candidate = path.resolve(root, ...segments);
  if (!isInside(root, candidate)) return refuse(403, 'outside the media dir');

  let realRoot: string;
  let realFile: string;
  try {
    realRoot = fs.realpathSync(root);
    realFile = fs.realpathSync(candidate);
  } catch {
    return refuse(404, 'no such media');
  }
  if (!isInside(realRoot, realFile)) return refuse(403, 'symlink leaves the media dir');
  let stat: fs.Stats;
  try {
    stat = fs.statSync(realFile);
  } catch {
    return refuse(404, 'no such media');
  }
  if (!stat.isFile()) return refuse(404, 'not a file');
  return { ok: true, file: realFile };
}

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

const MEDIA_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.avif': 'image/avif',
  '.bmp': 'image/bmp',
};

/** Media are images only; anything else goes out as an opaque download type (never rendered as HTML). */
export function mediaContentType(file: string): string {
  return MEDIA_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

const APP_TYPES: Record<string, string> = {
  ...MEDIA_TYPES,
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export function appContentType(file: string): string {
  return APP_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Media keys are content-addressed, so a URL always names the same bytes. */
export const MEDIA_CACHE_CONTROL = 'public, max-age=31536000, immutable';
