/**
 * Face analyses (one row per image, keyed by image id so nothing is analysed twice) and the predictions
 * that analysis writes for the image's records.
 */
import type Database from 'better-sqlite3';
import { upsertPrediction } from './predictions';
import { LandmarksSchema } from './analysis-json';
import { nowIso, parseStored, stmt } from './statements';

export interface PendingImage {
  id: number;
  sha256: string;
  rel_path: string;
  subject: string | null;
  original_name: string;
}

export interface AnalysisRowDb {
  image_id: number;
  face_found: number;
  box: string | null;
  landmarks: string;
  descriptor: Buffer | null;
  expression_features: Buffer | null;
  crop_gray_path: string | null;
  crop_color_path: string | null;
  au_estimates: string;
  expressions: string;
  phash: string | null;
  backend: string;
  error: string | null;
  created_at: string;
}

/** Images with no analyses row yet, in id order. */
export function pendingImages(db: Database.Database): PendingImage[] {
  return stmt(
    db,
    `SELECT i.id, i.sha256, i.rel_path, i.subject, i.original_name FROM images i
     LEFT JOIN analyses a ON a.image_id = i.id WHERE a.image_id IS NULL ORDER BY i.id`,
  ).all() as PendingImage[];
}

export function countAnalyses(db: Database.Database): { total: number; failed: number; facesFound: number } {
  return stmt(
    db,
    'SELECT COUNT(*) AS total, COALESCE(SUM(error IS NOT NULL), 0) AS failed, COALESCE(SUM(face_found), 0) AS facesFound FROM analyses',
  ).get() as { total: number; failed: number; facesFound: number };
}

/** Images in the workspace, and those without an analysis row (what an analysis run would work on). */
export function countPendingImages(db: Database.Database): { images: number; pending: number } {
  return stmt(
    db,
    'SELECT COUNT(*) AS images, COALESCE(SUM(a.image_id IS NULL), 0) AS pending FROM images i LEFT JOIN analyses a ON a.image_id = i.id',
  ).get() as { images: number; pending: number };
}

export interface SourceFaces {
  /** Successful analyses of this source's images. */
  analyzed: number;
  facesFound: number;
  /** Analyses by how the face was found ('direct', 'padded', 'whole-crop', 'none'; the box JSON's `detection`). */
  detection: Record<string, number>;
}

/** The key under which images with no source (neither the image's nor any of its records') are counted. */
export const NO_SOURCE = '(none)';

/**
 * Faces found per dataset source over every successful analysis in the workspace: the image's source, else its
 * first record's. Analyses from before the box carried `detection` count as 'direct' when a face was found.
 */
export function facesBySource(db: Database.Database): Record<string, SourceFaces> {
  const rows = stmt(
    db,
    `SELECT COALESCE(i.source, (SELECT r.source FROM records r WHERE r.image_id = i.id AND r.source IS NOT NULL ORDER BY r.id LIMIT 1)) AS source,
            COALESCE(json_extract(a.box, '$.detection'), CASE WHEN a.face_found = 1 THEN 'direct' ELSE 'none' END) AS detection,
            COUNT(*) AS n, SUM(a.face_found) AS found
     FROM analyses a JOIN images i ON i.id = a.image_id
     WHERE a.error IS NULL
     GROUP BY 1, 2 ORDER BY 1, 2`,
  ).all() as { source: string | null; detection: string; n: number; found: number }[];
  const out: Record<string, SourceFaces> = {};
  for (const r of rows) {
    const s = (out[r.source ?? NO_SOURCE] ??= { analyzed: 0, facesFound: 0, detection: {} });
    s.analyzed += r.n;
    s.facesFound += r.found;
    s.detection[r.detection] = (s.detection[r.detection] ?? 0) + r.n;
  }
  return out;
}

/** Forgets failed analyses so that the next run tries those images again. */
export function deleteFailedAnalyses(db: Database.Database): number {
  return stmt(db, 'DELETE FROM analyses WHERE error IS NOT NULL').run().changes;
}

/**
 * Each subject's neutral reference image: the lowest-id image of that subject whose record is labelled neutral,
 * human labels (reviewed, labeled) before weak ones.
 */
export function neutralReferenceImages(db: Database.Database): Map<string, number> {
  const rows = stmt(
    db,
    `SELECT i.subject AS subject, i.id AS id,
            CASE r.status WHEN 'reviewed' THEN 0 WHEN 'labeled' THEN 1 ELSE 2 END AS rank
     FROM images i JOIN records r ON r.image_id = i.id
     WHERE i.subject IS NOT NULL AND r.emotion = 'neutral' AND r.status != 'unlabeled'
     ORDER BY i.subject, rank, i.id`,
  ).all() as { subject: string; id: number }[];
  const out = new Map<string, number>();
  for (const r of rows) if (!out.has(r.subject)) out.set(r.subject, r.id);
  return out;
}

export function getAnalysis(db: Database.Database, imageId: number): AnalysisRowDb | undefined {
  return stmt(db, 'SELECT * FROM analyses WHERE image_id = ?').get(imageId) as AnalysisRowDb | undefined;
}

/** The stored landmarks of a successful analysis, or null. */
export function analysisLandmarks(db: Database.Database, imageId: number): [number, number][] | null {
  const row = stmt(db, 'SELECT landmarks FROM analyses WHERE image_id = ? AND error IS NULL').get(imageId) as { landmarks: string } | undefined;
  if (!row) return null;
  const lm = parseStored(LandmarksSchema, row.landmarks, 'landmarks', `image ${imageId}`);
  return lm?.length === 68 ? lm : null;
}

/** The id of a model row, created on first use (models are unique by name and version). */
export function ensureModel(
  db: Database.Database,
  m: { name: string; version: string; kind: string; backend?: string | null; config?: Record<string, unknown> },
): number {
  stmt(
    db,
    'INSERT INTO models (name, version, kind, backend, config, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name, version) DO NOTHING',
  ).run(m.name, m.version, m.kind, m.backend ?? null, JSON.stringify(m.config ?? {}), nowIso());
  return (stmt(db, 'SELECT id FROM models WHERE name = ? AND version = ?').get(m.name, m.version) as { id: number }).id;
}

export interface NewAnalysis {
  imageId: number;
  faceFound: boolean;
  box: unknown | null;
  landmarks: unknown[];
  descriptor: Float32Array | null;
  /** The expression feature views (pipelines/vision/expression-features.ts), stored back to back; none = NULL. */
  expressionFeatures?: Float32Array[];
  cropGrayPath: string | null;
  cropColorPath: string | null;
  auEstimates: Record<string, unknown>;
  expressions: Record<string, number>;
  phash: string | null;
  backend: string;
  error: string | null;
}

export interface NewPrediction {
  modelId: number;
  emotion: string | null;
  score: number | null;
  emotionScores: Record<string, number>;
  aus: { au: string; score: number; present: boolean }[];
  reasoning: string;
}

export function recordIdsOfImage(db: Database.Database, imageId: number): string[] {
  return (stmt(db, 'SELECT id FROM records WHERE image_id = ? ORDER BY id').all(imageId) as { id: string }[]).map((r) => r.id);
}

/**
 * Writes one image's analysis and its records' predictions in one transaction.
 * Returns false (and writes nothing) when the image already has an analysis.
 */
export function saveAnalysis(db: Database.Database, a: NewAnalysis, predictions: NewPrediction[] = []): boolean {
  return db.transaction(() => {
    const now = nowIso();
    const info = stmt(
      db,
      `INSERT INTO analyses (image_id, face_found, box, landmarks, descriptor, crop_gray_path, crop_color_path,
         au_estimates, expressions, phash, backend, error, created_at, expression_features)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (image_id) DO NOTHING`,
    ).run(
      a.imageId,
      a.faceFound ? 1 : 0,
      a.box === null ? null : JSON.stringify(a.box),
      JSON.stringify(a.landmarks),
      a.descriptor ? Buffer.from(a.descriptor.buffer, a.descriptor.byteOffset, a.descriptor.byteLength) : null,
      a.cropGrayPath,
      a.cropColorPath,
      JSON.stringify(a.auEstimates),
      JSON.stringify(a.expressions),
      a.phash,
      a.backend,
      a.error,
      now,
      viewsBlob(a.expressionFeatures),
    );
    if (info.changes === 0) return false;
    for (const recordId of recordIdsOfImage(db, a.imageId)) {
      for (const p of predictions) upsertPrediction(db, recordId, p.modelId, p, now);
    }
    return true;
  })();
}

/** An image with a successful analysis, and where its file lies (for analysing it again). */
export interface AnalysedImage {
  imageId: number;
  relPath: string;
  originalName: string;
}

/** An analysed image whose face was found but whose row has no recognition descriptor (it is computed only when asked). */
export type ImageWithoutDescriptor = AnalysedImage;

/** Of these records' images (all images when `recordIds` is null), those with a found face and no descriptor, in image order. */
export function imagesWithoutDescriptor(db: Database.Database, recordIds: string[] | null): ImageWithoutDescriptor[] {
  const rows = stmt(
    db,
    `SELECT DISTINCT a.image_id AS imageId, i.rel_path AS relPath, i.original_name AS originalName
     FROM analyses a JOIN images i ON i.id = a.image_id
     WHERE a.face_found = 1 AND a.error IS NULL AND a.descriptor IS NULL
       AND (? IS NULL OR a.image_id IN (SELECT r.image_id FROM records r WHERE r.id IN (SELECT value FROM json_each(?))))
     ORDER BY a.image_id`,
  ).all(recordIds === null ? null : 1, JSON.stringify(recordIds ?? [])) as ImageWithoutDescriptor[];
  return rows;
}

/** Successfully analysed images whose row holds fewer than `views` expression feature views of `dim` values (none: 0), in image order. */
export function imagesWithFewerViews(db: Database.Database, views: number, dim: number): AnalysedImage[] {
  return stmt(
    db,
    `SELECT a.image_id AS imageId, i.rel_path AS relPath, i.original_name AS originalName
     FROM analyses a JOIN images i ON i.id = a.image_id
     WHERE a.error IS NULL AND COALESCE(length(a.expression_features), 0) < ?
     ORDER BY a.image_id`,
  ).all(views * dim * 4) as AnalysedImage[];
}

/** Replaces an analysis' expression feature views; false when the image has no successful analysis to hold them. */
export function setAnalysisExpressionViews(db: Database.Database, imageId: number, views: Float32Array[]): boolean {
  return stmt(db, 'UPDATE analyses SET expression_features = ? WHERE image_id = ? AND error IS NULL').run(viewsBlob(views), imageId).changes === 1;
}

/** Stores a descriptor computed after the analysis; false when the image has no successful analysis to hold it. */
export function setAnalysisDescriptor(db: Database.Database, imageId: number, descriptor: Float32Array): boolean {
  const blob = Buffer.from(descriptor.buffer, descriptor.byteOffset, descriptor.byteLength);
  return stmt(db, 'UPDATE analyses SET descriptor = ? WHERE image_id = ? AND error IS NULL').run(blob, imageId).changes === 1;
}

/**
 * A descriptor BLOB (little-endian float32, 128 from face-api) as a Float32Array that owns its memory: its first
 * `dim` values (all of them by default). Null when missing, shorter than `dim`, not whole float32s, or not finite.
 */
export function descriptorFromBlob(blob: Buffer | null | undefined, dim?: number): Float32Array | null {
  if (!blob || (dim === undefined && blob.length % 4 !== 0)) return null;
  const n = dim ?? blob.length / 4;
  if (blob.length < n * 4) return null;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = blob.readFloatLE(i * 4);
  return out.every(Number.isFinite) ? out : null;
}

function viewsBlob(views: Float32Array[] | undefined): Buffer | null {
  if (!views?.length) return null;
  const out = Buffer.alloc(views.reduce((n, v) => n + v.length * 4, 0));
  let o = 0;
  for (const v of views) for (const x of v) o = out.writeFloatLE(x, o);
  return out;
}

/**
 * The expression feature views of an analyses row: its BLOB cut into vectors of `dim` float32 values. Null when
 * the row has none or `dim` is 0; a BLOB that is not whole views of finite values is an error naming the image.
 */
export function expressionViewsFromBlob(blob: Buffer | null | undefined, dim: number, imageId: number): Float32Array[] | null {
  if (!blob || dim <= 0) return null;
  if (blob.length === 0 || blob.length % (dim * 4) !== 0) {
    throw new Error(`analyses.expression_features of image ${imageId}: ${blob.length} bytes are not whole views of ${dim} float32 values`);
  }
  const views: Float32Array[] = [];
  for (let o = 0; o < blob.length; o += dim * 4) {
    const v = new Float32Array(dim);
    for (let i = 0; i < dim; i++) v[i] = blob.readFloatLE(o + i * 4);
    if (!v.every(Number.isFinite)) throw new Error(`analyses.expression_features of image ${imageId}: view ${views.length} holds a value that is not finite`);
    views.push(v);
  }
  return views;
}
