/** The dashboard's counts: current labels by emotion and AU, human revisions per day and per annotator. */
import type Database from 'better-sqlite3';
import { named } from './named';
import { countRecords } from './records';

/**
 * Records per current emotion (records without one are left out), from record_tallies: records per (status, emotion,
 * AU set), kept by triggers (migration 015), so a million records are a few hundred rows here.
 */
export function emotionCounts(db: Database.Database): Map<string, number> {
  const rows = named(db, 'stats.emotionCounts', "SELECT emotion, SUM(n) AS n FROM record_tallies WHERE emotion <> '' GROUP BY emotion HAVING SUM(n) > 0").all<{
    emotion: string;
    n: number;
  }>();
  return new Map(rows.map((r) => [r.emotion, r.n]));
}

/** Records per AU of their current revision (records.aus), from record_tallies' AU sets, each set split here. */
export function currentAUCounts(db: Database.Database): Map<string, number> {
  const rows = named(db, 'stats.currentAUCounts', "SELECT aus, SUM(n) AS n FROM record_tallies WHERE aus <> '' GROUP BY aus HAVING SUM(n) > 0").all<{ aus: string; n: number }>();
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

/**
 * Records whose image has a successful analysis, and of them those where the detector found a face: the tallies
 * triggers keep on every records and analyses change (migration 015), not a join of every record with analyses.
 */
export function analysisCoverage(db: Database.Database): { records: number; analyzed: number; facesFound: number } {
  const row = named(
    db,
    'stats.analysisCoverage',
    `SELECT (SELECT n FROM tallies WHERE name = 'analyzed') AS analyzed,
            (SELECT n FROM tallies WHERE name = 'facesFound') AS facesFound`,
  ).get<{ analyzed: number | null; facesFound: number | null }>()!;
  return { records: countRecords(db), analyzed: row.analyzed ?? 0, facesFound: row.facesFound ?? 0 };
}

/** Records whose image the analysis refused or could not read, by the code its stored error starts with (`code: message`). */
export function notAnalysableRecords(db: Database.Database): { reason: string; records: number }[] {
  return named(
    db,
    'stats.notAnalysableRecords',
    // from the failed analyses (analyses_failed, migration 015), each counting its image's records
    `SELECT reason, SUM(n) AS records FROM (
       SELECT CASE WHEN instr(a.error, ':') > 0 THEN substr(a.error, 1, instr(a.error, ':') - 1) ELSE a.error END AS reason,
              (SELECT COUNT(*) FROM records r WHERE r.image_id = a.image_id) AS n
       FROM analyses a WHERE a.error IS NOT NULL)
     WHERE n > 0 GROUP BY reason ORDER BY records DESC, reason`,
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
