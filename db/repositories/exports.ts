/** What the exports read: every record with its image, current revision and author (Facial-R1), or with predictions and analysis (CSV). */
import type Database from 'better-sqlite3';
import { named, timed } from './named';
import { stmt } from './statements';

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

/** Rows per page of the Facial-R1 export's keyset reads. */
const FACIAL_R1_PAGE = 1000;

/**
 * Pages of `sql` (its last two parameters: the keyset after the last row, and the page size) read raw and made
 * FacialR1ExportRow objects here: stepping a cursor a row at a time, each row an object built by the binding, took
 * half of an export's time at a million records.
 */
function* facialR1Pages(
  db: Database.Database,
  name: string,
  sql: string,
  params: unknown[],
  keyset: (last: FacialR1ExportRow | null) => unknown[],
  pageSize: number,
): Generator<FacialR1ExportRow, void, undefined> {
  const s = stmt(db, sql).raw(true);
  let after = keyset(null);
  for (;;) {
    const page = timed(name, () => s.all(...params, ...after, pageSize) as unknown[][]);
    for (const c of page) {
      const row: FacialR1ExportRow = {
        id: c[0] as string,
        source: c[1] as string | null,
        question: c[2] as string,
        emotion: c[3] as string | null,
        aus: c[4] as string,
        meta: c[5] as string,
        current_revision_id: c[6] as number | null,
        rel_path: c[7] as string,
        subject: c[8] as string | null,
        reasoning: c[9] as string | null,
        kind: c[10] as string | null,
        provenance: c[11] as string | null,
        author: c[12] as string | null,
        part: c[13] as string | null,
      };
      yield row;
      after = keyset(row);
    }
    if (page.length < pageSize) return;
  }
}

/** What the export's first pass reads (images and counts): no revision or author columns, no joins for them. */
export type FacialR1PlanRow = Pick<FacialR1ExportRow, 'id' | 'emotion' | 'aus' | 'meta' | 'current_revision_id' | 'rel_path' | 'part'>;

/** FACIAL_R1_COLUMNS' positions, the ones the first pass leaves out as NULL. */
const FACIAL_R1_PLAN_COLUMNS = `r.id, NULL, NULL, r.emotion, r.aus, r.meta, r.current_revision_id, i.rel_path, NULL, NULL, NULL, NULL, NULL`;
const FACIAL_R1_PLAN_FROM = `records r JOIN images i ON i.id = r.image_id`;

function facialR1Rows(
  db: Database.Database,
  name: string,
  columns: string,
  from: string,
  splitId: number | null,
  pageSize: number,
  where = '',
): Generator<FacialR1ExportRow, void, undefined> {
  if (splitId === null) {
    return facialR1Pages(db, name, `SELECT ${columns}, NULL AS part FROM ${from} WHERE r.id > ? ${where} ORDER BY r.id LIMIT ?`, [], (last) => [last ? last.id : ''], pageSize);
  }
  return facialR1Pages(
    db,
    `${name}.split`,
    `SELECT ${columns}, sa.part AS part FROM ${from}
     JOIN split_assignments sa ON sa.record_id = r.id AND sa.split_id = ? WHERE (sa.part, sa.record_id) > (?, ?) ${where} ORDER BY sa.part, sa.record_id LIMIT ?`,
    [splitId],
    (last) => (last ? [last.part, last.id] : ['', '']),
    pageSize,
  );
}

/** The export writes records with an annotation only: the rest are not read twice (the first pass counts them). */
const LABELED = 'AND r.current_revision_id IS NOT NULL';

/** Every annotated record (with a current revision), by id, streamed in pages (an export of a million records holds one page at a time). */
export function facialR1ExportRows(db: Database.Database, pageSize = FACIAL_R1_PAGE): Generator<FacialR1ExportRow, void, undefined> {
  return facialR1Rows(db, 'export.facialR1Rows', FACIAL_R1_COLUMNS, FACIAL_R1_FROM, null, pageSize, LABELED);
}

/** The annotated records assigned to a split, by part then id, streamed in pages. */
export function facialR1SplitExportRows(db: Database.Database, splitId: number, pageSize = FACIAL_R1_PAGE): Generator<FacialR1ExportRow, void, undefined> {
  return facialR1Rows(db, 'export.facialR1Rows', FACIAL_R1_COLUMNS, FACIAL_R1_FROM, splitId, pageSize, LABELED);
}

/** The same rows with only what the export's first pass reads. */
export function facialR1PlanRows(db: Database.Database, splitId: number | null, pageSize = FACIAL_R1_PAGE): Generator<FacialR1PlanRow, void, undefined> {
  return facialR1Rows(db, 'export.facialR1PlanRows', FACIAL_R1_PLAN_COLUMNS, FACIAL_R1_PLAN_FROM, splitId, pageSize);
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
  reasoning: string | null;
  author: string | null;
  revision_kind: string | null;
  /** The current revision's synthesis round (its provenance's roundId), for the datasheet. */
  revision_round: number | null;
}

/**
 * Every record by id, with its part in `split` (none: no part), streamed: a CSV of 100k records need not sit in memory.
 * Rows are stepped raw and made objects here (a third less time than the binding's objects at a million rows).
 */
export function* csvExportRows(db: Database.Database, split: { id: number; name: string } | undefined): Generator<CsvExportRow, void, undefined> {
  const sql = `WITH pe AS (
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
            a.face_found, a.error AS a_error, a.phash, v.reasoning, u.name AS author, v.kind AS revision_kind,
            json_extract(v.provenance, '$.roundId') AS revision_round
     FROM records r JOIN images i ON i.id = r.image_id
     LEFT JOIN revisions v ON v.id = r.current_revision_id
     LEFT JOIN users u ON u.id = v.author_id
     LEFT JOIN split_assignments sa ON sa.record_id = r.id AND sa.split_id = @splitId
     LEFT JOIN pe ON pe.record_id = r.id AND pe.rn = 1
     LEFT JOIN pa ON pa.record_id = r.id AND pa.rn = 1
     LEFT JOIN analyses a ON a.image_id = i.id
     ORDER BY r.id`;
  // the cached statement named() steps (and times), in raw mode
  stmt(db, sql).raw(true);
  for (const c of named(db, 'export.csvRows', sql).iterate<unknown[]>({ splitId: split?.id ?? -1, splitName: split?.name ?? null })) {
    yield {
      id: c[0] as string,
      rel_path: c[1] as string,
      original_name: c[2] as string,
      subject: c[3] as string | null,
      source: c[4] as string | null,
      status: c[5] as string,
      emotion: c[6] as string | null,
      aus: c[7] as string,
      split_name: c[8] as string | null,
      part: c[9] as string | null,
      p_emotion: c[10] as string | null,
      p_score: c[11] as number | null,
      p_model: c[12] as string | null,
      a_aus: c[13] as string | null,
      face_found: c[14] as number | null,
      a_error: c[15] as string | null,
      phash: c[16] as string | null,
      reasoning: c[17] as string | null,
      author: c[18] as string | null,
      revision_kind: c[19] as string | null,
      revision_round: c[20] as number | null,
    };
  }
}

/** A revision's AUs, space-separated in AU-number order (as records.aus holds them). */
const SNAPSHOT_AUS = `(SELECT group_concat(au, ' ') FROM (SELECT au FROM revision_aus WHERE revision_id = v.id ORDER BY CAST(substr(au, 3) AS INTEGER)))`;

/** A labeled record as the engine exports write it; `part` is '' without a split. */
export interface EngineExportRow {
  id: string;
  source: string | null;
  question: string;
  emotion: string;
  aus: string;
  rel_path: string;
  reasoning: string | null;
  part: string;
  /** The labeling revision's kind (null without one), its provenance's synthesis round and its author: the datasheet's counts. */
  kind: string | null;
  round: number | null;
  author: string | null;
}

/** What the datasheet counts of each row's revision (v, its author u). */
const REVISION_COLUMNS = `v.kind, json_extract(v.provenance, '$.roundId') AS round, u.name AS author`;

/**
 * A page's rows read as arrays (better-sqlite3's raw mode) and made objects here: building each row object in the
 * native binding costs a third of the query's time at a million records. Columns in EngineExportRow's order.
 */
function enginePageRows(db: Database.Database, name: string, sql: string, params: unknown[]): EngineExportRow[] {
  const s = stmt(db, sql).raw(true);
  const rows = timed(name, () => s.all(...params) as unknown[][]);
  return rows.map((c) => ({
    id: c[0] as string,
    source: c[1] as string | null,
    question: c[2] as string,
    emotion: c[3] as string,
    aus: c[4] as string,
    rel_path: c[5] as string,
    reasoning: c[6] as string | null,
    part: c[7] as string,
    kind: c[8] as string | null,
    round: c[9] as number | null,
    author: c[10] as string | null,
  }));
}

/**
 * One page of records with an emotion (what every engine needs as its answer), by (part, id) after `after`
 * (a split's keyset on split_assignments' own columns, so the page is a range of its (split, part, record) index, not a sort):
 * keyset pages, so an export of a million records holds one page and keeps no cursor open across awaits.
 */
export function engineExportPage(
  db: Database.Database,
  splitId: number | null,
  after: { part: string; id: string } | null,
  limit: number,
  snapshotId: number | null = null,
): EngineExportRow[] {
  if (snapshotId !== null) {
    // a snapshot's records with the labels it froze (its revisions), not the current ones; the keyset runs on the
    // index that drives the page (the snapshot's records by id, or the split's by part and id)
    const snapCols = `r.id, r.source, r.question, v.emotion, ${SNAPSHOT_AUS} AS aus, i.rel_path, v.reasoning`;
    const snapFrom = `JOIN revisions v ON v.id = sr.revision_id JOIN records r ON r.id = sr.record_id JOIN images i ON i.id = r.image_id
       LEFT JOIN users u ON u.id = v.author_id`;
    if (splitId === null) {
      return enginePageRows(
        db,
        'export.engineSnapshotPage',
        `SELECT ${snapCols}, '' AS part, ${REVISION_COLUMNS} FROM snapshot_records sr ${snapFrom}
         WHERE sr.snapshot_id = ? AND v.emotion IS NOT NULL AND sr.record_id > ? ORDER BY sr.record_id LIMIT ?`,
        [snapshotId, after?.id ?? '', limit],
      );
    }
    return enginePageRows(
      db,
      'export.engineSnapshotSplitPage',
      `SELECT ${snapCols}, sa.part AS part, ${REVISION_COLUMNS}
       FROM split_assignments sa JOIN snapshot_records sr ON sr.snapshot_id = ? AND sr.record_id = sa.record_id ${snapFrom}
       WHERE sa.split_id = ? AND v.emotion IS NOT NULL AND (sa.part, sa.record_id) > (?, ?) ORDER BY sa.part, sa.record_id LIMIT ?`,
      [snapshotId, splitId, after?.part ?? '', after?.id ?? '', limit],
    );
  }
  const cols = `r.id, r.source, r.question, r.emotion, r.aus, i.rel_path, v.reasoning`;
  const from = `records r JOIN images i ON i.id = r.image_id LEFT JOIN revisions v ON v.id = r.current_revision_id LEFT JOIN users u ON u.id = v.author_id`;
  if (splitId === null) {
    return enginePageRows(db, 'export.enginePage', `SELECT ${cols}, '' AS part, ${REVISION_COLUMNS} FROM ${from} WHERE r.emotion IS NOT NULL AND r.id > ? ORDER BY r.id LIMIT ?`, [after?.id ?? '', limit]);
  }
  return enginePageRows(
    db,
    'export.engineSplitPage',
    `SELECT ${cols}, sa.part AS part, ${REVISION_COLUMNS} FROM ${from} JOIN split_assignments sa ON sa.record_id = r.id AND sa.split_id = ?
     WHERE r.emotion IS NOT NULL AND (sa.part, sa.record_id) > (?, ?) ORDER BY sa.part, sa.record_id LIMIT ?`,
    [splitId, after?.part ?? '', after?.id ?? '', limit],
  );
}

/** Records an engine export writes, per part ('' without a split), and those it leaves out for lack of an emotion. */
export function engineExportCounts(db: Database.Database, splitId: number | null, snapshotId: number | null = null): { parts: Map<string, number>; withoutEmotion: number } {
  if (snapshotId !== null) {
    const rows = named(
      db,
      'export.engineSnapshotCounts',
      `SELECT COALESCE(sa.part, '') AS part, COUNT(v.emotion) AS n, COUNT(*) - COUNT(v.emotion) AS missing
       FROM snapshot_records sr JOIN revisions v ON v.id = sr.revision_id
       LEFT JOIN split_assignments sa ON sa.record_id = sr.record_id AND sa.split_id = ?
       WHERE sr.snapshot_id = ? AND (? IS NULL OR sa.part IS NOT NULL) GROUP BY COALESCE(sa.part, '') ORDER BY 1`,
    ).all<{ part: string; n: number; missing: number }>(splitId, snapshotId, splitId);
    return { parts: new Map(rows.filter((r) => r.n > 0).map((r) => [r.part, r.n])), withoutEmotion: rows.reduce((a, r) => a + r.missing, 0) };
  }
  if (splitId === null) {
    const r = named(db, 'export.engineCounts', `SELECT COUNT(emotion) AS n, COUNT(*) - COUNT(emotion) AS missing FROM records`).get<{ n: number; missing: number }>()!;
    return { parts: new Map(r.n ? [['', r.n]] : []), withoutEmotion: r.missing };
  }
  const rows = named(
    db,
    'export.engineSplitCounts',
    `SELECT sa.part, COUNT(r.emotion) AS n, COUNT(*) - COUNT(r.emotion) AS missing FROM split_assignments sa JOIN records r ON r.id = sa.record_id
     WHERE sa.split_id = ? GROUP BY sa.part ORDER BY sa.part`,
  ).all<{ part: string; n: number; missing: number }>(splitId);
  return { parts: new Map(rows.filter((r) => r.n > 0).map((r) => [r.part, r.n])), withoutEmotion: rows.reduce((s, r) => s + r.missing, 0) };
}

/**
 * One page of the distinct images of the records an engine export writes, by sha256 after `after`: each image file
 * is placed once however many records share it, without a set of the names seen held in memory.
 */
export function engineExportImagePage(
  db: Database.Database,
  splitId: number | null,
  after: string,
  limit: number,
  snapshotId: number | null = null,
): { rel_path: string; sha256: string }[] {
  if (snapshotId !== null) {
    return named(
      db,
      'export.engineSnapshotImagePage',
      `SELECT i.rel_path, i.sha256 FROM images i WHERE i.sha256 > ?
       AND EXISTS (SELECT 1 FROM snapshot_records sr JOIN revisions v ON v.id = sr.revision_id JOIN records r ON r.id = sr.record_id
                   LEFT JOIN split_assignments sa ON sa.record_id = r.id AND sa.split_id = ?
                   WHERE sr.snapshot_id = ? AND r.image_id = i.id AND v.emotion IS NOT NULL AND (? IS NULL OR sa.part IS NOT NULL))
       ORDER BY i.sha256 LIMIT ?`,
    ).all<{ rel_path: string; sha256: string }>(after, splitId, snapshotId, splitId, limit);
  }
  if (splitId === null) {
    return named(
      db,
      'export.engineImagePage',
      `SELECT i.rel_path, i.sha256 FROM images i WHERE i.sha256 > ?
       AND EXISTS (SELECT 1 FROM records r WHERE r.image_id = i.id AND r.emotion IS NOT NULL) ORDER BY i.sha256 LIMIT ?`,
    ).all<{ rel_path: string; sha256: string }>(after, limit);
  }
  return named(
    db,
    'export.engineSplitImagePage',
    `SELECT i.rel_path, i.sha256 FROM images i WHERE i.sha256 > ?
     AND EXISTS (SELECT 1 FROM records r JOIN split_assignments sa ON sa.record_id = r.id AND sa.split_id = ? WHERE r.image_id = i.id AND r.emotion IS NOT NULL)
     ORDER BY i.sha256 LIMIT ?`,
  ).all<{ rel_path: string; sha256: string }>(after, splitId, limit);
}
