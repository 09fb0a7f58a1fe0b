/**
 * Immutable annotation revisions and their AU marks. Adding a revision moves the record's current pointer and
 * its denormalised columns (emotion, aus, author_id, status, updated_at) in the caller's transaction.
 */
import type Database from 'better-sqlite3';
import { NEUTRAL_EMOTION, sortAUs, type AUMark, type RecordStatus, type RevisionKind } from '../../pipelines/facs/vocabulary';
import { named } from './named';
import { nowIso, parseJson, stmt } from './statements';

export interface RevisionRow {
  id: number;
  record_id: string;
  emotion: string | null;
  reasoning: string;
  author_id: number;
  kind: RevisionKind;
  parent_revision_id: number | null;
  parent_prediction_id: number | null;
  lead_time_ms: number | null;
  provenance: string;
  created_at: string;
}

export interface RevisionWithAUs extends Omit<RevisionRow, 'provenance'> {
  author: string;
  aus: AUMark[];
  provenance: Record<string, unknown>;
}

export interface NewRevision {
  recordId: string;
  emotion: string | null;
  aus: AUMark[];
  reasoning: string;
  authorId: number;
  kind: RevisionKind;
  parentRevisionId?: number | null;
  parentPredictionId?: number | null;
  leadTimeMs?: number | null;
  provenance?: Record<string, unknown>;
  createdAt?: string;
}

/** emotion + AUs → labeled; one of them → weak; none → unlabeled. 'reviewed' is only set by review. */
/**
 * labeled = an emotion and (at least one AU, or the emotion is neutral: a neutral face has no AUs by definition);
 * weak = an emotion without AUs (not neutral), or AUs without an emotion.
 */
export function deriveStatus(emotion: string | null | undefined, aus: readonly unknown[]): RecordStatus {
  const hasEmotion = !!emotion;
  const hasAUs = aus.length > 0;
  if (hasEmotion && (hasAUs || emotion === NEUTRAL_EMOTION)) return 'labeled';
  if (hasEmotion || hasAUs) return 'weak';
  return 'unlabeled';
}

/** Deduplicates marks by AU (last one wins) and sorts them by AU number. */
export function normaliseMarks(aus: readonly AUMark[]): AUMark[] {
  const byAU = new Map<string, AUMark>();
  for (const m of aus) byAU.set(m.au, { au: m.au, intensity: m.intensity ?? null, side: m.side ?? null });
  return sortAUs(byAU.keys()).map((au) => byAU.get(au)!);
}

/** The records.aus column: AU tokens sorted by number, space-separated. */
export function ausColumn(aus: readonly AUMark[] | readonly string[]): string {
  return sortAUs(aus.map((a) => (typeof a === 'string' ? a : a.au))).join(' ');
}

/** Inserts the revision and its AU rows. Does not touch the record row: see setCurrentRevision. */
export function insertRevision(db: Database.Database, rev: NewRevision): number {
  const marks = normaliseMarks(rev.aus);
  const info = stmt(
    db,
    `INSERT INTO revisions (record_id, emotion, reasoning, author_id, kind, parent_revision_id, parent_prediction_id, lead_time_ms, provenance, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    rev.recordId,
    rev.emotion,
    rev.reasoning,
    rev.authorId,
    rev.kind,
    rev.parentRevisionId ?? null,
    rev.parentPredictionId ?? null,
    rev.leadTimeMs === undefined || rev.leadTimeMs === null ? null : Math.round(rev.leadTimeMs),
    JSON.stringify(rev.provenance ?? {}),
    rev.createdAt ?? nowIso(),
  );
  const id = Number(info.lastInsertRowid);
  const insAU = stmt(db, 'INSERT INTO revision_aus (revision_id, au, intensity, side) VALUES (?, ?, ?, ?)');
  for (const m of marks) insAU.run(id, m.au, m.intensity ?? null, m.side ?? null);
  return id;
}

/**
 * Points the record at a revision (or at none) and refreshes its denormalised columns.
 * `status` defaults to the status derived from the revision's labels.
 */
export function setCurrentRevision(
  db: Database.Database,
  recordId: string,
  revisionId: number | null,
  options: { status?: RecordStatus; updatedAt?: string } = {},
): RecordStatus {
  const updatedAt = options.updatedAt ?? nowIso();
  if (revisionId === null) {
    const status = options.status ?? 'unlabeled';
    stmt(db, "UPDATE records SET current_revision_id = NULL, emotion = NULL, aus = '', author_id = NULL, status = ?, updated_at = ? WHERE id = ?").run(
      status,
      updatedAt,
      recordId,
    );
    return status;
  }
  const rev = stmt(db, 'SELECT emotion, author_id FROM revisions WHERE id = ?').get(revisionId) as { emotion: string | null; author_id: number } | undefined;
  if (!rev) throw new Error(`revision ${revisionId} does not exist`);
  const aus = (stmt(db, 'SELECT au FROM revision_aus WHERE revision_id = ?').all(revisionId) as { au: string }[]).map((r) => r.au);
  const status = options.status ?? deriveStatus(rev.emotion, aus);
  stmt(db, 'UPDATE records SET current_revision_id = ?, emotion = ?, aus = ?, author_id = ?, status = ?, updated_at = ? WHERE id = ?').run(
    revisionId,
    rev.emotion,
    ausColumn(aus),
    rev.author_id,
    status,
    updatedAt,
    recordId,
  );
  return status;
}

/** Adds a revision and makes it current, in one call (the caller supplies the transaction). */
export function addRevision(db: Database.Database, rev: NewRevision, options: { status?: RecordStatus } = {}): { revisionId: number; status: RecordStatus } {
  const createdAt = rev.createdAt ?? nowIso();
  const revisionId = insertRevision(db, { ...rev, createdAt });
  const status = setCurrentRevision(db, rev.recordId, revisionId, { status: options.status, updatedAt: createdAt });
  return { revisionId, status };
}

export function revisionMarks(db: Database.Database, revisionId: number): AUMark[] {
  const rows = stmt(db, 'SELECT au, intensity, side FROM revision_aus WHERE revision_id = ?').all(revisionId) as AUMark[];
  return normaliseMarks(rows);
}

function withDetails(db: Database.Database, row: RevisionRow & { author: string }): RevisionWithAUs {
  return { ...row, aus: revisionMarks(db, row.id), provenance: parseJson(row.provenance, {}) };
}

export function getRevision(db: Database.Database, id: number): RevisionWithAUs | undefined {
  const row = stmt(db, 'SELECT v.*, u.name AS author FROM revisions v JOIN users u ON u.id = v.author_id WHERE v.id = ?').get(id) as
    | (RevisionRow & { author: string })
    | undefined;
  return row ? withDetails(db, row) : undefined;
}

/** Every revision of a record, newest first (undone ones included: revisions are never removed). */
export function listRevisions(db: Database.Database, recordId: string): RevisionWithAUs[] {
  const rows = named(
    db,
    'revisions.ofRecord',
    'SELECT v.*, u.name AS author FROM revisions v JOIN users u ON u.id = v.author_id WHERE v.record_id = ? ORDER BY v.id DESC',
  ).all<RevisionRow & { author: string }>(recordId);
  return rows.map((r) => withDetails(db, r));
}
