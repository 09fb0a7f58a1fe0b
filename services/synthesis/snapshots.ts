/** Snapshots as the contract shows them, and snapshots made on demand (by a researcher) of a split part's labels. */
import { ApiError } from '../../contract/dispatch';
import type { SnapshotSummary } from '../../contract/synthesis';
import { appendAudit } from '../../db/repositories/audit';
import {
  createSnapshot,
  getSnapshot,
  latestSnapshot,
  listSnapshotRows,
  snapshotNameTaken,
  snapshotProvenance,
  trainingSetPairs,
  type SnapshotRow,
} from '../../db/repositories/snapshots';
import { splitExists, splitPartNames } from '../../db/repositories/training-data';
import { getUser } from '../../db/repositories/users';
import type { ServiceContext } from '../context';

export function snapshotSummary(ctx: ServiceContext, s: SnapshotRow): SnapshotSummary {
  return {
    id: s.id,
    name: s.name,
    records: s.records,
    parent: s.parent_id,
    split: s.split,
    part: s.part,
    lineage: { model: s.model_id, round: s.round_id, reviewer: s.reviewer, createdAt: s.created_at },
    provenance: snapshotProvenance(ctx.ws.db, s.id),
  };
}

export function listSnapshots(ctx: ServiceContext): SnapshotSummary[] {
  return listSnapshotRows(ctx.ws.db).map((s) => snapshotSummary(ctx, s));
}

export function snapshotById(ctx: ServiceContext, id: number): SnapshotSummary {
  const s = getSnapshot(ctx.ws.db, id);
  if (!s) throw new ApiError('not_found', `snapshot ${id} does not exist (see "fea snapshots")`);
  return snapshotSummary(ctx, s);
}

/** Freezes the labeled records of a split part (default: its training part), or of every non-test record without a split. */
export function createSnapshotOnDemand(ctx: ServiceContext, o: { name: string; split?: string | null; part?: string | null; userId?: number | null }): SnapshotSummary {
  const db = ctx.ws.db;
  if (snapshotNameTaken(db, o.name)) throw new ApiError('conflict', `a snapshot named "${o.name}" exists already (snapshots are immutable: pick another name)`);
  const split = o.split ?? null;
  let part: string | null = null;
  if (split !== null) {
    if (!splitExists(db, split)) throw new ApiError('not_found', `split "${split}" does not exist`);
    part = o.part ?? 'train';
    if (!splitPartNames(db, split).includes(part)) throw new ApiError('not_found', `split "${split}" has no part "${part}"`);
  }
  const user = o.userId == null ? null : (getUser(db, o.userId) ?? null);
  const id = db.transaction(() => {
    const sid = createSnapshot(db, {
      name: o.name,
      parentId: latestSnapshot(db, split)?.id ?? null,
      split,
      part,
      modelId: null,
      roundId: null,
      reviewerId: user?.id ?? null,
      pairs: trainingSetPairs(db, split, part),
    });
    appendAudit(db, { actor: user?.name ?? 'system', action: 'snapshot', entity: 'snapshot', entityId: sid, detail: { split, part } });
    return sid;
  })();
  return snapshotById(ctx, id);
}
