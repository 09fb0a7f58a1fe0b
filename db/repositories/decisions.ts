/** Decisions: the undo stack of submit/skip actions, with the previous revision and status to restore. */
import type Database from 'better-sqlite3';
import type { RecordStatus } from '../../pipelines/facs/vocabulary';
import { nowIso, stmt } from './statements';

export interface DecisionRow {
  id: number;
  user_id: number;
  record_id: string;
  kind: 'submit' | 'skip';
  revision_id: number | null;
  previous_revision_id: number | null;
  previous_status: RecordStatus | null;
  reason: string | null;
  created_at: string;
  undone_at: string | null;
  idempotency_key: string | null;
}

export function insertDecision(
  db: Database.Database,
  d: {
    userId: number;
    recordId: string;
    kind: 'submit' | 'skip';
    revisionId: number | null;
    previousRevisionId: number | null;
    previousStatus: RecordStatus | null;
    reason?: string | null;
    createdAt?: string;
    idempotencyKey?: string | null;
  },
): number {
  const info = stmt(
    db,
    'INSERT INTO decisions (user_id, record_id, kind, revision_id, previous_revision_id, previous_status, reason, created_at, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(d.userId, d.recordId, d.kind, d.revisionId, d.previousRevisionId, d.previousStatus, d.reason ?? null, d.createdAt ?? nowIso(), d.idempotencyKey ?? null);
  return Number(info.lastInsertRowid);
}

export function getDecision(db: Database.Database, id: number): DecisionRow | undefined {
  return stmt(db, 'SELECT * FROM decisions WHERE id = ?').get(id) as DecisionRow | undefined;
}

/** The decision a submit with this idempotency key made, if one did. */
export function decisionByIdempotencyKey(db: Database.Database, key: string): DecisionRow | undefined {
  return stmt(db, 'SELECT * FROM decisions WHERE idempotency_key = ?').get(key) as DecisionRow | undefined;
}

export function latestOpenDecision(db: Database.Database, userId: number): DecisionRow | undefined {
  return stmt(db, 'SELECT * FROM decisions WHERE user_id = ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1').get(userId) as DecisionRow | undefined;
}

export function recentDecisions(db: Database.Database, userId: number, limit: number): DecisionRow[] {
  return stmt(db, 'SELECT * FROM decisions WHERE user_id = ? ORDER BY id DESC LIMIT ?').all(userId, limit) as DecisionRow[];
}

export function markDecisionUndone(db: Database.Database, id: number, at = nowIso()): void {
  stmt(db, 'UPDATE decisions SET undone_at = ? WHERE id = ? AND undone_at IS NULL').run(at, id);
}

/**
 * The records whose latest decision not undone is a skip, with that skip's reason: one query both the queue's
 * `skipped` filter and the dashboard's count read, so the two cannot disagree.
 */
export const SKIPPED_RECORDS_SQL = `SELECT d.record_id, d.reason FROM decisions d
  WHERE d.kind = 'skip' AND d.id IN (SELECT MAX(id) FROM decisions WHERE undone_at IS NULL GROUP BY record_id)`;

/** Skipped records per reason (trimmed), most frequent first. */
export function skippedRecordReasons(db: Database.Database): { reason: string; records: number }[] {
  return stmt(
    db,
    `SELECT TRIM(COALESCE(reason, '')) AS reason, COUNT(*) AS records FROM (${SKIPPED_RECORDS_SQL}) GROUP BY 1 ORDER BY records DESC, reason`,
  ).all() as { reason: string; records: number }[];
}
