/**
 * The data engine's shapes: what the synthesis service stores in rounds/candidates JSON columns (parsed with these
 * schemas on read) and what the contract returns for rounds, candidates, snapshots and iterations.
 */
import { z } from 'zod';
import {
  CANDIDATE_DECISIONS,
  CANDIDATE_METHODS,
  ITERATION_STEPS,
  REVIEW_DECISIONS,
  ROUND_STATUSES,
  type CandidateDecision,
  type CandidateMethod,
  type IterationStep,
  type ReviewDecision,
  type RoundStatus,
} from '../pipelines/facs/vocabulary';

const source = z.enum(['label', 'analysis', 'samples', 'none']);

export const CandidateTargetSchema = z.object({
  emotion: z.string().nullable(),
  aus: z.array(z.string()),
  emotionFrom: source,
  ausFrom: source,
});
export type CandidateTarget = z.infer<typeof CandidateTargetSchema>;

export const CandidateCheckSchema = z.object({ id: z.string(), pass: z.boolean(), detail: z.string() });
export type CandidateCheck = z.infer<typeof CandidateCheckSchema>;

export const RewardSchema = z.object({ format: z.number(), accuracy: z.number(), au: z.number(), total: z.number() });

/** One generation attempt: its output, the filter's errors, and the retry feedback the next attempt was given. */
export const AttemptSchema = z.object({ output: z.string(), errors: z.array(z.string()), feedback: z.string().optional() });
export const AttemptsSchema = z.array(AttemptSchema);

/** Self-consistency's numbers, where the candidate came from samples. */
export const SamplesInfoSchema = z.object({ samples: z.number(), emotionAgreement: z.number(), auAgreement: z.number(), distinct: z.number() });

export const RoundConfigSchema = z.object({
  split: z.string().nullable(),
  part: z.string().nullable(),
  modelId: z.number().nullable(),
  limit: z.number().int().min(0),
  retries: z.number().int().min(0),
  samples: z.number().int().min(1),
  minAgreement: z.number().min(0).max(1),
  quota: z.record(z.string(), z.number().int().min(0)),
  temperature: z.number().min(0),
  seed: z.number().int(),
});
export type RoundConfig = z.infer<typeof RoundConfigSchema>;

export const ClassBalanceSchema = z.object({ input: z.number(), kept: z.number(), keptRate: z.number() });
export const BalanceReportSchema = z.object({
  candidates: z.number(),
  kept: z.number(),
  keptRate: z.number(),
  byEmotion: z.record(z.string(), ClassBalanceSchema),
  flaggedClasses: z.array(z.string()),
});
export type BalanceReport = z.infer<typeof BalanceReportSchema>;

export const ROUND_STATUS_SCHEMA = z.enum(ROUND_STATUSES);
export const CANDIDATE_METHOD_SCHEMA = z.enum(CANDIDATE_METHODS);
export const CANDIDATE_DECISION_SCHEMA = z.enum(CANDIDATE_DECISIONS);
export const REVIEW_DECISION_SCHEMA = z.enum(REVIEW_DECISIONS);
export const ITERATION_STEP_SCHEMA = z.enum(ITERATION_STEPS);

/** A fixed label, as the lead saved it with Fix & Accept. */
export const FixSchema = z.object({
  emotion: z.string().nullable(),
  aus: z.array(z.object({ au: z.string(), intensity: z.string().nullable().optional(), side: z.string().nullable().optional() })),
  reasoning: z.string(),
});

export interface RoundSummary {
  id: number;
  status: RoundStatus;
  model: number | null;
  split: string | null;
  part: string | null;
  iteration: number | null;
  createdAt: string;
  candidates: number;
  kept: number;
  inReview: number;
  accepted: number;
  fixed: number;
  rejected: number;
  pending: number;
  total: number;
  report: BalanceReport | null;
  config: RoundConfig | null;
  approvedBy: string | null;
  approvedAt: string | null;
  snapshotId: number | null;
  error: string | null;
}

export interface CandidateSummary {
  id: number;
  roundId: number;
  recordId: string;
  imageKey: string;
  method: CandidateMethod;
  emotion: string | null;
  aus: string[];
  output: string;
  agreement: number;
  tries: number;
  passed: boolean;
  faceFound: boolean;
  hallucinations: number;
  flaggedAUs: string[];
  decision: CandidateDecision;
  target: CandidateTarget | null;
}

export interface ReviewDecisionEntry {
  id: number;
  candidateId: number;
  roundId?: number;
  user: string;
  decision: ReviewDecision;
  reason: string | null;
  createdAt: string;
}

export interface CandidateDetail extends CandidateSummary {
  checks: CandidateCheck[];
  reward: z.infer<typeof RewardSchema> | null;
  attempts: z.infer<typeof AttemptsSchema>;
  history: ReviewDecisionEntry[];
  /** The analysis' face box and landmarks (image pixels), for the evidence overlay. */
  box: { x: number; y: number; width: number; height: number } | null;
  landmarks: [number, number][];
  imageSize: { width: number; height: number };
  /** The geometric AU estimates: score and present, per estimated AU. */
  auEstimates: Record<string, { score: number; present: boolean }>;
  /** Image-space AU regions from the landmarks (as the label view's overlay has them), for the evidence highlights. */
  auRegions: { au: string; points: [number, number][]; score: number; present: boolean }[];
}

export interface SnapshotSummary {
  id: number;
  name: string;
  records: number;
  parent: number | null;
  split: string | null;
  part: string | null;
  lineage: { model: number | null; round: number | null; reviewer: string | null; createdAt: string };
  provenance: { kind: string; round: number | null; n: number }[];
}

export interface IterationSummary {
  id: number;
  split: string;
  number: number;
  roundsTotal: number;
  step: IterationStep;
  snapshotId: number | null;
  sftRunId: number | null;
  rlRunId: number | null;
  roundId: number | null;
  nextSnapshotId: number | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
  /** Per iteration, for the dashboard: the snapshot it trained on, the round it made, and the model's test metrics. */
  datasetSize: number | null;
  provenance: { kind: string; round: number | null; n: number }[];
  round: { byEmotion: Record<string, { input: number; kept: number; keptRate: number; accepted: number; acceptedRate: number }> } | null;
  test: { accuracy: number; macroF1: number; auF1Macro?: number } | null;
}

/** The test metrics an iteration shows (from the model's stored eval report). */
export const EvalReportLiteSchema = z.object({ accuracy: z.number(), macroF1: z.number(), auF1Macro: z.number().optional() });
