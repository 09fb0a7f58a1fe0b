/** Data shapes that cross the API boundary. Plain JSON: no class instances, no Buffers. */
import type { EvalReport } from '../pipelines/eval/metrics';
import type { AUMark, RecordStatus, RevisionKind, RunStage, RunStatus, UserRole } from '../pipelines/facs/vocabulary';
import type { RunResult } from './run-result';
import type { JobResult } from './import';

export interface User {
  id: number;
  name: string;
  role: UserRole;
}

export interface WorkspaceInfo {
  name: string;
  path: string;
  schemaVersion: number;
  emotions: string[];
  aus: { au: string; name: string }[];
  recordCount: number;
  /** Tensor backend used by the last analysis or training job, if any. */
  backend: string | null;
}

/**
 * The queue's choice lists, zod-free so the renderer can list them: the API's RecordSortSchema is built from these
 * (RecordFilter and RecordSort, the shapes, are inferred from the schemas in api.ts).
 */
/**
 * `todo`: records that still need work first (unlabeled, then weak); the label view's default queue. `uncertain`: the
 * same groups, each with the lowest top-emotion probability of the suggestion source's prediction first (unscored last).
 */
export const RECORD_SORT_FIELDS = ['id', 'status', 'emotion', 'source', 'updated', 'todo', 'uncertain'] as const;
export type RecordSortField = (typeof RECORD_SORT_FIELDS)[number];
export const SORT_DIRECTIONS = ['asc', 'desc'] as const;
export type SortDirection = (typeof SORT_DIRECTIONS)[number];
export const DEFAULT_RECORD_SORT: { readonly field: RecordSortField; readonly dir: SortDirection } = { field: 'id', dir: 'asc' };

export interface RecordRow {
  id: string;
  status: RecordStatus;
  emotion: string | null;
  aus: string[];
  subject: string | null;
  source: string | null;
  /** Key of the image under the workspace media root; turned into a URL by the transport. */
  imageKey: string;
  author: string | null;
  updatedAt: string | null;
}

export interface Revision {
  id: number;
  recordId: string;
  emotion: string | null;
  aus: AUMark[];
  reasoning: string;
  author: string;
  kind: RevisionKind;
  parentRevisionId: number | null;
  parentPredictionId: number | null;
  createdAt: string;
  /** True while this revision is the record's current one. */
  current: boolean;
}

export interface Draft {
  emotion: string | null;
  aus: AUMark[];
  reasoning: string;
  parentPredictionId: number | null;
  savedAt: string;
}

/** A model's suggestion for a record, shown beside the form. */
export interface Suggestion {
  predictionId: number;
  model: string;
  emotion: string | null;
  emotionScore: number | null;
  aus: { au: string; score: number; present: boolean }[];
  reasoning: string;
}

/**
 * The suggestion source (the one settings choose) measured against the current human labels: for every record whose
 * current revision is a human one and that has a suggestion of that source, the suggestion as the label view shows
 * it (see Suggestion) against the label. Nothing is left out, held-out parts included; `records` says on how many.
 */
export interface SuggestionTrust {
  /** The policy chosen in settings, or null: the face analysis. */
  modelId: number | null;
  /** Human-labeled records with a suggestion of this source. */
  records: number;
  /** Of those, labels submitted after accepting or merging that very suggestion (they agree with it by construction). */
  acceptedFrom: number;
  /** Suggested emotion = labeled emotion, over the records where both exist; null when there are none. */
  emotion: { n: number; accuracy: number } | null;
  /** AU micro-F1 (pooled over the records' AU decisions) of the suggested present AUs against the labeled AUs; null when no suggestion names AU scores. */
  aus: { n: number; f1: number; precision: number; recall: number } | null;
}

/** Which model's suggestions annotators see, and where none are shown. */
export interface SuggestionSettings {
  /** The trained policy whose suggestions the label view shows; null: the face analysis (the default). */
  modelId: number | null;
  /** Splits that allow suggestions on their held-out records (every other split shows none there). */
  allowHeldOut: string[];
  /** The policies that can be chosen. */
  policies: { id: number; name: string; stage: RunStage }[];
  /** Every split with its held-out parts: `test`, and any part but `train` a model was evaluated on. */
  splits: { name: string; parts: string[]; heldOut: string[] }[];
}

export interface AnalysisOverlay {
  faceFound: boolean;
  box: { x: number; y: number; width: number; height: number } | null;
  landmarks: [number, number][];
  /** Image-space polygons/boxes of AU regions, for the overlay. */
  auRegions: { au: string; points: [number, number][]; score: number; present: boolean }[];
}

export interface RecordDetail {
  row: RecordRow;
  image: { key: string; width: number; height: number; sha256: string; fileName: string };
  question: string;
  current: Revision | null;
  draft: Draft | null;
  suggestion: Suggestion | null;
  analysis: AnalysisOverlay | null;
  splits: { name: string; part: string }[];
}

export interface Decision {
  id: number;
  recordId: string;
  kind: 'submit' | 'skip';
  revisionId: number | null;
  reason: string | null;
  createdAt: string;
  undone: boolean;
}

export interface WorkspaceStats {
  records: number;
  images: number;
  labeled: number;
  weak: number;
  unlabeled: number;
  reviewed: number;
  byEmotion: Record<string, number>;
  byAU: Record<string, number>;
  /** Human revisions per day. */
  progress: { day: string; count: number }[];
  throughput: { userId: number; name: string; lastHour: number; last24h: number; total: number }[];
  /** Face analysis over the records: those whose image has a successful analysis, and of them those with a face found. */
  analysis: {
    records: number;
    analyzed: number;
    facesFound: number;
    /** Records whose image the analysis refused or could not read, by the stored reason's code (`too_large`, …). */
    notAnalysable: { reason: string; records: number }[];
    /** Per dataset source, over images: the same numbers as `fea analyze --json`'s facesBySource. */
    facesBySource: Record<string, { analyzed: number; facesFound: number; detection: Record<string, number> }>;
  };
  /** Records an annotator skipped (the latest of their decisions not undone is a skip), by the reason given. */
  skipped: { records: number; reasons: { reason: string; records: number }[] };
  /** Time on screen per human submission in the label view (revisions' lead time; undone ones left out). */
  labelTime: { medianMs: number | null; submissions: number };
}

export interface SplitPartSummary {
  n: number;
  byEmotion: Record<string, number>;
}

/** Two records in different parts that show the same or a near-duplicate image. */
export interface SplitLeakPair {
  a: string;
  partA: string;
  b: string;
  partB: string;
  /** pHash distance; 0 for exact duplicates. */
  distance: number;
}

/** What a split leaks between its parts (pipelines/splits/leakage.ts), with up to 100 examples of each kind. */
export interface SplitLeakage {
  nearDupThreshold: number;
  sharedSubjects: number;
  exactDuplicatePairs: number;
  nearDuplicatePairs: number;
  /** Records whose image has no pHash (unreadable, or not hashed): not checked for near-duplicates. */
  unhashed: number;
  examples: { sharedSubjects: string[]; exactDuplicates: SplitLeakPair[]; nearDuplicates: SplitLeakPair[] };
}

/** What `fix` moved: connected groups of leaking records, each into one part. */
export interface SplitMoved {
  records: number;
  groups: number;
  flows: { from: string; to: string; records: number }[];
  before: { sharedSubjects: number; exactDuplicatePairs: number; nearDuplicatePairs: number };
  examples: { id: string; from: string; to: string }[];
}

export interface SplitSummary {
  name: string;
  parts: Record<string, SplitPartSummary>;
  maxStratDeviation: number;
  sharedSubjects: number;
  seed: number;
  createdAt: string;
  /** Absent on splits made before the leakage report existed. */
  exactDuplicatePairs?: number;
  nearDuplicatePairs?: number;
  leakage?: SplitLeakage;
  /** Present when the split was made with fix. */
  moved?: SplitMoved;
}

/** An export's datasheet (services/export/datasheet.ts): written as datasheet.json beside every engine export. */
export interface ExportDatasheet {
  format: string;
  createdAt: string;
  records: number;
  parts: Record<string, { n: number; byEmotion: Record<string, number> }>;
  byEmotion: Record<string, number>;
  byAU: Record<string, number>;
  provenance: { source: string; n: number; share: number }[];
  annotators: { name: string; n: number; share: number }[];
  split: { name: string; summary: unknown } | null;
  snapshot: { id: number; name: string; parent: number | null; model: number | null; round: number | null; reviewer: string | null; createdAt: string } | null;
  vocabulary: { emotions: string[]; aus: string[] };
  auInventory: string[];
}

/** What an export would hold, before any file is written: its datasheet, and the split's leakage report. */
export interface ExportPreview {
  datasheet: ExportDatasheet;
  leakage: SplitLeakage | null;
  /** The image key of each record named in the leakage examples' pairs, for thumbnails. */
  images: Record<string, string>;
}

export type JobKind = 'import' | 'export' | 'analyze' | 'train' | 'eval' | 'synth';
export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'stopped';

export interface Job {
  id: string;
  kind: JobKind;
  status: JobStatus;
  done: number;
  total: number;
  message: string;
  startedAt: string;
  runId?: number;
  /** Live counts beside done/total (analysis: analysed, facesFound, skipped, failed). */
  counters?: Record<string, number>;
  /** Set when the job ends (done or stopped), for kinds that have one. */
  result?: JobResult;
}

/** Whether training.start would accept a run, and what the split's training part offers it (training.check). */
export interface TrainingCheck {
  ok: boolean;
  /** Why training.start would refuse it; null when ok. */
  reason: string | null;
  stage: RunStage;
  split: string;
  part: string;
  /** Records of the part labeled by a person with an emotion (null when the run reads a snapshot). */
  labeled: number | null;
  /** Of those, the ones whose label has a reasoning (SFT trains on these). */
  withReasoning: number | null;
  /** The seed the run would use. */
  seed: number;
  /** The model an RL run would start from. */
  from: number | null;
}

export interface RunSummary {
  id: number;
  stage: RunStage;
  status: RunStatus;
  split: string;
  seed: number;
  backend: string;
  config: Record<string, unknown>;
  progress: { step: number; totalSteps: number };
  modelId: number | null;
  parentModelId: number | null;
  createdAt: string;
  updatedAt: string;
  error: string | null;
  /** A checkpoint exists: resume continues from it (without one, a resume starts the run again). */
  hasCheckpoint?: boolean;
  /** A finished run's result (RunResultSchema): null until it is done, and for runs finished before it was recorded. */
  result?: RunResult | null;
}

export type { RunResult, RlRunResult, SftRunResult, ValScore } from './run-result';

export interface MetricPoint {
  step: number;
  values: Record<string, number>;
}

/** The evaluation report is defined once, by the metrics that compute it (a type-only import). */
export type { EvalReport };

export interface ModelSummary {
  id: number;
  name: string;
  stage: RunStage;
  runId: number | null;
  parentModelId: number | null;
  backend: string;
  createdAt: string;
  evals: ({ split: string; part: string } & EvalReport)[];
}

export interface SampleOutput {
  recordId: string;
  imageKey: string;
  output: string;
  label: { emotion: string | null; aus: string[]; reasoning: string };
}

export type ApiEvent =
  | { type: 'job.progress'; job: Job }
  | { type: 'run.metrics'; runId: number; point: MetricPoint }
  /** `all`: too many (or too long) ids to name; every record may have changed. ids is then empty. */
  | { type: 'records.changed'; ids: string[]; all?: boolean }
  | { type: 'rounds.changed'; roundId: number };

export { KEYMAP_COMMANDS, type KeymapCommand } from './bounds';
export { IMPORT_FORMATS, IMPORT_INPUT_KINDS, type ImportFormat } from '../pipelines/formats/import-formats';
export type { AnalysisStatus, ImportErrorRow, ImportSummary, JobResult } from './import';

export type {
  BalanceReport,
  CandidateCheck,
  CandidateDetail,
  CandidateSummary,
  CandidateTarget,
  IterationSummary,
  ReviewDecisionEntry,
  RoundConfig,
  RoundSummary,
  SnapshotSummary,
} from './synthesis';
