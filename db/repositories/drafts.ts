/** Drafts: one per (record, user), upserted on autosave; a draft never touches revisions. */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { AUMarkSchema } from '../../pipelines/facs/mark-schema';
import { nowIso, parseStored, stmt } from './statements';

const DraftPayloadSchema = z.object({
  emotion: z.string().nullable(),
  aus: z.array(AUMarkSchema),
  reasoning: z.string(),
  parentPredictionId: z.number().int().nullable(),
});
export type DraftPayload = z.infer<typeof DraftPayloadSchema>;
/** A draft saved by an older version may lack fields: each missing one reads as empty. */
const StoredDraftSchema = DraftPayloadSchema.partial();

export function saveDraft(db: Database.Database, recordId: string, userId: number, payload: DraftPayload, savedAt = nowIso()): string {
  stmt(
    db,
    'INSERT INTO drafts (record_id, user_id, payload, saved_at) VALUES (?, ?, ?, ?) ON CONFLICT (record_id, user_id) DO UPDATE SET payload = excluded.payload, saved_at = excluded.saved_at',
  ).run(recordId, userId, JSON.stringify(payload), savedAt);
  return savedAt;
}

export function getDraft(db: Database.Database, recordId: string, userId: number): (DraftPayload & { savedAt: string }) | null {
  const row = stmt(db, 'SELECT payload, saved_at FROM drafts WHERE record_id = ? AND user_id = ?').get(recordId, userId) as
    | { payload: string; saved_at: string }
    | undefined;
  if (!row) return null;
  const p = parseStored(StoredDraftSchema, row.payload, 'draft', `${recordId} by user ${userId}`) ?? {};
  return { emotion: p.emotion ?? null, aus: p.aus ?? [], reasoning: p.reasoning ?? '', parentPredictionId: p.parentPredictionId ?? null, savedAt: row.saved_at };
}

export function deleteDraft(db: Database.Database, recordId: string, userId: number): boolean {
  return stmt(db, 'DELETE FROM drafts WHERE record_id = ? AND user_id = ?').run(recordId, userId).changes > 0;
}
