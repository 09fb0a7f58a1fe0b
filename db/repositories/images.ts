/**
 * Images, addressed by content sha256. Media live at media/<sha[0:2]>/<sha>.<ext>; the row keeps that path
 * relative to the media folder so the workspace can move.
 */
import type Database from 'better-sqlite3';
import { nowIso, stmt } from './statements';

export interface ImageRow {
  id: number;
  sha256: string;
  rel_path: string;
  width: number;
  height: number;
  original_name: string;
  subject: string | null;
  source: string | null;
  created_at: string;
}

export interface NewImage {
  sha256: string;
  ext: string;
  width: number;
  height: number;
  originalName: string;
  subject?: string | null;
  source?: string | null;
}

/** The media-relative path of an image's bytes. */
function mediaRelPath(sha256: string, ext: string): string {
  const clean = ext.replace(/^\./, '').toLowerCase() || 'bin';
  return `${sha256.slice(0, 2)}/${sha256}.${clean}`;
}

export function getImage(db: Database.Database, id: number): ImageRow | undefined {
  return stmt(db, 'SELECT * FROM images WHERE id = ?').get(id) as ImageRow | undefined;
}

export function findImageBySha(db: Database.Database, sha256: string): { id: number; rel_path: string } | undefined {
  return stmt(db, 'SELECT id, rel_path FROM images WHERE sha256 = ?').get(sha256) as { id: number; rel_path: string } | undefined;
}

/**
 * Inserts the image row unless the same bytes are already known; returns its id and whether it was new. The
 * insert itself yields on a known sha256, so a row another connection added since any earlier look-up is reused.
 */
export function insertImage(db: Database.Database, img: NewImage, createdAt = nowIso()): { id: number; relPath: string; created: boolean } {
  const existing = findImageBySha(db, img.sha256);
  if (existing) return { id: existing.id, relPath: existing.rel_path, created: false };
  const relPath = mediaRelPath(img.sha256, img.ext);
  const info = stmt(
    db,
    'INSERT INTO images (sha256, rel_path, width, height, original_name, subject, source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING',
  ).run(img.sha256, relPath, img.width, img.height, img.originalName, img.subject ?? null, img.source ?? null, createdAt);
  if (info.changes === 0) {
    const row = findImageBySha(db, img.sha256)!;
    return { id: row.id, relPath: row.rel_path, created: false };
  }
  return { id: Number(info.lastInsertRowid), relPath, created: true };
}

export function countImages(db: Database.Database): number {
  return (stmt(db, 'SELECT COUNT(*) AS n FROM images').get() as { n: number }).n;
}
