/**
 * The dataset lead's review gate: append-only decisions on a round's candidates (accept, fix & accept, reject,
 * undo), batch accept of the passing ones, and approval — the lead's action — which writes the accepted candidates as
 * revisions and freezes an immutable snapshot of the training set with its lineage.
 */
import { ApiError } from '../../contract/dispatch';
import {
  AttemptsSchema,
  CandidateCheckSchema,
  CandidateTargetSchema,
  FixSchema,
  RewardSchema,
  type CandidateDetail,
  type CandidateSummary,
  type ReviewDecisionEntry,
} from '../../contract/synthesis';
import { appendAudit } from '../../db/repositories/audit';
import {
  addCandidateDecision,
  candidateDecisions,
  candidateEvidence,
  currentRevisionOf,
  decidedCandidates,
  getCandidate,
  getRound,
  lastUndoableDecision,
  passingPendingIds,
  queryCandidates,
  recordImageKeys,
  recordReviewHistory,
  roundCounts,
  updateRound,
  type CandidateQuery,
  type CandidateRow,
  type DecisionRowDb,
} from '../../db/repositories/rounds';
import { addRevision, deriveStatus } from '../../db/repositories/revisions';
import { createSnapshot, latestSnapshot, snapshotNameTaken, trainingSetPairs } from '../../db/repositories/snapshots';
import { getUser, type UserRow } from '../../db/repositories/users';
import { APPROVER_ROLES, INTENSITIES, SIDES, type AUMark } from '../../pipelines/facs/vocabulary';
import { auRegionsFromLandmarks } from '../../pipelines/vision/au-regions';
import { z } from 'zod';
import type { ServiceContext } from '../context';
import { BoxSchema, EstimatesSchema, LandmarksSchema } from '../../db/repositories/analysis-json';
import { parseStored } from './stored';


function userOf(ctx: ServiceContext, userId: number): UserRow {
  const u = getUser(ctx.ws.db, userId);
  if (!u) throw new ApiError('not_found', `user ${userId} does not exist`);
  return u;
}

function reviewableRound(ctx: ServiceContext, roundId: number) {
  const r = getRound(ctx.ws.db, roundId);
  if (!r) throw new ApiError('not_found', `round ${roundId} does not exist`);
  if (r.status === 'approved') throw new ApiError('conflict', `round ${roundId} is approved: its decisions are final (snapshot ${r.snapshot_id})`);
  if (r.status !== 'review') throw new ApiError('conflict', `round ${roundId} is ${r.status}: it opens for review once every candidate is written`);
  return r;
}

export function candidateSummary(c: CandidateRow, imageKey: string): CandidateSummary {
  return {
    id: c.id,
    roundId: c.round_id,
    recordId: c.record_id,
    imageKey,
    method: c.method,
    emotion: c.emotion,
    aus: c.aus.split(' ').filter(Boolean),
    output: c.output,
    agreement: c.agreement,
    tries: c.tries,
    passed: c.passed === 1,
    faceFound: c.face_found === 1,
    hallucinations: c.hallucinations,
    flaggedAUs: c.flagged_aus.split(' ').filter(Boolean),
    decision: c.decision,
    target: parseStored(CandidateTargetSchema, c.target),
  };
}

const entry = (d: DecisionRowDb & { round_id?: number }): ReviewDecisionEntry => ({
  id: d.id,
  candidateId: d.candidate_id,
  ...(d.round_id === undefined ? {} : { roundId: d.round_id }),
  user: d.user,
  decision: d.decision,
  reason: d.reason,
  createdAt: d.created_at,
});

export function reviewQueue(ctx: ServiceContext, q: CandidateQuery): { total: number; rows: CandidateSummary[] } {
  const { total, rows } = queryCandidates(ctx.ws.db, q);
  const keys = recordImageKeys(ctx.ws.db, rows.map((r) => r.record_id));
  return { total, rows: rows.map((r) => candidateSummary(r, keys.get(r.record_id) ?? '')) };
}

export function candidateDetail(ctx: ServiceContext, candidateId: number): CandidateDetail {
  const c = getCandidate(ctx.ws.db, candidateId);
  if (!c) throw new ApiError('not_found', `candidate ${candidateId} does not exist`);
  const ev = candidateEvidence(ctx.ws.db, c.record_id);
  const landmarks = parseStored(LandmarksSchema, ev?.landmarks) ?? [];
  const auEstimates = parseStored(EstimatesSchema, ev?.au_estimates) ?? {};
  return {
    ...candidateSummary(c, ev?.rel_path ?? ''),
    checks: parseStored(z.array(CandidateCheckSchema), c.checks) ?? [],
    reward: parseStored(RewardSchema, c.reward),
    attempts: parseStored(AttemptsSchema, c.attempts) ?? [],
    history: candidateDecisions(ctx.ws.db, c.id).map(entry),
    box: parseStored(BoxSchema, ev?.box),
    landmarks,
    imageSize: { width: ev?.width ?? 0, height: ev?.height ?? 0 },
    auEstimates,
    // The same regions as the label view's overlay (services/analysis/overlay.ts), so the renderer needs no vision code.
    auRegions: auRegionsFromLandmarks(landmarks, auEstimates),
  };
}

export type ReviewAction = 'accept' | 'fix' | 'reject';

export interface DecideInput {
  candidateId: number;
  userId: number;
  decision: ReviewAction;
  reason?: string;
  fix?: z.infer<typeof FixSchema>;
}

export function decide(ctx: ServiceContext, d: DecideInput): { candidate: CandidateSummary; decisionId: number } {
  const db = ctx.ws.db;
  const user = userOf(ctx, d.userId);
  const c0 = getCandidate(db, d.candidateId);
  if (!c0) throw new ApiError('not_found', `candidate ${d.candidateId} does not exist`);
  reviewableRound(ctx, c0.round_id);
  if (c0.in_review !== 1) throw new ApiError('conflict', `candidate ${d.candidateId} is not in review (filtered out or over its class quota)`);
  if (d.decision === 'reject' && !d.reason?.trim()) throw new ApiError('invalid_input', 'a rejection needs a reason');
  if (d.decision === 'fix' && !d.fix) throw new ApiError('invalid_input', 'Fix & Accept needs the fixed label');
  const kind = d.decision === 'accept' ? 'accepted' : d.decision === 'fix' ? 'fixed' : 'rejected';
  const decisionId = db.transaction(() => {
    const id = addCandidateDecision(db, { candidateId: c0.id, userId: user.id, decision: kind, reason: d.reason?.trim() ?? null, fix: d.fix });
    appendAudit(db, { actor: user.name, action: 'review', entity: 'candidate', entityId: c0.id, detail: { decision: kind, round: c0.round_id, record: c0.record_id } });
    return id;
  })();
  const c = getCandidate(db, c0.id)!;
  ctx.events.publish({ type: 'rounds.changed', roundId: c.round_id });
  return { candidate: candidateSummary(c, recordImageKeys(db, [c.record_id]).get(c.record_id) ?? ''), decisionId };
}

/** Reverts the user's latest decision in the round (appends `reopened`: the history keeps both). */
export function undoDecision(ctx: ServiceContext, roundId: number, userId: number): { candidateId: number | null } {
  const db = ctx.ws.db;
  const user = userOf(ctx, userId);
  reviewableRound(ctx, roundId);
  const last = lastUndoableDecision(db, roundId, user.id);
  if (!last) return { candidateId: null };
  db.transaction(() => {
    addCandidateDecision(db, { candidateId: last.candidate_id, userId: user.id, decision: 'reopened', reason: `undo of decision ${last.id}` });
    appendAudit(db, { actor: user.name, action: 'review', entity: 'candidate', entityId: last.candidate_id, detail: { decision: 'reopened', undoes: last.id } });
  })();
  ctx.events.publish({ type: 'rounds.changed', roundId });
  return { candidateId: last.candidate_id };
}

/** The pending in-review candidates whose checks all pass at or above the agreement; accepted unless `dryRun`. */
export function acceptPassing(ctx: ServiceContext, roundId: number, userId: number, minAgreement: number, dryRun: boolean): { count: number; accepted: number } {
  const db = ctx.ws.db;
  const user = userOf(ctx, userId);
  reviewableRound(ctx, roundId);
  const ids = passingPendingIds(db, roundId, minAgreement);
  if (dryRun) return { count: ids.length, accepted: 0 };
  db.transaction(() => {
    for (const id of ids) addCandidateDecision(db, { candidateId: id, userId: user.id, decision: 'accepted', reason: `batch: checks pass, agreement ≥ ${minAgreement}` });
    appendAudit(db, { actor: user.name, action: 'review', entity: 'round', entityId: roundId, detail: { batchAccepted: ids.length, minAgreement } });
  })();
  ctx.events.publish({ type: 'rounds.changed', roundId });
  return { count: ids.length, accepted: ids.length };
}

function marksOf(aus: readonly { au: string; intensity?: string | null; side?: string | null }[]): AUMark[] {
  const intensity = (v: string | null | undefined) => (INTENSITIES as readonly string[]).includes(v ?? '') ? (v as AUMark['intensity']) : null;
  const side = (v: string | null | undefined) => (SIDES as readonly string[]).includes(v ?? '') ? (v as AUMark['side']) : null;
  return aus.map((a) => ({ au: a.au, intensity: intensity(a.intensity), side: side(a.side) }));
}

/** A complete label a lead accepted is `reviewed`; an incomplete one keeps its derived status. */
function reviewedStatus(emotion: string | null, aus: readonly unknown[]) {
  const derived = deriveStatus(emotion, aus);
  return derived === 'labeled' ? 'reviewed' : derived;
}

export interface ApproveResult {
  round: number;
  accepted: number;
  fixed: number;
  rejected: number;
  pending: number;
  /** Decided candidates whose record changed since the round was made: left as a person labeled them. */
  skipped: string[];
  snapshotId: number;
}

/**
 * The lead's approval, in one transaction: accepted candidates become `synthesis` revisions (fixed ones the fixer's
 * `human` revision), both recording the candidate they came from; then the training set is frozen as a snapshot.
 */
export function approveRound(ctx: ServiceContext, roundId: number, userId: number): ApproveResult {
  const db = ctx.ws.db;
  const user = userOf(ctx, userId);
  if (!(APPROVER_ROLES as readonly string[]).includes(user.role)) {
    throw new ApiError('forbidden', `approving a round needs the lead role: ${user.name} is ${user.role === 'annotator' || user.role === 'admin' ? 'an' : 'a'} ${user.role}`);
  }
  const round = reviewableRound(ctx, roundId);
  const result = db.transaction((): ApproveResult => {
    const skipped: string[] = [];
    for (const c of decidedCandidates(db, roundId)) {
      if (currentRevisionOf(db, c.record_id) !== c.base_revision_id) {
        skipped.push(c.record_id);
        continue;
      }
      const decisions = candidateDecisions(db, c.id);
      const last = decisions[decisions.length - 1];
      const provenance = { roundId, candidateId: c.id, modelId: c.model_id, method: c.method, agreement: c.agreement, reviewer: user.name, decidedBy: last?.user ?? null };
      if (c.decision === 'fixed') {
        const fix = parseStored(FixSchema, last?.fix);
        if (!fix) throw new Error(`candidate ${c.id}: its fixed label is missing or malformed`);
        addRevision(
          db,
          {
            recordId: c.record_id,
            emotion: fix.emotion,
            aus: marksOf(fix.aus),
            reasoning: fix.reasoning,
            authorId: last.user_id,
            kind: 'human',
            parentRevisionId: c.base_revision_id,
            provenance: { ...provenance, fixedFrom: c.output },
          },
          { status: reviewedStatus(fix.emotion, fix.aus) },
        );
      } else {
        const aus = c.aus.split(' ').filter(Boolean);
        addRevision(
          db,
          {
            recordId: c.record_id,
            emotion: c.emotion,
            aus: marksOf(aus.map((au) => ({ au }))),
            reasoning: c.output,
            authorId: user.id,
            kind: 'synthesis',
            parentRevisionId: c.base_revision_id,
            provenance,
          },
          { status: reviewedStatus(c.emotion, aus) },
        );
      }
    }
    const parent = latestSnapshot(db, round.split);
    let name = `round-${roundId}`;
    for (let k = 2; snapshotNameTaken(db, name); k++) name = `round-${roundId}-${k}`;
    const snapshotId = createSnapshot(db, {
      name,
      parentId: parent?.id ?? null,
      split: round.split,
      part: round.part,
      modelId: round.model_id,
      roundId,
      reviewerId: user.id,
      pairs: trainingSetPairs(db, round.split, round.part),
    });
    updateRound(db, roundId, { status: 'approved', approved_by: user.id, approved_at: new Date().toISOString(), snapshot_id: snapshotId });
    appendAudit(db, { actor: user.name, action: 'approve', entity: 'round', entityId: roundId, detail: { snapshotId, skipped } });
    const c = roundCounts(db, roundId);
    return { round: roundId, accepted: c.accepted, fixed: c.fixed, rejected: c.rejected, pending: c.pending, skipped, snapshotId };
  })();
  ctx.events.publish({ type: 'rounds.changed', roundId });
  ctx.events.publish({ type: 'records.changed', ids: [], all: true });
  return result;
}

export function recordReviews(ctx: ServiceContext, recordId: string): ReviewDecisionEntry[] {
  return recordReviewHistory(ctx.ws.db, recordId).map(entry);
}
