/** Per-image pHash and decoded-pixel sha256 (migration 11), and the split inputs that join them. */
import type Database from 'better-sqlite3';
import { named } from './named';
import { nowIso } from './statements';

const UNHASHED_SPLITTABLE = `FROM images i
     WHERE NOT EXISTS (SELECT 1 FROM image_hashes h WHERE h.image_id = i.id)
       AND EXISTS (SELECT 1 FROM records r WHERE r.image_id = i.id AND r.status IN ('labeled', 'weak', 'reviewed') AND r.emotion IS NOT NULL)`;

export interface UnhashedImage {
  id: number;
  rel_path: string;
}

/** Images of splittable records with no image_hashes row yet, in id order, at most `limit`. */
export function unhashedSplittableImages(db: Database.Database, limit: number): UnhashedImage[] {
  return named(
    db,
    'imageHashes.unhashed',
    `SELECT i.id, i.rel_path ${UNHASHED_SPLITTABLE} ORDER BY i.id LIMIT ?`,
  ).all<UnhashedImage>(limit);
}

export function countUnhashedSplittableImages(db: Database.Database): number {
  return named(db, 'imageHashes.countUnhashed', `SELECT COUNT(*) AS n ${UNHASHED_SPLITTABLE}`).get<{ n: number }>()!.n;
}

export interface ImageHashRow {
  imageId: number;
  phash: string | null;
  pixelSha256: string | null;
  error: string | null;
}

/** Stores hashes (caller supplies the transaction); an existing row is kept. */
export function insertImageHashes(db: Database.Database, rows: readonly ImageHashRow[], createdAt = nowIso()): void {
  const ins = named(db, 'imageHashes.insert', 'INSERT OR IGNORE INTO image_hashes (image_id, phash, pixel_sha256, error, created_at) VALUES (?, ?, ?, ?, ?)');
  for (const r of rows) ins.run(r.imageId, r.phash, r.pixelSha256, r.error, createdAt);
}

export interface LeakageRecord {
  id: string;
  label: string;
  subject: string | null;
  imageId: number;
  pixelHash: string | null;
  phash: string | null;
}

/** The splittable records (see splittableRecords) with their emotion, image and its hashes, by id. */
export function leakageRecords(db: Database.Database, snapshotId: number | null = null): LeakageRecord[] {
  if (snapshotId !== null) {
    // a frozen snapshot's records, with the emotion of the revision it froze
    return named(
      db,
      'imageHashes.snapshotLeakageRecords',
      `SELECT r.id, v.emotion AS label, i.subject, r.image_id AS imageId, h.pixel_sha256 AS pixelHash, h.phash
       FROM snapshot_records sr JOIN revisions v ON v.id = sr.revision_id JOIN records r ON r.id = sr.record_id
       JOIN images i ON i.id = r.image_id LEFT JOIN image_hashes h ON h.image_id = r.image_id
       WHERE sr.snapshot_id = ? AND v.emotion IS NOT NULL ORDER BY r.id`,
    ).all<LeakageRecord>(snapshotId);
  }
  return named(
    db,
    'imageHashes.leakageRecords',
    `SELECT r.id, r.emotion AS label, i.subject, r.image_id AS imageId, h.pixel_sha256 AS pixelHash, h.phash
     FROM records r JOIN images i ON i.id = r.image_id LEFT JOIN image_hashes h ON h.image_id = r.image_id
     WHERE r.status IN ('labeled', 'weak', 'reviewed') AND r.emotion IS NOT NULL ORDER BY r.id`,
  ).all<LeakageRecord>();
}
