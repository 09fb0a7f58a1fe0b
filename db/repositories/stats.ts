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
