/**
 * Named splits over the workspace. Records considered: those with a current emotion whose status is labeled,
 * weak or reviewed (AU-only records have nothing to stratify on and are left out; unlabeled ones have no label).
 * Every split carries its leakage report (shared subjects, exact and near-duplicate images across parts); with
 * `fix`, the groups that leak are moved into one part first and the summary says what moved.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { getSnapshot } from '../../db/repositories/snapshots';
import { ApiError } from '../../contract/dispatch';
import type { SplitSummary } from '../../contract/types';
import { appendAudit, getSplit, insertSplit, leakageRecords, listSplits, nowIso, splitAssignments, type LeakageRecord } from '../../db/repositories';
import {
  checkPartNames,
  computeSplit,
  DEFAULT_NEAR_DUP_THRESHOLD,
  fixLeakage,
  leakageReport,
  MAX_NEAR_DUP_THRESHOLD,
  ratioSumProblem,
  summarise,
  type LeakageReport,
  type MovedReport,
  type SplitItem,
} from '../../pipelines/splits';
import { parseStoredConfig, parseStoredSummary, type StoredConfig, type StoredSummary } from './stored-summary';

export interface SplitRequest {
  name: string;
  ratios: Record<string, number>;
  stratify: 'emotion' | null;
  group: 'subject' | null;
  seed: number;
  /** Default DEFAULT_NEAR_DUP_THRESHOLD. */
  nearDupThreshold?: number;
  fix?: boolean;
  /** Split this frozen snapshot's records (with the labels it froze) instead of the current labels. */
  fromSnapshot?: number;
}

export interface SplitConfig extends SplitRequest {
  records: number;
  /** Hash of the (id, emotion, subject, image hashes) snapshot the split was computed from. */
  snapshot: string;
}

export type SplitSummaryFull = SplitSummary & { fractions: Record<string, number>; records: number; ratios: Record<string, number>; stratify: string | null; group: string | null };

function snapshotHash(records: LeakageRecord[]): string {
  const h = createHash('sha256');
  for (const r of records) h.update(`${r.id}\t${r.label}\t${r.subject ?? ''}\t${r.imageId}\t${r.pixelHash ?? ''}\t${r.phash ?? ''}\n`);
  return h.digest('hex');
}

function toSummary(name: string, config: StoredConfig, s: StoredSummary, createdAt: string, leakage?: LeakageReport): SplitSummaryFull {
  const report = s.leakage ?? leakage;
  return {
    name,
    parts: s.parts,
    maxStratDeviation: s.maxStratDeviation,
    sharedSubjects: s.sharedSubjects,
    // a dataset import's split keeps its source's parts: no seed, ratios or stratification of ours
    seed: config.seed ?? 0,
    createdAt,
    fractions: s.fractions,
    records: config.records ?? Object.values(s.parts).reduce((n, p) => n + p.n, 0),
    ratios: config.ratios ?? s.fractions,
    stratify: config.stratify ?? null,
    group: config.group ?? null,
    ...(report ? { exactDuplicatePairs: report.exactDuplicatePairs, nearDuplicatePairs: report.nearDuplicatePairs, leakage: report } : {}),
    ...(s.moved ? { moved: s.moved } : {}),
  };
}

function invalid(message: string): ApiError {
  return new ApiError('invalid_input', message);
}

/**
 * Computes and persists a split. Re-running an existing name with the same data and seed returns the stored
 * split unchanged; a different outcome under an existing name is refused (training runs refer to splits by name).
 * Near-duplicates are found among images with hashes (see ensureImageHashes, which the handler runs first).
 */
export function createSplit(db: Database.Database, req: SplitRequest, actor = 'system'): SplitSummaryFull {
  const threshold = req.nearDupThreshold ?? DEFAULT_NEAR_DUP_THRESHOLD;
  try {
    checkPartNames(Object.keys(req.ratios));
  } catch (err) {
    throw invalid(err instanceof Error ? err.message : String(err));
  }
  const sumProblem = ratioSumProblem(req.ratios);
  if (sumProblem) throw invalid(sumProblem);
  if (!Number.isInteger(threshold) || threshold < 0 || threshold > MAX_NEAR_DUP_THRESHOLD) throw invalid(`near-duplicate threshold must be a whole number 0–${MAX_NEAR_DUP_THRESHOLD}, got ${threshold}`);
  if (req.fromSnapshot !== undefined && !getSnapshot(db, req.fromSnapshot)) throw new ApiError('not_found', `snapshot ${req.fromSnapshot} does not exist (see "fea snapshots")`);
  const records = leakageRecords(db, req.fromSnapshot ?? null);
  const items: SplitItem[] = records.map((r) => ({ id: r.id, label: r.label, subject: r.subject }));
  if (items.length === 0) {
    throw new ApiError('empty', req.fromSnapshot !== undefined ? `snapshot ${req.fromSnapshot} has no records with an emotion to split` : 'No records with an emotion label (labeled, weak or reviewed) to split');
  }
  const result = computeSplit(items, { ratios: req.ratios, stratify: req.stratify === 'emotion', group: req.group === 'subject', seed: req.seed });
  const partNames = Object.keys(req.ratios);
  let assignments = result.assignments;
  let leakage: LeakageReport;
  let moved: MovedReport | undefined;
  if (req.fix) {
    const fixed = fixLeakage(records, assignments, partNames, threshold);
    ({ assignments, report: leakage, moved } = fixed);
  } else {
    leakage = leakageReport(records, assignments, partNames, threshold);
  }
  const s = moved ? summarise(items, assignments, partNames) : result;
  const config: SplitConfig = { ...req, nearDupThreshold: threshold, fix: req.fix ?? false, records: items.length, snapshot: snapshotHash(records) };
  const stored: StoredSummary = {
    parts: s.parts,
    maxStratDeviation: s.maxStratDeviation,
    sharedSubjects: s.sharedSubjects,
    fractions: s.fractions,
    exactDuplicatePairs: leakage.exactDuplicatePairs,
    nearDuplicatePairs: leakage.nearDuplicatePairs,
    leakage,
    ...(moved ? { moved } : {}),
  };
  return db.transaction(() => {
    const existing = getSplit(db, req.name);
    if (existing) {
      const old = splitAssignments(db, existing.id);
      const same = old.size === assignments.size && [...assignments].every(([id, part]) => old.get(id) === part);
      if (same) return toSummary(existing.name, parseStoredConfig(existing.name, existing.config), parseStoredSummary(existing.name, existing.summary), existing.createdAt, leakage);
      throw new ApiError('exists', `A different split named "${req.name}" already exists; choose another name`);
    }
    const createdAt = nowIso();
    insertSplit(db, req.name, config, stored, assignments, createdAt);
    appendAudit(db, {
      actor,
      action: 'split',
      entity: 'split',
      entityId: req.name,
      ts: createdAt,
      detail: {
        ...req,
        records: items.length,
        parts: Object.fromEntries(Object.entries(s.parts).map(([p, v]) => [p, v.n])),
        leakage: { sharedSubjects: leakage.sharedSubjects, exactDuplicatePairs: leakage.exactDuplicatePairs, nearDuplicatePairs: leakage.nearDuplicatePairs },
        ...(moved ? { moved: moved.records } : {}),
      },
    });
    return toSummary(req.name, config, stored, createdAt);
  }).immediate();
}

export function listSplitSummaries(db: Database.Database): { splits: SplitSummaryFull[] } {
  return { splits: listSplits(db).map((s) => toSummary(s.name, parseStoredConfig(s.name, s.config), parseStoredSummary(s.name, s.summary), s.createdAt)) };
}
