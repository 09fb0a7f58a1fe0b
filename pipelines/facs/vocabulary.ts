/** FACS and emotion vocabularies of the Facial-R1 method (spec §2.1, §3, §9.4). */

export const DEFAULT_EMOTIONS = ['anger', 'disgust', 'fear', 'happiness', 'neutral', 'sadness', 'surprise'] as const;
/** The emotion that has no AUs by definition: a neutral face with no AUs is a complete label. */
export const NEUTRAL_EMOTION = 'neutral';
export const OPTIONAL_EMOTIONS = ['contempt'] as const;

/** The 30 AUs defined in the Facial-R1 prompt, names as the prompt spells them. */
export const FACIAL_R1_AU_NAMES: Readonly<Record<string, string>> = {
  AU1: 'Inner brow raiser',
  AU2: 'Outer brow raiser',
  AU4: 'Brow lowerer',
  AU5: 'Upper lid raiser',
  AU6: 'Cheek raiser',
  AU7: 'Lid tightener',
  AU9: 'Nose wrinkler',
  AU10: 'Upper lip raiser',
  AU11: 'Nasolabial Furrow Deepener',
  AU12: 'Lip corner puller',
  AU13: 'Cheek puffer',
  AU14: 'Dimpler',
  AU15: 'Lip corner depressor',
  AU16: 'Lower lip depressor',
  AU17: 'Chin raiser',
  AU18: 'Lip pucker',
  AU19: 'Tongue show',
  AU20: 'Lip stretcher',
  AU22: 'Lip funneler',
  AU23: 'Lip tightener',
  AU24: 'Lip pressor',
  AU25: 'Lips parted',
  AU26: 'Jaw drop',
  AU27: 'Mouth stretch',
  AU28: 'Lip suck',
  AU29: 'Jaw thrust',
  AU30: 'Jaw sideways',
  AU31: 'Jaw clencher',
  AU32: 'Lip bite',
  AU43: 'Eyes closed',
};

export const DEFAULT_AUS: readonly string[] = Object.keys(FACIAL_R1_AU_NAMES);

/** EMFACS-style prototype AU combinations (priors, not validation rules). */
export const EMOTION_PROTOTYPES: Readonly<Record<string, readonly string[]>> = {
  happiness: ['AU6', 'AU12'],
  sadness: ['AU1', 'AU4', 'AU15'],
  surprise: ['AU1', 'AU2', 'AU5', 'AU26'],
  fear: ['AU1', 'AU2', 'AU4', 'AU5', 'AU7', 'AU20', 'AU26'],
  anger: ['AU4', 'AU5', 'AU7', 'AU23'],
  disgust: ['AU9', 'AU15', 'AU16'],
  contempt: ['AU12', 'AU14'],
  neutral: [],
};

export const INTENSITIES = ['A', 'B', 'C', 'D', 'E'] as const;
export type Intensity = (typeof INTENSITIES)[number];
export const SIDES = ['L', 'R'] as const;
export type Side = (typeof SIDES)[number];

export const RECORD_STATUSES = ['unlabeled', 'weak', 'labeled', 'reviewed'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

/** Training runs: their stage and status (runs table, contract, UI). */
export const RUN_STAGES = ['sft', 'rl'] as const;
export type RunStage = (typeof RUN_STAGES)[number];
/** 'queued': waiting for a free training slot (the live-run cap); it starts when one frees, also after a restart. */
export const RUN_STATUSES = ['queued', 'running', 'stopped', 'done', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const USER_ROLES = ['annotator', 'lead', 'researcher', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const REVISION_KINDS = ['human', 'import', 'model', 'synthesis'] as const;
export type RevisionKind = (typeof REVISION_KINDS)[number];

export interface AUMark {
  au: string;
  intensity?: Intensity | null;
  side?: Side | null;
}

export function auNumber(au: string): number {
  return Number(au.slice(2));
}

/** Sorts AU tokens by their number, dropping duplicates. */
export function sortAUs(aus: Iterable<string>): string[] {
  return [...new Set(aus)].sort((a, b) => auNumber(a) - auNumber(b));
}

export function auName(au: string): string {
  return FACIAL_R1_AU_NAMES[au] ?? au;
}

/** Synthesis rounds: running → review (candidates written) → approved (snapshot frozen); or stopped/failed. */
export const ROUND_STATUSES = ['running', 'stopped', 'failed', 'review', 'approved'] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];
/** How a candidate was written: GT-conditioned generation, self-consistency over samples, or from face analysis (round 0). */
export const CANDIDATE_METHODS = ['conditioned', 'consistency', 'analysis'] as const;
export type CandidateMethod = (typeof CANDIDATE_METHODS)[number];
/** A candidate's current review state. */
export const CANDIDATE_DECISIONS = ['pending', 'accepted', 'fixed', 'rejected'] as const;
export type CandidateDecision = (typeof CANDIDATE_DECISIONS)[number];
/** What a review decision row says; `reopened` is an undo (decisions are append-only). */
export const REVIEW_DECISIONS = ['accepted', 'fixed', 'rejected', 'reopened'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];
/** The short list a lead picks a rejection reason from (or types another). */
export const REJECT_REASONS = ['wrong emotion', 'wrong AUs', 'hallucinated AU', 'not a face', 'poor reasoning', 'ambiguous face'] as const;
/** The steps of an iteration of the data engine. */
export const ITERATION_STEPS = ['sft', 'rl', 'synth', 'review', 'done', 'failed'] as const;
export type IterationStep = (typeof ITERATION_STEPS)[number];
/** Who may approve a round (and freeze its snapshot). */
export const APPROVER_ROLES = ['lead', 'admin'] as const satisfies readonly UserRole[];
