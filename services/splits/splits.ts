/**
 * Named splits over the workspace. Records considered: those with a current emotion whose status is labeled,
 * weak or reviewed (AU-only records have nothing to stratify on and are left out; unlabeled ones have no label).
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { ApiError } from '../../contract/dispatch';
import type { SplitSummary } from '../../contract/types';
import { appendAudit, getSplit, insertSplit, listSplits, nowIso, splitAssignments, splittableRecords } from '../../db/repositories';
import { checkPartNames, computeSplit, type SplitItem } from '../../pipelines/splits';

export interface SplitRequest {
  name: string;
  ratios: Record<string, number>;
  stratify: 'emotion' | null;
  group: 'subject' | null;
  seed: number;
}

export interface SplitConfig extends SplitRequest {
  records: number;
  /** Hash of the (id, emotion, subject) snapshot the split was computed from. */
  snapshot: string;
}

export type SplitSummaryFull = SplitSummary & { fractions: Record<string, number>; records: number; ratios: Record<string, number>; stratify: string | null; group: string | null };

function snapshotHash(items: SplitItem[]): string {
  const h = createHash('sha256');
  for (const it of items) h.update(`${it.id}\t${it.label}\t${it.subject ?? ''}\n`);
  return h.digest('hex');
}

function toSummary(name: string, config: SplitConfig, s: Omit<SplitSummaryFull, 'name' | 'seed' | 'createdAt' | 'ratios' | 'stratify' | 'group' | 'records'>, createdAt: string): SplitSummaryFull {
  return {
    name,
    parts: s.parts,
    maxStratDeviation: s.maxStratDeviation,
    sharedSubjects: s.sharedSubjects,
    seed: config.seed,
    createdAt,
    fractions: s.fractions,
    records: config.records,
    ratios: config.ratios,
    stratify: config.stratify,
    group: config.group,
  };
}

type StoredSummary = Pick<SplitSummaryFull, 'parts' | 'maxStratDeviation' | 'sharedSubjects' | 'fractions'>;

/**
 * Computes and persists a split. Re-running an existing name with the same data and seed returns the stored
 * split unchanged; a different outcome under an existing name is refused (training runs refer to splits by name).
 */
export function createSplit(db: Database.Database, req: SplitRequest, actor = 'system'): SplitSummaryFull {
  try {
    checkPartNames(Object.keys(req.ratios));
  } catch (err) {
    throw new ApiError('invalid_input', err instanceof Error ? err.message : String(err));
  }
  const items: SplitItem[] = splittableRecords(db);
  if (items.length === 0) throw new ApiError('empty', 'No records with an emotion label (labeled, weak or reviewed) to split');
  const result = computeSplit(items, { ratios: req.ratios, stratify: req.stratify === 'emotion', group: req.group === 'subject', seed: req.seed });
  const config: SplitConfig = { ...req, records: items.length, snapshot: snapshotHash(items) };
  const stored: StoredSummary = {
    parts: result.parts,
    maxStratDeviation: result.maxStratDeviation,
    sharedSubjects: result.sharedSubjects,
    fractions: result.fractions,
  };
  return db.transaction(() => {
    const existing = getSplit<SplitConfig, StoredSummary>(db, req.name);
    if (existing) {
      const old = splitAssignments(db, existing.id);
      const same = old.size === result.assignments.size && [...result.assignments].every(([id, part]) => old.get(id) === part);
      if (same) return toSummary(existing.name, existing.config, existing.summary, existing.createdAt);
      throw new ApiError('exists', `A different split named "${req.name}" already exists; choose another name`);
    }
    const createdAt = nowIso();
    insertSplit(db, req.name, config, stored, result.assignments, createdAt);
    appendAudit(db, { actor, action: 'split', entity: 'split', entityId: req.name, ts: createdAt, detail: { ...req, records: items.length, parts: Object.fromEntries(Object.entries(result.parts).map(([p, s]) => [p, s.n])) } });
    return toSummary(req.name, config, stored, createdAt);
  }).immediate();
}

export function listSplitSummaries(db: Database.Database): { splits: SplitSummaryFull[] } {
  return { splits: listSplits<SplitConfig, StoredSummary>(db).map((s) => toSummary(s.name, s.config, s.summary, s.createdAt)) };
}
