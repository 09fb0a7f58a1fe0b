/** What training and evaluation read: a split's parts and its labelled records with their image and analysis. */
import type Database from 'better-sqlite3';
import { descriptorFromBlob, expressionViewsFromBlob } from './analysis';
import { stmt } from './statements';

export function splitExists(db: Database.Database, split: string): boolean {
  return !!stmt(db, 'SELECT 1 FROM splits WHERE name = ?').get(split);
}

export function splitPartNames(db: Database.Database, split: string): string[] {
  return (
    stmt(db, 'SELECT DISTINCT sa.part FROM split_assignments sa JOIN splits s ON s.id = sa.split_id WHERE s.name = ? ORDER BY sa.part').all(split) as {
      part: string;
    }[]
  ).map((r) => r.part);
}

/** A record of a split part with an emotion: its image, its analysis (where a face was found) and its reasoning. */
export interface TrainingRecord {
  id: string;
  /** null only with `withUnlabeled`. */
  emotion: string | null;
  aus: string[];
  /** Media-relative path of the image. */
  relPath: string;
  subject: string | null;
  /** Workspace-relative path of the eye-aligned grayscale crop, when analysed with a face found. */
  cropGrayPath: string | null;
  /** The first `descriptorDim` values of the face descriptor (null without one). */
  descriptor: Float32Array | null;
  /** The expression feature views of the image's analysis (face found or not), null without any or with expressionDim 0. */
  expressionViews: Float32Array[] | null;
  reasoning: string;
}

export interface TrainingRecordQuery {
  split: string;
  part: string;
  descriptorDim: number;
  /** Length of one expression feature view (0: not read). */
  expressionDim?: number;
  /** Only records a human labeled or reviewed (training); otherwise every record with an emotion. */
  labeledOnly: boolean;
  /** At most this many records (in id order); none or 0 = all. */
  limit?: number;
  /** Records without an emotion too (a policy writing suggestions); labeledOnly must then be false. */
  withUnlabeled?: boolean;
}

interface Row {
  id: string;
  emotion: string | null;
  aus: string;
  rel_path: string;
  subject: string | null;
  crop_gray_path: string | null;
  descriptor: Buffer | null;
  image_id: number;
  expression_features: Buffer | null;
  reasoning: string | null;
}

export function trainingRecords(db: Database.Database, q: TrainingRecordQuery): TrainingRecord[] {
  const rows = stmt(
    db,
    `SELECT r.id, r.emotion, r.aus, i.rel_path, i.subject, a.crop_gray_path, a.descriptor, rv.reasoning,
            i.id AS image_id, ax.expression_features
     FROM split_assignments sa
     JOIN splits s ON s.id = sa.split_id
     JOIN records r ON r.id = sa.record_id
     JOIN images i ON i.id = r.image_id
     LEFT JOIN analyses a ON a.image_id = i.id AND a.face_found = 1
     LEFT JOIN analyses ax ON ax.image_id = i.id AND ax.error IS NULL
     LEFT JOIN revisions rv ON rv.id = r.current_revision_id
     WHERE s.name = ? AND sa.part = ? AND (? = 1 OR r.emotion IS NOT NULL)
       AND (? = 0 OR r.status IN ('labeled', 'reviewed'))
     ORDER BY r.id
     LIMIT ?`,
  ).all(q.split, q.part, q.withUnlabeled ? 1 : 0, q.labeledOnly ? 1 : 0, q.limit ? Math.floor(q.limit) : -1) as Row[];
  return rows.map((r) => ({
    id: r.id,
    emotion: r.emotion,
    aus: r.aus.split(/\s+/).filter(Boolean),
    relPath: r.rel_path,
    subject: r.subject,
    cropGrayPath: r.crop_gray_path,
    descriptor: descriptorFromBlob(r.descriptor, q.descriptorDim),
    expressionViews: expressionViewsFromBlob(r.expression_features, q.expressionDim ?? 0, r.image_id),
    reasoning: r.reasoning ?? '',
  }));
}

/**
 * What a split part offers training, counted as trainingRecords reads it with labeledOnly: records a person
 * labeled or reviewed with an emotion, and those of them whose current revision has a reasoning.
 */
export function trainableCounts(db: Database.Database, split: string, part: string): { labeled: number; withReasoning: number } {
  const row = stmt(
    db,
    `SELECT COUNT(*) AS labeled,
            COALESCE(SUM(TRIM(COALESCE(rv.reasoning, ''), ' ' || char(9) || char(10) || char(13)) <> ''), 0) AS withReasoning
     FROM split_assignments sa
     JOIN splits s ON s.id = sa.split_id
     JOIN records r ON r.id = sa.record_id
     LEFT JOIN revisions rv ON rv.id = r.current_revision_id
     WHERE s.name = ? AND sa.part = ? AND r.emotion IS NOT NULL AND r.status IN ('labeled', 'reviewed')`,
  ).get(split, part) as { labeled: number; withReasoning: number };
  return { labeled: row.labeled, withReasoning: Number(row.withReasoning) };
}
