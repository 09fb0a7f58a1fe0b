/** Immutable training-set snapshots: (record, revision) pairs with lineage. Triggers (migration 8) refuse any edit. */
import type Database from 'better-sqlite3';
import { descriptorFromBlob, expressionViewsFromBlob } from './analysis';
import { named } from './named';
import type { TrainingRecord } from './training-data';
import { nowIso, stmt } from './statements';

export interface SnapshotRow {
  id: number;
  name: string;
  parent_id: number | null;
  split: string | null;
  part: string | null;
  model_id: number | null;
  round_id: number | null;
  reviewer_id: number | null;
  reviewer: string | null;
  records: number;
  created_at: string;
  sealed_at: string | null;
}

export interface NewSnapshot {
  name: string;
  parentId: number | null;
  split: string | null;
  part: string | null;
  modelId: number | null;
  roundId: number | null;
  reviewerId: number | null;
  pairs: readonly { recordId: string; revisionId: number }[];
}

/** Row, pairs and seal in one transaction: a snapshot is never seen half written. */
export function createSnapshot(db: Database.Database, s: NewSnapshot): number {
  return db.transaction(() => {
    const info = stmt(
      db,
      `INSERT INTO snapshots (name, parent_id, split, part, model_id, round_id, reviewer_id, records, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(s.name, s.parentId, s.split, s.part, s.modelId, s.roundId, s.reviewerId, s.pairs.length, nowIso());
    const id = Number(info.lastInsertRowid);
    const ins = stmt(db, 'INSERT INTO snapshot_records (snapshot_id, record_id, revision_id) VALUES (?, ?, ?)');
    for (const p of s.pairs) ins.run(id, p.recordId, p.revisionId);
    stmt(db, 'UPDATE snapshots SET sealed_at = ? WHERE id = ?').run(nowIso(), id);
    return id;
  })();
}

const SELECT = 'SELECT s.*, u.name AS reviewer FROM snapshots s LEFT JOIN users u ON u.id = s.reviewer_id';

export function listSnapshotRows(db: Database.Database): SnapshotRow[] {
  return named(db, 'snapshots.list', `${SELECT} WHERE s.sealed_at IS NOT NULL ORDER BY s.id DESC`).all<SnapshotRow>();
}

export function getSnapshot(db: Database.Database, id: number): SnapshotRow | undefined {
  return stmt(db, `${SELECT} WHERE s.id = ? AND s.sealed_at IS NOT NULL`).get(id) as SnapshotRow | undefined;
}

export function snapshotNameTaken(db: Database.Database, name: string): boolean {
  return !!stmt(db, 'SELECT 1 FROM snapshots WHERE name = ?').get(name);
}

/** The newest sealed snapshot of a split (null split: those made without one). */
export function latestSnapshot(db: Database.Database, split: string | null): SnapshotRow | undefined {
  return stmt(db, `${SELECT} WHERE s.sealed_at IS NOT NULL AND s.split IS ? ORDER BY s.id DESC LIMIT 1`).get(split) as SnapshotRow | undefined;
}

export function snapshotPairs(db: Database.Database, id: number): { recordId: string; revisionId: number }[] {
  return stmt(db, 'SELECT record_id AS recordId, revision_id AS revisionId FROM snapshot_records WHERE snapshot_id = ? ORDER BY record_id').all(id) as {
    recordId: string;
    revisionId: number;
  }[];
}

/** Per provenance kind (human, import, model, synthesis round n): how many of the snapshot's revisions. */
export function snapshotProvenance(db: Database.Database, id: number): { kind: string; round: number | null; n: number }[] {
  return stmt(
    db,
    `SELECT v.kind AS kind, json_extract(v.provenance, '$.roundId') AS round, COUNT(*) AS n
     FROM snapshot_records sr JOIN revisions v ON v.id = sr.revision_id
     WHERE sr.snapshot_id = ? GROUP BY v.kind, round ORDER BY v.kind, round`,
  ).all(id) as { kind: string; round: number | null; n: number }[];
}

/**
 * The labelled records of a split part that make a training set: (record, current revision) of every labeled or
 * reviewed record with a reasoning (one without is a round's input, not training data). Without a split: every such record that no split holds in a part named `test`.
 */
export function trainingSetPairs(db: Database.Database, split: string | null, part: string | null): { recordId: string; revisionId: number }[] {
  return named(
    db,
    'snapshots.trainingSet',
    `SELECT r.id AS recordId, r.current_revision_id AS revisionId FROM records r
     JOIN revisions v ON v.id = r.current_revision_id
     WHERE r.status IN ('labeled', 'reviewed') AND v.reasoning != ''
       AND (CASE WHEN ? IS NULL
             THEN NOT EXISTS (SELECT 1 FROM split_assignments t WHERE t.record_id = r.id AND t.part = 'test')
             ELSE EXISTS (SELECT 1 FROM split_assignments sa JOIN splits s ON s.id = sa.split_id
                          WHERE sa.record_id = r.id AND s.name = ? AND sa.part = ?) END)
     ORDER BY r.id`,
  ).all(split, split, part);
}

interface SnapshotTrainingRow {
  id: string;
  emotion: string | null;
  aus: string | null;
  rel_path: string;
  subject: string | null;
  crop_gray_path: string | null;
  descriptor: Buffer | null;
  image_id: number;
  expression_features: Buffer | null;
  reasoning: string;
}

/**
 * A snapshot's records as training data, with the labels of the revision the snapshot froze (not the current one).
 * Records that `exclude` names (the evaluation part of a split) are left out, so a snapshot never leaks into a test.
 */
export function snapshotTrainingRecords(
  db: Database.Database,
  q: { snapshotId: number; descriptorDim: number; expressionDim?: number; exclude: { split: string; part: string } | null },
): TrainingRecord[] {
  const rows = named(
    db,
    'snapshots.trainingRecords',
    `SELECT r.id, v.emotion, (SELECT group_concat(au, ' ') FROM revision_aus WHERE revision_id = v.id) AS aus,
            i.rel_path, i.subject, a.crop_gray_path, a.descriptor, v.reasoning, i.id AS image_id, ax.expression_features
     FROM snapshot_records sr
     JOIN revisions v ON v.id = sr.revision_id
     JOIN records r ON r.id = sr.record_id
     JOIN images i ON i.id = r.image_id
     LEFT JOIN analyses a ON a.image_id = i.id AND a.face_found = 1
     LEFT JOIN analyses ax ON ax.image_id = i.id AND ax.error IS NULL
     WHERE sr.snapshot_id = ? AND v.emotion IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM split_assignments sa JOIN splits s ON s.id = sa.split_id
                       WHERE sa.record_id = r.id AND s.name = ? AND sa.part = ?)
     ORDER BY r.id`,
  ).all<SnapshotTrainingRow>(q.snapshotId, q.exclude?.split ?? null, q.exclude?.part ?? null);
  return rows.map((r) => ({
    id: r.id,
    emotion: r.emotion!,
    aus: (r.aus ?? '').split(/\s+/).filter(Boolean),
    relPath: r.rel_path,
    subject: r.subject,
    cropGrayPath: r.crop_gray_path,
    descriptor: descriptorFromBlob(r.descriptor, q.descriptorDim),
    expressionViews: expressionViewsFromBlob(r.expression_features, q.expressionDim ?? 0, r.image_id),
    reasoning: r.reasoning,
  }));
}

/** What changed from snapshot A to B: records only in B, only in A, and in both with another revision. */
export function diffSnapshots(db: Database.Database, a: number, b: number): { added: string[]; removed: string[]; relabeled: { recordId: string; from: number; to: number }[] } {
  const added = stmt(
    db,
    'SELECT record_id FROM snapshot_records x WHERE snapshot_id = ? AND NOT EXISTS (SELECT 1 FROM snapshot_records y WHERE y.snapshot_id = ? AND y.record_id = x.record_id) ORDER BY record_id',
  )
    .pluck()
    .all(b, a) as string[];
  const removed = stmt(
    db,
    'SELECT record_id FROM snapshot_records x WHERE snapshot_id = ? AND NOT EXISTS (SELECT 1 FROM snapshot_records y WHERE y.snapshot_id = ? AND y.record_id = x.record_id) ORDER BY record_id',
  )
    .pluck()
    .all(a, b) as string[];
  const relabeled = stmt(
    db,
    `SELECT x.record_id AS recordId, x.revision_id AS "from", y.revision_id AS "to" FROM snapshot_records x
     JOIN snapshot_records y ON y.record_id = x.record_id AND y.snapshot_id = ?
     WHERE x.snapshot_id = ? AND x.revision_id != y.revision_id ORDER BY x.record_id`,
  ).all(b, a) as { recordId: string; from: number; to: number }[];
  return { added, removed, relabeled };
}
