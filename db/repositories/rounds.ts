/**
 * Synthesis rounds and their candidates. A candidate row exists for every record a round processed (kept or not),
 * UNIQUE (round_id, record_id): a resumed round skips what it wrote and can never duplicate a candidate.
 * JSON columns are written here and parsed with their schemas by the synthesis service.
 */
import type Database from 'better-sqlite3';
import type { CandidateDecision, CandidateMethod, ReviewDecision, RoundStatus } from '../../pipelines/facs/vocabulary';
import { descriptorFromBlob, expressionViewsFromBlob } from './analysis';
import { named } from './named';
import { currentOwner, ownerGone, reapOrphans, type OwnerCols } from './runs';
import { nowIso, stmt } from './statements';

export interface RoundRow {
  id: number;
  status: RoundStatus;
  model_id: number | null;
  split: string | null;
  part: string | null;
  iteration_id: number | null;
  config: string;
  report: string;
  total: number;
  error: string | null;
  created_by: number | null;
  approved_by: number | null;
  approved_at: string | null;
  snapshot_id: number | null;
  created_at: string;
  updated_at: string;
  owner_host: string | null;
  owner_pid: number | null;
  owner_boot: string | null;
}

export interface RoundCounts {
  candidates: number;
  kept: number;
  inReview: number;
  accepted: number;
  fixed: number;
  rejected: number;
  pending: number;
}

export interface NewRound {
  modelId: number | null;
  split: string | null;
  part: string | null;
  iterationId: number | null;
  config: unknown;
  createdBy: number | null;
}

export function createRound(db: Database.Database, r: NewRound): number {
  const now = nowIso();
  const me = currentOwner();
  const info = stmt(
    db,
    `INSERT INTO rounds (status, model_id, split, part, iteration_id, config, created_by, created_at, updated_at, owner_host, owner_pid, owner_boot)
     VALUES ('running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(r.modelId, r.split, r.part, r.iterationId, JSON.stringify(r.config), r.createdBy, now, now, me.host, me.pid, me.boot);
  return Number(info.lastInsertRowid);
}

export function getRound(db: Database.Database, id: number): RoundRow | undefined {
  return stmt(db, 'SELECT * FROM rounds WHERE id = ?').get(id) as RoundRow | undefined;
}

export function listRoundRows(db: Database.Database): RoundRow[] {
  return named(db, 'rounds.list', 'SELECT * FROM rounds ORDER BY id DESC').all<RoundRow>();
}

export interface RoundPatch {
  status?: RoundStatus;
  report?: string;
  total?: number;
  error?: string | null;
  approved_by?: number;
  approved_at?: string;
  snapshot_id?: number;
}

export function updateRound(db: Database.Database, id: number, patch: RoundPatch): void {
  const cols = Object.keys(patch) as (keyof RoundPatch)[];
  if (!cols.length) return;
  // column names come from RoundPatch's keys, never from input
  const sets = cols.map((c) => `${c} = ?`).join(', ');
  // Leaving 'running' lets go of the round: nobody holds a stopped, failed or finished one.
  const release = patch.status !== undefined && patch.status !== 'running' ? ', owner_host = NULL, owner_pid = NULL, owner_boot = NULL' : '';
  stmt(db, `UPDATE rounds SET ${sets}${release}, updated_at = ? WHERE id = ?`).run(...cols.map((c) => patch[c] ?? null), nowIso(), id);
}

/** Who holds a 'running' round when it is a live process other than this one (on this host or another), else null. */
export function roundHeldElsewhere(db: Database.Database, id: number): OwnerCols | null {
  const r = stmt(db, 'SELECT status, owner_host, owner_pid, owner_boot FROM rounds WHERE id = ?').get(id) as (OwnerCols & { status: string }) | undefined;
  if (!r || r.status !== 'running') return null;
  const me = currentOwner();
  if (ownerGone(r, me) || (r.owner_host === me.host && r.owner_pid === me.pid)) return null;
  return r;
}

/** This process takes the round to run it (a resume): 'running', owned by us. */
export function claimRound(db: Database.Database, id: number): void {
  const me = currentOwner();
  stmt(db, "UPDATE rounds SET status = 'running', error = NULL, owner_host = ?, owner_pid = ?, owner_boot = ?, updated_at = ? WHERE id = ?").run(me.host, me.pid, me.boot, nowIso(), id);
}

/** Rounds whose process ended (reapOrphans), marked 'stopped' with how to resume them; returns their ids. */
export function reapOrphanedRounds(db: Database.Database): number[] {
  return reapOrphans(db, 'rounds', [], (r) => `interrupted: the process running it ended; resume with "fea synth <workspace> --resume ${r.id}"`);
}

export function roundCounts(db: Database.Database, roundId: number): RoundCounts {
  const r = named(
    db,
    'rounds.counts',
    `SELECT COUNT(*) AS candidates, COALESCE(SUM(kept), 0) AS kept, COALESCE(SUM(in_review), 0) AS inReview,
            COALESCE(SUM(in_review AND decision = 'accepted'), 0) AS accepted,
            COALESCE(SUM(in_review AND decision = 'fixed'), 0) AS fixed,
            COALESCE(SUM(in_review AND decision = 'rejected'), 0) AS rejected,
            COALESCE(SUM(in_review AND decision = 'pending'), 0) AS pending
     FROM candidates WHERE round_id = ?`,
  ).get<RoundCounts>(roundId);
  return r ?? { candidates: 0, kept: 0, inReview: 0, accepted: 0, fixed: 0, rejected: 0, pending: 0 };
}

/** A record a round works on: its current labels, its image and its analysis. */
export interface RoundInput {
  id: string;
  /** labeled: a complete label without a reasoning (a neutral face from a folder import). */
  status: 'unlabeled' | 'weak' | 'labeled';
  emotion: string | null;
  aus: string[];
  currentRevisionId: number | null;
  imageId: number;
  relPath: string;
  subject: string | null;
  analysed: boolean;
  faceFound: boolean;
  cropGrayPath: string | null;
  descriptor: Float32Array | null;
  expressionViews: Float32Array[] | null;
  auEstimates: string | null;
  expressions: string | null;
  box: string | null;
}

interface InputRow {
  id: string;
  status: RoundInput['status'];
  emotion: string | null;
  aus: string;
  current_revision_id: number | null;
  image_id: number;
  rel_path: string;
  subject: string | null;
  analysed: number;
  face_found: number | null;
  crop_gray_path: string | null;
  descriptor: Buffer | null;
  expression_features: Buffer | null;
  au_estimates: string | null;
  expressions: string | null;
  box: string | null;
}

/**
 * The records without a complete label (unlabeled, weak, or labeled without a reasoning): in the split's part when a split is given, else every record that no split
 * holds in a part named `test` (test records are never synthesized). Id order; `limit` 0 = all.
 */
export function roundInputs(db: Database.Database, q: { split: string | null; part: string | null; descriptorDim: number; expressionDim?: number; limit: number }): RoundInput[] {
  const rows = named(
    db,
    'rounds.inputs',
    `SELECT r.id, r.status, r.emotion, r.aus, r.current_revision_id, i.id AS image_id, i.rel_path, i.subject,
            a.image_id IS NOT NULL AS analysed, a.face_found, a.crop_gray_path, a.descriptor, a.expression_features, a.au_estimates, a.expressions, a.box
     FROM records r
     JOIN images i ON i.id = r.image_id
     LEFT JOIN analyses a ON a.image_id = i.id AND a.error IS NULL
     LEFT JOIN revisions v ON v.id = r.current_revision_id
     WHERE (r.status IN ('unlabeled', 'weak') OR (r.status = 'labeled' AND COALESCE(v.reasoning, '') = ''))
       AND (CASE WHEN ? IS NULL
             THEN NOT EXISTS (SELECT 1 FROM split_assignments t WHERE t.record_id = r.id AND t.part = 'test')
             ELSE EXISTS (SELECT 1 FROM split_assignments sa JOIN splits s ON s.id = sa.split_id
                          WHERE sa.record_id = r.id AND s.name = ? AND sa.part = ?) END)
     ORDER BY r.id
     LIMIT ?`,
  ).all<InputRow>(q.split, q.split, q.part, q.limit > 0 ? q.limit : -1);
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    emotion: r.emotion,
    aus: r.aus.split(/\s+/).filter(Boolean),
    currentRevisionId: r.current_revision_id,
    imageId: r.image_id,
    relPath: r.rel_path,
    subject: r.subject,
    analysed: r.analysed === 1,
    faceFound: r.face_found === 1,
    cropGrayPath: r.face_found === 1 ? r.crop_gray_path : null,
    descriptor: r.face_found === 1 ? descriptorFromBlob(r.descriptor, q.descriptorDim) : null,
    expressionViews: expressionViewsFromBlob(r.expression_features, q.expressionDim ?? 0, r.image_id),
    auEstimates: r.au_estimates,
    expressions: r.expressions,
    box: r.box,
  }));
}

export function processedRecordIds(db: Database.Database, roundId: number): Set<string> {
  return new Set(stmt(db, 'SELECT record_id FROM candidates WHERE round_id = ?').pluck().all(roundId) as string[]);
}

export interface NewCandidate {
  roundId: number;
  recordId: string;
  method: CandidateMethod;
  baseRevisionId: number | null;
  output: string;
  emotion: string | null;
  aus: string[];
  target: unknown;
  reward: unknown;
  checks: unknown;
  attempts: unknown;
  agreement: number;
  tries: number;
  passed: boolean;
  kept: boolean;
  faceFound: boolean;
  flaggedAUs: string[];
  modelId: number | null;
}

/** Inserts unless the round already has a candidate for the record; true when inserted. */
export function insertCandidate(db: Database.Database, c: NewCandidate): boolean {
  const info = stmt(
    db,
    `INSERT OR IGNORE INTO candidates (round_id, record_id, method, base_revision_id, output, emotion, aus, target, reward, checks, attempts,
       agreement, tries, passed, kept, face_found, hallucinations, flagged_aus, model_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    c.roundId,
    c.recordId,
    c.method,
    c.baseRevisionId,
    c.output,
    c.emotion,
    c.aus.join(' '),
    JSON.stringify(c.target),
    JSON.stringify(c.reward),
    JSON.stringify(c.checks),
    JSON.stringify(c.attempts),
    c.agreement,
    c.tries,
    c.passed ? 1 : 0,
    c.kept ? 1 : 0,
    c.faceFound ? 1 : 0,
    c.flaggedAUs.length,
    c.flaggedAUs.join(' '),
    c.modelId,
    nowIso(),
  );
  return info.changes === 1;
}

export interface CandidateRow {
  id: number;
  round_id: number;
  record_id: string;
  method: CandidateMethod;
  base_revision_id: number | null;
  output: string;
  emotion: string | null;
  aus: string;
  target: string;
  reward: string;
  checks: string;
  attempts: string;
  agreement: number;
  tries: number;
  passed: number;
  kept: number;
  in_review: number;
  face_found: number;
  hallucinations: number;
  flagged_aus: string;
  model_id: number | null;
  decision: CandidateDecision;
  created_at: string;
}

/** What the balance report and the quota read: per candidate its target emotion, its own emotion, kept, agreement. */
export function roundOutcomes(
  db: Database.Database,
  roundId: number,
): { id: number; target: string; emotion: string | null; kept: number; agreement: number; decision: CandidateDecision }[] {
  return named(db, 'rounds.outcomes', 'SELECT id, target, emotion, kept, agreement, decision FROM candidates WHERE round_id = ? ORDER BY id').all(roundId);
}

export function setInReview(db: Database.Database, roundId: number, ids: readonly number[]): void {
  stmt(db, 'UPDATE candidates SET in_review = 0 WHERE round_id = ?').run(roundId);
  const one = stmt(db, 'UPDATE candidates SET in_review = 1 WHERE id = ? AND round_id = ?');
  for (const id of ids) one.run(id, roundId);
}

export interface CandidateQuery {
  roundId: number;
  emotion?: string;
  /** pass: every check passed; fail: some check failed. */
  outcome?: 'pass' | 'fail';
  minAgreement?: number;
  maxAgreement?: number;
  faceFound?: boolean;
  /** At least this many AU claims flagged as possible hallucinations. */
  minFlags?: number;
  decision?: CandidateDecision;
  offset: number;
  limit: number;
}

/** The review queue: a round's candidates in review, lowest agreement first. */
export function queryCandidates(db: Database.Database, q: CandidateQuery): { total: number; rows: CandidateRow[] } {
  const where = ['round_id = ?', 'in_review = 1'];
  const params: unknown[] = [q.roundId];
  if (q.emotion !== undefined) {
    where.push('emotion = ?');
    params.push(q.emotion);
  }
  if (q.outcome !== undefined) where.push(q.outcome === 'pass' ? 'passed = 1' : 'passed = 0');
  if (q.minAgreement !== undefined) {
    where.push('agreement >= ?');
    params.push(q.minAgreement);
  }
  if (q.maxAgreement !== undefined) {
    where.push('agreement <= ?');
    params.push(q.maxAgreement);
  }
  if (q.faceFound !== undefined) where.push(q.faceFound ? 'face_found = 1' : 'face_found = 0');
  if (q.minFlags !== undefined) {
    where.push('hallucinations >= ?');
    params.push(q.minFlags);
  }
  if (q.decision !== undefined) {
    where.push('decision = ?');
    params.push(q.decision);
  }
  const clause = where.join(' AND ');
  const total = (stmt(db, `SELECT COUNT(*) AS n FROM candidates WHERE ${clause}`).get(...params) as { n: number }).n;
  const rows = named(db, 'candidates.queue', `SELECT * FROM candidates WHERE ${clause} ORDER BY agreement, id LIMIT ? OFFSET ?`).all<CandidateRow>(
    ...params,
    q.limit,
    q.offset,
  );
  return { total, rows };
}

export function getCandidate(db: Database.Database, id: number): CandidateRow | undefined {
  return stmt(db, 'SELECT * FROM candidates WHERE id = ?').get(id) as CandidateRow | undefined;
}

/** In-review candidates whose checks all pass at or above the agreement, still pending. */
export function passingPendingIds(db: Database.Database, roundId: number, minAgreement: number): number[] {
  return stmt(
    db,
    "SELECT id FROM candidates WHERE round_id = ? AND in_review = 1 AND passed = 1 AND decision = 'pending' AND agreement >= ? ORDER BY agreement, id",
  )
    .pluck()
    .all(roundId, minAgreement) as number[];
}

export interface DecisionRowDb {
  id: number;
  candidate_id: number;
  user_id: number;
  user: string;
  decision: ReviewDecision;
  reason: string | null;
  fix: string | null;
  created_at: string;
}

/** Appends a decision and moves the candidate's current decision (the caller supplies the transaction). */
export function addCandidateDecision(
  db: Database.Database,
  d: { candidateId: number; userId: number; decision: DecisionRowDb['decision']; reason?: string | null; fix?: unknown },
): number {
  const info = stmt(db, 'INSERT INTO candidate_decisions (candidate_id, user_id, decision, reason, fix, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    d.candidateId,
    d.userId,
    d.decision,
    d.reason ?? null,
    d.fix === undefined ? null : JSON.stringify(d.fix),
    nowIso(),
  );
  stmt(db, 'UPDATE candidates SET decision = ? WHERE id = ?').run(d.decision === 'reopened' ? 'pending' : d.decision, d.candidateId);
  return Number(info.lastInsertRowid);
}

export function candidateDecisions(db: Database.Database, candidateId: number): DecisionRowDb[] {
  return stmt(
    db,
    'SELECT d.*, u.name AS user FROM candidate_decisions d JOIN users u ON u.id = d.user_id WHERE d.candidate_id = ? ORDER BY d.id',
  ).all(candidateId) as DecisionRowDb[];
}

/** The latest decision on a candidate (the one an undo reverts). */
export function lastCandidateDecision(db: Database.Database, candidateId: number): DecisionRowDb | undefined {
  return stmt(
    db,
    'SELECT d.*, u.name AS user FROM candidate_decisions d JOIN users u ON u.id = d.user_id WHERE d.candidate_id = ? ORDER BY d.id DESC LIMIT 1',
  ).get(candidateId) as DecisionRowDb | undefined;
}

/** The user's latest review decision in a round that is not a reopen and is still the candidate's current one. */
export function lastUndoableDecision(db: Database.Database, roundId: number, userId: number): DecisionRowDb | undefined {
  return stmt(
    db,
    `SELECT d.*, u.name AS user FROM candidate_decisions d
     JOIN users u ON u.id = d.user_id JOIN candidates c ON c.id = d.candidate_id
     WHERE c.round_id = ? AND d.user_id = ? AND d.decision != 'reopened'
       AND d.id = (SELECT MAX(id) FROM candidate_decisions x WHERE x.candidate_id = d.candidate_id)
     ORDER BY d.id DESC LIMIT 1`,
  ).get(roundId, userId) as DecisionRowDb | undefined;
}

/** Every review decision on a record's candidates, oldest first (for its history). */
export function recordReviewHistory(db: Database.Database, recordId: string): (DecisionRowDb & { round_id: number })[] {
  return named(
    db,
    'candidates.historyOfRecord',
    `SELECT d.*, u.name AS user, c.round_id FROM candidate_decisions d
     JOIN candidates c ON c.id = d.candidate_id JOIN users u ON u.id = d.user_id
     WHERE c.record_id = ? ORDER BY d.id`,
  ).all(recordId);
}

/** The decided candidates of a round that approval turns into revisions. */
export function decidedCandidates(db: Database.Database, roundId: number): CandidateRow[] {
  return stmt(db, "SELECT * FROM candidates WHERE round_id = ? AND in_review = 1 AND decision IN ('accepted', 'fixed') ORDER BY id").all(roundId) as CandidateRow[];
}

export function currentRevisionOf(db: Database.Database, recordId: string): number | null {
  const r = stmt(db, 'SELECT current_revision_id AS id FROM records WHERE id = ?').get(recordId) as { id: number | null } | undefined;
  return r?.id ?? null;
}

/** What the review view draws for a candidate's record: its image, and the analysis' box, landmarks and AU estimates. */
export function candidateEvidence(
  db: Database.Database,
  recordId: string,
): { rel_path: string; width: number; height: number; box: string | null; landmarks: string | null; au_estimates: string | null } | undefined {
  return stmt(
    db,
    `SELECT i.rel_path, i.width, i.height, a.box, a.landmarks, a.au_estimates
     FROM records r JOIN images i ON i.id = r.image_id LEFT JOIN analyses a ON a.image_id = i.id AND a.error IS NULL
     WHERE r.id = ?`,
  ).get(recordId) as ReturnType<typeof candidateEvidence>;
}

/** The media paths of candidates' records, by record id (one query for a queue page). */
export function recordImageKeys(db: Database.Database, recordIds: readonly string[]): Map<string, string> {
  const q = stmt(db, 'SELECT i.rel_path FROM records r JOIN images i ON i.id = r.image_id WHERE r.id = ?').pluck();
  return new Map(recordIds.map((id) => [id, (q.get(id) as string | undefined) ?? '']));
}
