/** Workspace statistics: status counts, label distributions over current labels, progress and throughput. */
import type Database from 'better-sqlite3';
import type { WorkspaceStats } from '../../contract/types';
import { countByStatus, countImages, countRecords, stmt, vocabulary } from '../../db/repositories';
import { sortAUs } from '../../pipelines/facs/vocabulary';

export function workspaceStats(db: Database.Database, now = new Date()): WorkspaceStats {
  const byStatus = countByStatus(db);
  const byEmotion: Record<string, number> = {};
  // vocabulary order first, so the dict reads the same way in every workspace
  const counts = new Map((stmt(db, 'SELECT emotion, COUNT(*) AS n FROM records WHERE emotion IS NOT NULL GROUP BY emotion').all() as { emotion: string; n: number }[]).map((r) => [r.emotion, r.n]));
  for (const e of vocabulary(db, 'emotion')) if (counts.has(e)) byEmotion[e] = counts.get(e)!;
  for (const [e, n] of [...counts].sort()) if (!(e in byEmotion)) byEmotion[e] = n;
  const auCounts = new Map(
    (stmt(db, 'SELECT ra.au, COUNT(*) AS n FROM records r JOIN revision_aus ra ON ra.revision_id = r.current_revision_id GROUP BY ra.au').all() as { au: string; n: number }[]).map(
      (r) => [r.au, r.n],
    ),
  );
  const byAU: Record<string, number> = {};
  for (const au of sortAUs(auCounts.keys())) byAU[au] = auCounts.get(au)!;
  const progress = stmt(db, "SELECT substr(created_at, 1, 10) AS day, COUNT(*) AS count FROM revisions WHERE kind = 'human' GROUP BY day ORDER BY day").all() as {
    day: string;
    count: number;
  }[];
  const hourAgo = new Date(now.getTime() - 3600_000).toISOString();
  const dayAgo = new Date(now.getTime() - 86400_000).toISOString();
  const throughput = (
    stmt(
      db,
      `SELECT u.id AS userId, u.name AS name,
         SUM(v.created_at >= ?) AS lastHour, SUM(v.created_at >= ?) AS last24h, COUNT(*) AS total
       FROM revisions v JOIN users u ON u.id = v.author_id WHERE v.kind = 'human' GROUP BY u.id ORDER BY total DESC, u.name`,
    ).all(hourAgo, dayAgo) as { userId: number; name: string; lastHour: number; last24h: number; total: number }[]
  ).map((t) => ({ ...t, lastHour: Number(t.lastHour), last24h: Number(t.last24h) }));
  return {
    records: countRecords(db),
    images: countImages(db),
    labeled: byStatus.labeled,
    weak: byStatus.weak,
    unlabeled: byStatus.unlabeled,
    reviewed: byStatus.reviewed,
    byEmotion,
    byAU,
    progress,
    throughput,
  };
}
