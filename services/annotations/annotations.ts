/**
 * Labeling actions shared by the UI (annotations.*, drafts.*, decisions.*) and `fea label`: each one is a
 * single transaction, so a killed process loses nothing that was acknowledged.
 */
import type Database from 'better-sqlite3';
import { ApiError } from '../../contract/dispatch';
import type { Decision, Draft } from '../../contract/types';
import type { AUMark, RecordStatus } from '../../pipelines/facs/vocabulary';
import { normaliseEmotion } from '../../pipelines/facs/normalise';
import { isFacsAU } from '../../pipelines/formats/vocabulary-check';
import {
  addRevision,
  appendAudit,
  deleteDraft,
  getDecision,
  getDraft,
  getRecordRow,
  getUser,
  insertDecision,
  latestOpenDecision,
  markDecisionUndone,
  nowIso,
  predictionExists,
  recentDecisions,
  saveDraft,
  setCurrentRevision,
  vocabulary,
  type DecisionRow,
  type UserRow,
} from '../../db/repositories';
import { checkSubmitBase, replayedSubmit } from './submit-guard';

export interface SubmitInput {
  recordId: string;
  userId: number;
  emotion: string | null;
  aus: AUMark[];
  reasoning: string;
  parentPredictionId?: number | null;
  /** The revision the annotator loaded (null: none); a different current revision answers `conflict` (see submit-guard). */
  baseRevisionId?: number | null;
  /** With no base: replace whatever is current, explicitly. */
  lastWriteWins?: boolean;
  /** Client-generated per submit attempt; a retry with the same key answers the first reply. */
  idempotencyKey?: string;
  leadTimeMs?: number;
  /** Extra provenance (e.g. {via: 'cli'}). */
  provenance?: Record<string, unknown>;
}

export interface SubmitResult {
  revisionId: number;
  decisionId: number;
  status: RecordStatus;
  /** The reply repeats the first submit with this idempotency key; nothing new was written. */
  replayed: boolean;
}

function requireUser(db: Database.Database, userId: number): UserRow {
  const user = getUser(db, userId);
  if (!user) throw new ApiError('not_found', `User ${userId} does not exist`);
  return user;
}

function requireRecord(db: Database.Database, recordId: string) {
  const rec = getRecordRow(db, recordId);
  if (!rec) throw new ApiError('not_found', `Record ${recordId} does not exist`);
  return rec;
}

/** Checks the emotion against the workspace vocabulary, accepting common spellings (Happy → happiness). */
function checkEmotion(db: Database.Database, emotion: string | null): string | null {
  if (emotion === null || emotion.trim() === '') return null;
  const vocab = vocabulary(db, 'emotion');
  if (vocab.includes(emotion)) return emotion;
  const norm = normaliseEmotion(emotion);
  if (norm && vocab.includes(norm)) return norm;
  throw new ApiError('invalid_label', `Emotion "${emotion}" is not in this workspace's vocabulary (${vocab.join(', ')})`);
}

function checkAUs(aus: readonly AUMark[]): void {
  const bad = aus.filter((m) => !isFacsAU(m.au)).map((m) => m.au);
  if (bad.length) throw new ApiError('invalid_label', `${bad.join(', ')} ${bad.length > 1 ? 'are not FACS AUs' : 'is not a FACS AU'}`);
}

/** What a submit and a draft both carry, checked the same way: a draft can never hold what submit would refuse. Returns the emotion as stored. */
function checkAnnotationBody(db: Database.Database, input: { emotion: string | null; aus: readonly AUMark[]; parentPredictionId?: number | null }): string | null {
  const emotion = checkEmotion(db, input.emotion);
  checkAUs(input.aus);
  const pid = input.parentPredictionId;
  if (pid !== undefined && pid !== null && !predictionExists(db, pid)) throw new ApiError('not_found', `Prediction ${pid} does not exist`);
  return emotion;
}

/** Adds a human revision: the one way labels change from the UI and from `fea label`. */
export function submitAnnotation(db: Database.Database, input: SubmitInput): SubmitResult {
  return db.transaction((): SubmitResult => {
    const user = requireUser(db, input.userId);
    const rec = requireRecord(db, input.recordId);
    // A retry first: its own first write made the base stale, and it must not add a second revision.
    const replay = replayedSubmit(db, input);
    if (replay) return { ...replay, status: rec.status, replayed: true };
    const emotion = checkAnnotationBody(db, input);
    const { superseded } = checkSubmitBase(db, rec, input);
    const provenance: Record<string, unknown> = { source: 'human', ...(input.provenance ?? {}) };
    if (input.lastWriteWins && superseded !== null) provenance.lastWriteWins = { superseded };
    const ts = nowIso();
    const { revisionId, status } = addRevision(db, {
      recordId: rec.id,
      emotion,
      aus: input.aus,
      reasoning: input.reasoning,
      authorId: user.id,
      kind: 'human',
      parentRevisionId: rec.current_revision_id,
      parentPredictionId: input.parentPredictionId ?? null,
      leadTimeMs: input.leadTimeMs ?? null,
      provenance,
      createdAt: ts,
    });
    const decisionId = insertDecision(db, {
      userId: user.id,
      recordId: rec.id,
      kind: 'submit',
      revisionId,
      previousRevisionId: rec.current_revision_id,
      previousStatus: rec.status,
      createdAt: ts,
      idempotencyKey: input.idempotencyKey ?? null,
    });
    deleteDraft(db, rec.id, user.id);
    appendAudit(db, {
      actor: user.name,
      action: 'label',
      entity: 'record',
      entityId: rec.id,
      ts,
      detail: { revisionId, decisionId, previousRevisionId: rec.current_revision_id, status, ...(input.lastWriteWins ? { lastWriteWins: true } : {}) },
    });
    return { revisionId, decisionId, status, replayed: false };
  }).immediate();
}

export function skipRecord(db: Database.Database, input: { recordId: string; userId: number; reason: string }): { decisionId: number } {
  return db.transaction(() => {
    const user = requireUser(db, input.userId);
    const rec = requireRecord(db, input.recordId);
    const ts = nowIso();
    const decisionId = insertDecision(db, {
      userId: user.id,
      recordId: rec.id,
      kind: 'skip',
      revisionId: null,
      previousRevisionId: rec.current_revision_id,
      previousStatus: rec.status,
      reason: input.reason,
      createdAt: ts,
    });
    appendAudit(db, { actor: user.name, action: 'skip', entity: 'record', entityId: rec.id, ts, detail: { decisionId, reason: input.reason } });
    return { decisionId };
  }).immediate();
}

export function saveDraftFor(
  db: Database.Database,
  input: { recordId: string; userId: number; emotion: string | null; aus: AUMark[]; reasoning: string; parentPredictionId?: number | null },
): { savedAt: string } {
  requireUser(db, input.userId);
  requireRecord(db, input.recordId);
  const emotion = checkAnnotationBody(db, input);
  const savedAt = saveDraft(db, input.recordId, input.userId, {
    emotion,
    aus: input.aus,
    reasoning: input.reasoning,
    parentPredictionId: input.parentPredictionId ?? null,
  });
  return { savedAt };
}

export function discardDraftFor(db: Database.Database, recordId: string, userId: number): { discarded: boolean } {
  return { discarded: deleteDraft(db, recordId, userId) };
}

export function draftFor(db: Database.Database, recordId: string, userId: number): Draft | null {
  return getDraft(db, recordId, userId);
}

function toDecision(d: DecisionRow): Decision {
  return { id: d.id, recordId: d.record_id, kind: d.kind, revisionId: d.revision_id, reason: d.reason, createdAt: d.created_at, undone: d.undone_at !== null };
}

export function listRecentDecisions(db: Database.Database, userId: number, limit: number): Decision[] {
  return recentDecisions(db, userId, limit).map(toDecision);
}

/**
 * Undoes the user's latest open decision (or the given one). A submit moves the record's current pointer and
 * status back; the undone revision stays in the history. Refuses when someone labeled the record since.
 */
export function undoDecision(db: Database.Database, input: { userId: number; decisionId?: number }): { recordId: string; restoredRevisionId: number | null } {
  return db.transaction(() => {
    const user = requireUser(db, input.userId);
    const d = input.decisionId !== undefined ? getDecision(db, input.decisionId) : latestOpenDecision(db, user.id);
    if (!d) throw new ApiError('not_found', input.decisionId !== undefined ? `Decision ${input.decisionId} does not exist` : 'Nothing to undo');
    if (d.user_id !== user.id) throw new ApiError('forbidden', `Decision ${d.id} belongs to another user`);
    if (d.undone_at !== null) throw new ApiError('conflict', `Decision ${d.id} was already undone`);
    const rec = requireRecord(db, d.record_id);
    const ts = nowIso();
    let restored: number | null = rec.current_revision_id;
    if (d.kind === 'submit') {
      if (rec.current_revision_id !== d.revision_id) {
        throw new ApiError('conflict', `Record ${rec.id} was changed after decision ${d.id} (current revision ${rec.current_revision_id}); undo would discard that change`);
      }
      restored = d.previous_revision_id;
      setCurrentRevision(db, rec.id, restored, { status: d.previous_status ?? undefined, updatedAt: ts });
    }
    markDecisionUndone(db, d.id, ts);
    appendAudit(db, {
      actor: user.name,
      action: 'undo',
      entity: 'record',
      entityId: rec.id,
      ts,
      detail: { decisionId: d.id, kind: d.kind, undoneRevisionId: d.revision_id, restoredRevisionId: restored, restoredStatus: d.previous_status },
    });
    return { recordId: rec.id, restoredRevisionId: restored };
  }).immediate();
}
