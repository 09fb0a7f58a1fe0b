/** The append-only audit log: who changed what. Triggers in the schema forbid UPDATE and DELETE. */
import type Database from 'better-sqlite3';
import { APP_VERSION } from '../app-version';
import { nowIso, parseJson, stmt } from './statements';

export type AuditAction = 'import' | 'label' | 'skip' | 'undo' | 'split' | 'user' | 'init' | 'export' | 'settings' | 'synth' | 'review' | 'approve' | 'snapshot';

export interface AuditEntry {
  id: number;
  ts: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  detail: Record<string, unknown>;
}

export function appendAudit(
  db: Database.Database,
  entry: { actor: string; action: AuditAction; entity: string; entityId?: string | number | null; detail?: unknown; ts?: string },
): number {
  const info = stmt(db, 'INSERT INTO audit_log (ts, actor, action, entity, entity_id, detail) VALUES (?, ?, ?, ?, ?, ?)').run(
    entry.ts ?? nowIso(),
    entry.actor,
    entry.action,
    entry.entity,
    entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
    JSON.stringify({ ...(entry.detail as Record<string, unknown> | undefined), app_version: APP_VERSION }),
  );
  return Number(info.lastInsertRowid);
}

interface AuditRow {
  id: number;
  ts: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  detail: string;
}

export function listAudit(db: Database.Database, filter: { entity?: string; entityId?: string; limit?: number } = {}): AuditEntry[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.entity) {
    where.push('entity = ?');
    args.push(filter.entity);
  }
  if (filter.entityId) {
    where.push('entity_id = ?');
    args.push(filter.entityId);
  }
  const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
  const rows = db.prepare(sql).all(...args, filter.limit ?? 1000) as AuditRow[];
  return rows.map((r) => ({ id: r.id, ts: r.ts, actor: r.actor, action: r.action, entity: r.entity, entityId: r.entity_id, detail: parseJson(r.detail, {}) }));
}
