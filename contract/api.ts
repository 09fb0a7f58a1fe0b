/**
 * The one typed API contract. Electron IPC and HTTP both serve exactly these methods,
 * each validated at the boundary with its zod input schema.
 */
import { z } from 'zod';
import { AUMarkSchema } from '../pipelines/facs/mark-schema';
import { CANDIDATE_DECISIONS, RECORD_STATUSES, RUN_STAGES, USER_ROLES } from '../pipelines/facs/vocabulary';
import type { ApiErrorDetails } from './api-error';
import { DEFAULT_NEAR_DUP_THRESHOLD, MAX_NEAR_DUP_THRESHOLD, MAX_PART_NAME_LENGTH, MAX_SPLIT_PARTS, PART_NAME_PATTERN, ratioSumProblem } from '../pipelines/splits/limits';
import type * as T from './types';
import { ENGINE_FORMATS, TRAINING_LIMITS } from './training-choices';
import { TrainingSettingsSchema } from './training-settings';
import { DEFAULT_RECORD_SORT, RECORD_SORT_FIELDS, SORT_DIRECTIONS } from './types';
import { KeymapSchema, LeadTimeSchema, PredictionIdSchema, SearchSchema } from './bounds';
import { ProfileNameSchema } from './text';
import { DEFAULT_PREVIEW_ERRORS, ImportSourceSchema, MAX_REPORT_ERRORS, type AnalysisStatus, type ImportSummary } from './import';

/** A method: its input schema, and its output type carried as a phantom. */
export interface Method<I extends z.ZodType, O> {
  input: I;
  output?: O;
}
function method<O>() {
  return <I extends z.ZodType>(input: I): Method<I, O> => ({ input });
}

export { AUMarkSchema };

export const RecordFilterSchema = z
  .object({
    status: z.enum(RECORD_STATUSES).optional(),
    emotion: z.string().optional(),
    au: z.string().regex(/^AU\d+$/).optional(),
    source: z.string().optional(),
    split: z.string().optional(),
    part: z.string().optional(),
    author: z.string().optional(),
    search: SearchSchema.optional(),
    /** Records an annotator skipped (their latest decision not undone is a skip). */
    skipped: z.boolean().optional(),
  })
  .strict();
export type RecordFilter = z.infer<typeof RecordFilterSchema>;

export const RecordSortSchema = z.object({
  field: z.enum(RECORD_SORT_FIELDS),
  dir: z.enum(SORT_DIRECTIONS),
});
export type RecordSort = z.infer<typeof RecordSortSchema>;

const userId = z.number().int().positive();
const trainingStartInput = z.object({
  stage: z.enum(RUN_STAGES),
  split: z.string().min(1),
  epochs: z.number().int().positive().max(TRAINING_LIMITS.maxEpochs).optional(),
  steps: z.number().int().positive().max(TRAINING_LIMITS.maxSteps).optional(),
  from: z.number().int().positive().optional(),
  snapshot: z.number().int().positive().optional(),
  seed: z.number().int().optional(),
  config: TrainingSettingsSchema.optional(),
});
const recordId = z.string().min(1);
const annotationBody = {
  recordId,
  userId,
  emotion: z.string().nullable(),
  aus: z.array(AUMarkSchema),
  reasoning: z.string(),
  parentPredictionId: PredictionIdSchema.nullable().optional(),
};
const empty = z.object({}).strict();
const exportSelection = z.object({
  split: z.string().min(1).max(64).nullable().optional(),
  snapshot: z.number().int().positive().nullable().optional(),
});
const exportDir = z.string().trim().min(1).max(4096);

export const api = {
  'workspace.info': method<T.WorkspaceInfo>()(empty),

  'users.list': method<{ users: T.User[] }>()(empty),
  'users.upsert': method<T.User>()(z.object({ name: ProfileNameSchema, role: z.enum(USER_ROLES) })),
  /** A new profile; an existing name is answered unchanged with created: false (switch to it, do not change its role). */
  'users.create': method<{ user: T.User; created: boolean }>()(z.object({ name: ProfileNameSchema, role: z.enum(USER_ROLES) })),
  'users.getSettings': method<{ keymap: Record<string, string> }>()(z.object({ userId })),
  'users.saveSettings': method<{ keymap: Record<string, string> }>()(
    z.object({ userId, keymap: KeymapSchema }),
  ),

  'records.query': method<{ total: number; rows: T.RecordRow[] }>()(
    z.object({
      filter: RecordFilterSchema.default({}),
      sort: RecordSortSchema.default(() => ({ ...DEFAULT_RECORD_SORT })),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
    }),
  ),
  'records.get': method<T.RecordDetail>()(z.object({ id: recordId, userId: userId.optional() })),
  'records.history': method<{ revisions: T.Revision[]; reviews?: T.ReviewDecisionEntry[] }>()(z.object({ id: recordId })),
  'records.sources': method<{ sources: string[]; authors: string[] }>()(empty),

  'queue.next': method<{ ids: string[] }>()(
    z.object({
      filter: RecordFilterSchema.default({}),
      sort: RecordSortSchema.default(() => ({ ...DEFAULT_RECORD_SORT })),
      afterId: recordId.nullable().default(null),
      count: z.number().int().min(1).max(20).default(1),
    }),
  ),

  'annotations.submit': method<{ revisionId: number; decisionId: number }>()(
    z.object({
      ...annotationBody,
      /** The revision the client loaded (null: the record had none); a different current one answers `conflict`. */
      baseRevisionId: z.number().int().nullable().optional(),
      /** Without a base: supersede whatever is current. Only this explicit flag skips the conflict check. */
      lastWriteWins: z.boolean().optional(),
      /** One per submit attempt, the same on its retries: a repeat answers the first reply instead of adding a revision. */
      idempotencyKey: z.string().uuid().optional(),
      leadTimeMs: LeadTimeSchema.optional(),
    }),
  ),
  'annotations.skip': method<{ decisionId: number }>()(z.object({ recordId, userId, reason: z.string().trim().min(1).max(500) })),

  'drafts.save': method<{ savedAt: string }>()(z.object(annotationBody)),
  'drafts.discard': method<{ discarded: boolean }>()(z.object({ recordId, userId })),

  'decisions.recent': method<{ decisions: T.Decision[] }>()(
    z.object({ userId, limit: z.number().int().min(1).max(50).default(10) }),
  ),
  'decisions.undo': method<{ recordId: string; restoredRevisionId: number | null }>()(
    z.object({ userId, decisionId: z.number().int().optional() }),
  ),

  'stats.get': method<T.WorkspaceStats>()(empty),

  'splits.list': method<{ splits: T.SplitSummary[] }>()(empty),
  'splits.create': method<T.SplitSummary>()(
    z.object({
      name: z.string().trim().min(1).max(64),
      ratios: z
        .record(z.string().max(MAX_PART_NAME_LENGTH).regex(PART_NAME_PATTERN, 'a part name is a short word: letters, digits, "_", "." and "-"'), z.number().positive())
        .refine((r) => Object.keys(r).length >= 1 && Object.keys(r).length <= MAX_SPLIT_PARTS, `a split has 1 to ${MAX_SPLIT_PARTS} parts`)
        .superRefine((r, ctx) => {
          const problem = Object.keys(r).length <= MAX_SPLIT_PARTS ? ratioSumProblem(r) : null;
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
      stratify: z.enum(['emotion']).nullable().default('emotion'),
      group: z.enum(['subject']).nullable().default('subject'),
      seed: z.number().int().default(0),
      /** Split a frozen snapshot's records (with the labels it froze). */
      fromSnapshot: z.number().int().positive().optional(),
      // pHash distance (of 64 bits) at or below which two images are near-duplicates
      nearDupThreshold: z.number().int().min(0).max(MAX_NEAR_DUP_THRESHOLD).default(DEFAULT_NEAR_DUP_THRESHOLD),
      // move every group of records leaking across parts into one part
      fix: z.boolean().default(false),
      /** Who creates it (the audit log's actor); without one, 'system'. */
      userId: userId.optional(),
    }),
  ),

  'jobs.list': method<{ jobs: T.Job[] }>()(empty),
  'jobs.cancel': method<{ cancelled: boolean }>()(z.object({ jobId: z.string() })),
  'analysis.start': method<{ jobId: string }>()(
    z.object({
      workers: z.number().int().min(1).max(16).optional(),
      /** Also give images analysed earlier with fewer expression views than analysis stores now the rest (`fea analyze --fill-views`). */
      fillViews: z.boolean().optional(),
    }),
  ),
  /** How many images have an analysis and how many wait for one. */
  'analysis.status': method<AnalysisStatus>()(empty),

  /** What importing this path would add, with its first errors; reads the input, writes nothing. */
  'import.preview': method<ImportSummary>()(ImportSourceSchema.extend({ maxErrors: z.number().int().min(1).max(MAX_REPORT_ERRORS).default(DEFAULT_PREVIEW_ERRORS) })),
  /** The import as a job (progress, jobs.cancel); its result holds the final report. */
  'import.start': method<{ jobId: string }>()(ImportSourceSchema.extend({ userId: userId.optional() })),

  // queued: the run waits for a training slot (the live-run cap) and starts when one frees; seed: the one it uses
  'training.start': method<{ jobId: string; runId: number; queued: boolean; seed: number }>()(trainingStartInput),
  /** What training.start would say of the same input, without starting anything: refusal reason, counts, seed. */
  'training.check': method<T.TrainingCheck>()(trainingStartInput),
  'training.stop': method<{ stopped: boolean }>()(z.object({ runId: z.number().int() })),
  'training.resume': method<{ jobId: string; runId: number; queued: boolean }>()(z.object({ runId: z.number().int() })),
  'runs.list': method<{ runs: T.RunSummary[] }>()(empty),
  'runs.delete': method<{ deleted: boolean }>()(z.object({ runId: z.number().int() })),
  'runs.get': method<{ run: T.RunSummary; metrics: T.MetricPoint[] }>()(z.object({ runId: z.number().int() })),
  'models.list': method<{ models: T.ModelSummary[] }>()(empty),
  'models.eval': method<T.EvalReport>()(
    z.object({ modelId: z.number().int(), split: z.string(), part: z.string().default('test') }),
  ),
  'synth.start': method<{ roundId: number; jobId: string }>()(
    z.object({
      /** A trained policy; null = round 0 from face analysis. */
      modelId: z.number().int().positive().nullable(),
      split: z.string().min(1).nullable().optional(),
      limit: z.number().int().min(0).optional(),
      retries: z.number().int().min(0).max(20).optional(),
      samples: z.number().int().min(1).max(64).optional(),
      minAgreement: z.number().min(0).max(1).optional(),
      quota: z.record(z.string(), z.number().int().min(0)).optional(),
      userId: userId.optional(),
    }),
  ),
  'rounds.list': method<{ rounds: T.RoundSummary[] }>()(empty),
  'rounds.get': method<T.RoundSummary>()(z.object({ roundId: z.number().int() })),
  'rounds.resume': method<{ roundId: number; jobId: string }>()(z.object({ roundId: z.number().int() })),
  'rounds.stop': method<{ stopped: boolean }>()(z.object({ roundId: z.number().int() })),
  'review.queue': method<{ total: number; rows: T.CandidateSummary[] }>()(
    z.object({
      roundId: z.number().int(),
      filter: z
        .object({
          emotion: z.string().optional(),
          outcome: z.enum(['pass', 'fail']).optional(),
          minAgreement: z.number().min(0).max(1).optional(),
          maxAgreement: z.number().min(0).max(1).optional(),
          faceFound: z.boolean().optional(),
          minFlags: z.number().int().min(0).optional(),
          decision: z.enum(CANDIDATE_DECISIONS).optional(),
        })
        .strict()
        .default({}),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(100),
    }),
  ),
  'review.candidate': method<T.CandidateDetail>()(z.object({ candidateId: z.number().int() })),
  'review.decide': method<{ candidate: T.CandidateSummary; decisionId: number }>()(
    z.object({
      candidateId: z.number().int(),
      userId,
      decision: z.enum(['accept', 'fix', 'reject']),
      reason: z.string().trim().max(500).optional(),
      fix: z.object({ emotion: z.string().nullable(), aus: z.array(AUMarkSchema), reasoning: z.string() }).optional(),
    }),
  ),
  'review.undo': method<{ candidateId: number | null }>()(z.object({ roundId: z.number().int(), userId })),
  'review.acceptPassing': method<{ count: number; accepted: number }>()(
    z.object({ roundId: z.number().int(), userId, minAgreement: z.number().min(0).max(1), dryRun: z.boolean().default(false) }),
  ),
  'review.approve': method<{ round: number; accepted: number; fixed: number; rejected: number; pending: number; skipped: string[]; snapshotId: number }>()(
    z.object({ roundId: z.number().int(), userId }),
  ),
  'snapshots.list': method<{ snapshots: T.SnapshotSummary[] }>()(empty),
  'snapshots.create': method<T.SnapshotSummary>()(
    z.object({ name: z.string().trim().min(1).max(64), split: z.string().nullable().optional(), part: z.string().nullable().optional(), userId: userId.optional() }),
  ),
  /** The datasheet an export of these records would get, and the split's leakage report; writes nothing. */
  'export.preview': method<T.ExportPreview>()(exportSelection),
  /** An engine export as a job (progress, jobs.cancel); outDir is an absolute folder outside the workspace. */
  'export.start': method<{ jobId: string }>()(
    exportSelection.extend({
      format: z.enum(ENGINE_FORMATS),
      outDir: exportDir,
      /** Replace the export already in outDir (refused without it). */
      force: z.boolean().default(false),
      link: z.boolean().default(false),
      userId: userId.optional(),
    }),
  ),
  /** The datasheet of the finished export in outDir: its JSON and DATASHEET.md. */
  'export.datasheet': method<{ datasheet: T.ExportDatasheet; markdown: string }>()(z.object({ outDir: exportDir })),
  'iterations.list': method<{ iterations: T.IterationSummary[] }>()(empty),
  'iterations.advance': method<{ started: boolean; split: string }>()(
    z.object({ split: z.string().min(1), rounds: z.number().int().min(1).max(50).default(1), userId: userId.optional() }),
  ),
  'models.suggest': method<{ written: number }>()(
    z.object({ modelId: z.number().int(), split: z.string().min(1), part: z.string().min(1).default('train') }),
  ),
  'suggestions.getSettings': method<T.SuggestionSettings>()(empty),
  /** How far the label view's suggestions can be trusted: their source measured against the current human labels. */
  'suggestions.trust': method<T.SuggestionTrust>()(empty),
  'suggestions.saveSettings': method<T.SuggestionSettings>()(
    z.object({ modelId: z.number().int().positive().nullable(), allowHeldOut: z.array(z.string().min(1).max(64)).max(1000) }),
  ),
  'models.samples': method<{ samples: T.SampleOutput[] }>()(
    z.object({ modelId: z.number().int(), split: z.string(), part: z.string().default('test'), limit: z.number().int().min(1).max(50).default(12) }),
  ),
} as const;

export type Api = typeof api;
export type MethodName = keyof Api;
export type Input<K extends MethodName> = z.input<Api[K]['input']>;
export type ParsedInput<K extends MethodName> = z.output<Api[K]['input']>;
export type Output<K extends MethodName> = NonNullable<Api[K]['output']>;

export const METHOD_NAMES = Object.keys(api) as MethodName[];

/** What a caller of the API sees, in either transport. */
export type ApiClient = { [K in MethodName]: (input: Input<K>) => Promise<Output<K>> };

/** What the main process implements once, for both transports. */
export type ApiHandlers = { [K in MethodName]: (input: ParsedInput<K>) => Output<K> | Promise<Output<K>> };

export type ApiResult<O> = { ok: true; value: O } | { ok: false; error: { code: string; message: string; issues?: unknown; details?: ApiErrorDetails } };

export type { ApiErrorDetails, RevisionSnapshot, SubmitConflict } from './api-error';
