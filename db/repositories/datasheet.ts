/**
 * The numbers of a datasheet: distributions, provenance and annotators over the records an export writes — a
 * snapshot's (with the revisions it froze), a split's, or every record with an emotion.
 */
import type Database from 'better-sqlite3';
import { stmt } from './statements';

export interface DatasheetSource {
  splitId: number | null;
  snapshotId: number | null;
}

/** The exported records as (record id, revision id, part) rows, as a SQL CTE over bound values. */
const SET = `WITH s AS (
  SELECT r.id AS record_id, COALESCE(sr.revision_id, r.current_revision_id) AS revision_id, COALESCE(sa.part, '') AS part
  FROM records r
  LEFT JOIN snapshot_records sr ON sr.record_id = r.id AND sr.snapshot_id = @snapshotId
  LEFT JOIN split_assignments sa ON sa.record_id = r.id AND sa.split_id = @splitId
  WHERE (@snapshotId IS NULL OR sr.record_id IS NOT NULL) AND (@splitId IS NULL OR sa.record_id IS NOT NULL)
), x AS (SELECT s.*, v.emotion, v.kind, v.author_id, json_extract(v.provenance, '$.roundId') AS round FROM s JOIN revisions v ON v.id = s.revision_id WHERE v.emotion IS NOT NULL)`;

export function datasheetCounts(db: Database.Database, src: DatasheetSource) {
  const p = { splitId: src.splitId, snapshotId: src.snapshotId };
  const byPart = stmt(db, `${SET} SELECT part, COUNT(*) AS n FROM x GROUP BY part ORDER BY part`).all(p) as { part: string; n: number }[];
  const byEmotion = stmt(db, `${SET} SELECT part, emotion, COUNT(*) AS n FROM x GROUP BY part, emotion ORDER BY part, emotion`).all(p) as { part: string; emotion: string; n: number }[];
  const byAU = stmt(db, `${SET} SELECT a.au AS au, COUNT(*) AS n FROM x JOIN revision_aus a ON a.revision_id = x.revision_id GROUP BY a.au`).all(p) as { au: string; n: number }[];
  const provenance = stmt(db, `${SET} SELECT kind, round, COUNT(*) AS n FROM x GROUP BY kind, round ORDER BY kind, round`).all(p) as { kind: string; round: number | null; n: number }[];
  const annotators = stmt(db, `${SET} SELECT u.name AS name, COUNT(*) AS n FROM x JOIN users u ON u.id = x.author_id GROUP BY u.name ORDER BY n DESC, u.name`).all(p) as { name: string; n: number }[];
  return { byPart, byEmotion, byAU, provenance, annotators };
}
