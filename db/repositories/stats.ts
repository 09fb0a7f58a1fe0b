/** The dashboard's counts: current labels by emotion and AU, human revisions per day and per annotator. */
import type Database from 'better-sqlite3';
import { named } from './named';

/** Records per current emotion (records without one are left out). */
export function emotionCounts(db: Database.Database): Map<string, number> {
  const rows = named(db, 'stats.emotionCounts', 'SELECT emotion, COUNT(*) AS n FROM records WHERE emotion IS NOT NULL GROUP BY emotion').all<{ emotion: string; n: number }>();
  return new Map(rows.map((r) => [r.emotion, r.n]));
}

/**
 * Records per AU of their current revision, from records.aus (the current revision's AUs, kept on the record): one
 * walk of the records_aus index grouping equal AU sets, each set split here; not a revision_aus look-up per record.
 */
export function currentAUCounts(db: Database.Database): Map<string, number> {
  const rows = named(db, 'stats.currentAUCounts', "SELECT aus, COUNT(*) AS n FROM records WHERE aus <> '' GROUP BY aus").all<{ aus: string; n: number }>();
  const out = new Map<string, number>();
  for (const r of rows) for (const au of r.aus.split(' ')) out.set(au, (out.get(au) ?? 0) + r.n);
  return out;
}

/** Human revisions per UTC day (YYYY-MM-DD), oldest first. */
export function humanRevisionsPerDay(db: Database.Database): { day: string; count: number }[] {
  return named(
    db,
    'stats.humanRevisionsPerDay',
    "SELECT substr(created_at, 1, 10) AS day, COUNT(*) AS count FROM revisions WHERE kind = 'human' GROUP BY day ORDER BY day",
  ).all<{ day: string; count: number }>();
}

export interface AnnotatorThroughput {
  userId: number;
  name: string;
  lastHour: number;
  last24h: number;
  total: number;
}

/** Human revisions per author: since `hourAgo`, since `dayAgo` (ISO timestamps) and in all; busiest first. */
export function humanThroughput(db: Database.Database, hourAgo: string, dayAgo: string): AnnotatorThroughput[] {
  return named(
    db,
    'stats.humanThroughput',
    `SELECT u.id AS userId, u.name AS name,
       SUM(v.created_at >= ?) AS lastHour, SUM(v.created_at >= ?) AS last24h, COUNT(*) AS total
     FROM revisions v JOIN users u ON u.id = v.author_id
     WHERE v.kind = 'human'
       -- an undone submission is not work done (the IN list is built once)
       AND v.id NOT IN (SELECT revision_id FROM decisions WHERE undone_at IS NOT NULL AND revision_id IS NOT NULL)
     GROUP BY u.id ORDER BY total DESC, u.name`,
  )
    .all<AnnotatorThroughput>(hourAgo, dayAgo)
    .map((t) => ({ ...t, lastHour: Number(t.lastHour), last24h: Number(t.last24h) }));
}

/** Records whose image has a successful analysis, and of them those where the detector found a face. */
export function analysisCoverage(db: Database.Database): { records: number; analyzed: number; facesFound: number } {
  const row = named(
    db,
    'stats.analysisCoverage',
    `SELECT COUNT(*) AS records,
            COALESCE(SUM(a.image_id IS NOT NULL AND a.error IS NULL), 0) AS analyzed,
            COALESCE(SUM(a.error IS NULL AND a.face_found = 1), 0) AS facesFound
     FROM records r LEFT JOIN analyses a ON a.image_id = r.image_id`,
  ).get<{ records: number; analyzed: number; facesFound: number }>()!;
  return { records: row.records, analyzed: Number(row.analyzed), facesFound: Number(row.facesFound) };
}

/** Records whose image the analysis refused or could not read, by the code its stored error starts with (`code: message`). */
export function notAnalysableRecords(db: Database.Database): { reason: string; records: number }[] {
  return named(
    db,
    'stats.notAnalysableRecords',
    `SELECT CASE WHEN instr(a.error, ':') > 0 THEN substr(a.error, 1, instr(a.error, ':') - 1) ELSE a.error END AS reason, COUNT(*) AS records
     FROM records r JOIN analyses a ON a.image_id = r.image_id
     WHERE a.error IS NOT NULL GROUP BY 1 ORDER BY records DESC, reason`,
  ).all<{ reason: string; records: number }>();
}

/**
 * The median of the label view's time on screen per human submission (revisions.lead_time_ms, written by
 * annotations.submit), undone submissions left out as in the throughput.
 */
export function medianLeadTime(db: Database.Database): { medianMs: number | null; submissions: number } {
  const from = `FROM revisions v WHERE v.kind = 'human' AND v.lead_time_ms IS NOT NULL
       AND v.id NOT IN (SELECT revision_id FROM decisions WHERE undone_at IS NOT NULL AND revision_id IS NOT NULL)`;
  const n = named(db, 'stats.leadTimeCount', `SELECT COUNT(*) AS n ${from}`).get<{ n: number }>()!.n;
  if (n === 0) return { medianMs: null, submissions: 0 };
  // the middle value, or the mean of the middle two
  const middle = named(db, 'stats.leadTimeMiddle', `SELECT v.lead_time_ms AS ms ${from} ORDER BY v.lead_time_ms LIMIT ? OFFSET ?`)
    .all<{ ms: number }>(n % 2 === 0 ? 2 : 1, Math.floor((n - 1) / 2))
    .map((r) => r.ms);
  return { medianMs: middle.reduce((a, b) => a + b, 0) / middle.length, submissions: n };
}
