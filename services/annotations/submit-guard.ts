/**
 * What keeps a submit from silently replacing an answer: the stale-base check (answered as `conflict` with the
 * current revision) and idempotent retries (a repeated key answers the first reply).
 */
import type Database from 'better-sqlite3';
import type { RevisionSnapshot } from '../../contract/api-error';
import { ApiError } from '../../contract/dispatch';
import { decisionByIdempotencyKey, getRevision, type RecordRowDb } from '../../db/repositories';

export interface GuardInput {
  recordId: string;
  userId: number;
  baseRevisionId?: number | null;
  lastWriteWins?: boolean;
  idempotencyKey?: string;
}

export function revisionSnapshot(db: Database.Database, revisionId: number | null): RevisionSnapshot | null {
  if (revisionId === null) return null;
  const rev = getRevision(db, revisionId);
  if (!rev) return null;
  return { id: rev.id, emotion: rev.emotion, aus: rev.aus, reasoning: rev.reasoning, author: rev.author, createdAt: rev.created_at };
}

/** The first reply of a submit retried with the same key, or null when the key is new (or none was sent). */
export function replayedSubmit(db: Database.Database, input: GuardInput): { revisionId: number; decisionId: number } | null {
  if (!input.idempotencyKey) return null;
  const d = decisionByIdempotencyKey(db, input.idempotencyKey);
  if (!d) return null;
  if (d.user_id !== input.userId || d.record_id !== input.recordId || d.revision_id === null) {
    throw new ApiError('invalid_input', `Idempotency key ${input.idempotencyKey} was already used for another submit`);
  }
  return { revisionId: d.revision_id, decisionId: d.id };
}

/**
 * Refuses a submit that would replace an answer its sender has not seen.
 * - A base (a revision id, or null for "the record had none") must be the current revision.
 * - No base and `lastWriteWins`: accepted whatever is current (the superseded revision stays in provenance).
 * - No base, no flag: the sender cannot have seen an answer someone else gave, so a current human revision by
 *   another author is a conflict; imported, model and own revisions are superseded as before.
 * Returns the base the submit was checked against, for provenance.
 */
export function checkSubmitBase(db: Database.Database, rec: Pick<RecordRowDb, 'id' | 'current_revision_id'>, input: GuardInput): { superseded: number | null } {
  const currentId = rec.current_revision_id;
  const stale = (base: number | null, why: string): never => {
    const current = revisionSnapshot(db, currentId);
    const who = current ? `revision ${current.id} by ${current.author} at ${current.createdAt}` : 'no revision';
    throw new ApiError('conflict', `Record ${rec.id} changed since it was loaded (${why}); it now has ${who}`, {
      kind: 'submit_conflict',
      recordId: rec.id,
      baseRevisionId: base,
      current,
    });
  };
  if (input.baseRevisionId !== undefined) {
    if (input.baseRevisionId !== currentId) stale(input.baseRevisionId, `based on ${input.baseRevisionId === null ? 'no revision' : `revision ${input.baseRevisionId}`}`);
    return { superseded: null };
  }
  if (input.lastWriteWins || currentId === null) return { superseded: currentId };
  const current = getRevision(db, currentId);
  if (current && current.kind === 'human' && current.author_id !== input.userId) stale(null, 'no baseRevisionId was sent');
  return { superseded: currentId };
}
