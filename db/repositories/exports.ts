/** What the exports read: every record with its image, current revision and author (Facial-R1), or with predictions and analysis (CSV). */
import type Database from 'better-sqlite3';
import { named } from './named';

/** A record as the Facial-R1 export writes it; `part` is its part in the exported split (null without one). */
export interface FacialR1ExportRow {
  id: string;
  source: string | null;
  question: string;
  emotion: string | null;
  aus: string;
  meta: string;
  current_revision_id: number | null;
  rel_path: string;
  subject: string | null;
  reasoning: string | null;
  kind: string | null;
  provenance: string | null;
  author: string | null;
  part: string | null;
}

const FACIAL_R1_COLUMNS = `r.id, r.source, r.question, r.emotion, r.aus, r.meta, r.current_revision_id, i.rel_path, i.subject,
  v.reasoning, v.kind, v.provenance, u.name AS author`;
const FACIAL_R1_FROM = `records r JOIN images i ON i.id = r.image_id
  LEFT JOIN revisions v ON v.id = r.current_revision_id LEFT JOIN users u ON u.id = v.author_id`;

/** Every record, by id. */
export function facialR1ExportRows(db: Database.Database): FacialR1ExportRow[] {
  return named(db, 'export.facialR1Rows', `SELECT ${FACIAL_R1_COLUMNS}, NULL AS part FROM ${FACIAL_R1_FROM} ORDER BY r.id`).all<FacialR1ExportRow>();
}

/** The records assigned to a split, by part then id. */
export function facialR1SplitExportRows(db: Database.Database, splitId: number): FacialR1ExportRow[] {
  return named(
    db,
    'export.facialR1SplitRows',
    `SELECT ${FACIAL_R1_COLUMNS}, sa.part AS part FROM ${FACIAL_R1_FROM}
     JOIN split_assignments sa ON sa.record_id = r.id AND sa.split_id = ? ORDER BY sa.part, r.id`,
  ).all<FacialR1ExportRow>(splitId);
}

/** A records.csv row before formatting: p_* from the newest prediction with an emotion, a_aus from the newest with AU scores. */
export interface CsvExportRow {
  id: string;
  rel_path: string;
  original_name: string;
  subject: string | null;
  source: string | null;
  status: string;
  emotion: string | null;
  aus: string;
  split_name: string | null;
  part: string | null;
  p_emotion: string | null;
  p_score: number | null;
  p_model: string | null;
  a_aus: string | null;
  face_found: number | null;
  a_error: string | null;
  phash: string | null;
}

/** Every record by id, with its part in `split` (none: no part), streamed: a CSV of 100k records need not sit in memory. */
export function csvExportRows(db: Database.Database, split: { id: number; name: string } | undefined): Generator<CsvExportRow, void, undefined> {
  return named(
    db,
    'export.csvRows',
    `WITH pe AS (
       SELECT p.record_id, p.emotion, p.score, m.name || '@' || m.version AS model,
              ROW_NUMBER() OVER (PARTITION BY p.record_id ORDER BY p.created_at DESC, p.id DESC) AS rn
       FROM predictions p JOIN models m ON m.id = p.model_id WHERE p.emotion IS NOT NULL
     ), pa AS (
       SELECT p.record_id, p.aus,
              ROW_NUMBER() OVER (PARTITION BY p.record_id ORDER BY p.created_at DESC, p.id DESC) AS rn
       FROM predictions p WHERE p.aus NOT IN ('', '[]')
     )
     SELECT r.id, i.rel_path, i.original_name, i.subject, r.source, r.status, r.emotion, r.aus,
            CASE WHEN sa.part IS NULL THEN NULL ELSE @splitName END AS split_name, sa.part,
            pe.emotion AS p_emotion, pe.score AS p_score, pe.model AS p_model, pa.aus AS a_aus,
            a.face_found, a.error AS a_error, a.phash
     FROM records r JOIN images i ON i.id = r.image_id
     LEFT JOIN split_assignments sa ON sa.record_id = r.id AND sa.split_id = @splitId
     LEFT JOIN pe ON pe.record_id = r.id AND pe.rn = 1
     LEFT JOIN pa ON pa.record_id = r.id AND pa.rn = 1
     LEFT JOIN analyses a ON a.image_id = i.id
     ORDER BY r.id`,
  ).iterate<CsvExportRow>({ splitId: split?.id ?? -1, splitName: split?.name ?? null });
}
