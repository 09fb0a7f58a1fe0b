/**
 * Workspace statistics: status counts, label distributions over current labels, progress and throughput, face-analysis
 * coverage (faces per source as `fea analyze --json` reports them), skipped records and time per record.
 */
import type Database from 'better-sqlite3';
import type { WorkspaceStats } from '../../contract/types';
import {
  analysisCoverage,
  countByStatus,
  countImages,
  currentAUCounts,
  emotionCounts,
  humanRevisionsPerDay,
  humanThroughput,
  medianLeadTime,
  notAnalysableRecords,
  skippedRecordReasons,
  vocabulary,
} from '../../db/repositories';
import { facesBySource } from '../../db/repositories/analysis';
import { sortAUs } from '../../pipelines/facs/vocabulary';

export function workspaceStats(db: Database.Database, now = new Date()): WorkspaceStats {
  const byStatus = countByStatus(db);
  const byEmotion: Record<string, number> = {};
  // vocabulary order first, so the dict reads the same way in every workspace
  const counts = emotionCounts(db);
  for (const e of vocabulary(db, 'emotion')) if (counts.has(e)) byEmotion[e] = counts.get(e)!;
  for (const [e, n] of [...counts].sort()) if (!Object.hasOwn(byEmotion, e)) byEmotion[e] = n;
  const auCounts = currentAUCounts(db);
  const byAU: Record<string, number> = {};
  for (const au of sortAUs(auCounts.keys())) byAU[au] = auCounts.get(au)!;
  const hourAgo = new Date(now.getTime() - 3600_000).toISOString();
  const dayAgo = new Date(now.getTime() - 86400_000).toISOString();
  const coverage = analysisCoverage(db);
  const skippedReasons = skippedRecordReasons(db);
  return {
    records: coverage.records,
    images: countImages(db),
    labeled: byStatus.labeled,
    weak: byStatus.weak,
    unlabeled: byStatus.unlabeled,
    reviewed: byStatus.reviewed,
    byEmotion,
    byAU,
    progress: humanRevisionsPerDay(db),
    throughput: humanThroughput(db, hourAgo, dayAgo),
    analysis: { ...coverage, notAnalysable: notAnalysableRecords(db), facesBySource: facesBySource(db) },
    skipped: { records: skippedReasons.reduce((n, r) => n + r.records, 0), reasons: skippedReasons },
    labelTime: medianLeadTime(db),
  };
}
