/**
 * What a synthesis candidate is checked against, and its checks: the exact filter (§6 step 4), the format reward,
 * the reward breakdown against the target, and the AU claims the geometric estimator scores as absent.
 */
import { thinkAUs } from '../facs/reasoning';
import { sortAUs } from '../facs/vocabulary';
import { facialR1Reward, formatReward, type RewardBreakdown } from '../rewards';
import { synthesisFilter } from './filter';

/** Where a part of the target came from: the record's own label, the face analysis, or the model's samples. */
export const TARGET_SOURCES = ['label', 'analysis', 'samples', 'none'] as const;
export type TargetSource = (typeof TARGET_SOURCES)[number];

export interface CandidateTarget {
  emotion: string | null;
  aus: string[];
  emotionFrom: TargetSource;
  ausFrom: TargetSource;
}

export const CHECK_IDS = ['format', 'think', 'answer-tag', 'aus', 'emotion'] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export interface CandidateCheck {
  id: CheckId;
  pass: boolean;
  detail: string;
}

export interface CandidateEvaluation {
  pass: boolean;
  checks: CandidateCheck[];
  /** The filter's error messages (the retry feedback names them). */
  errors: string[];
  reward: RewardBreakdown;
}

/** The exact filter split into named checks, plus the strict format (nothing outside the tags). */
export function evaluateCandidate(output: string, target: CandidateTarget): CandidateEvaluation {
  const filter = synthesisFilter(output, { emotion: target.emotion, aus: target.aus });
  const has = (prefix: string) => filter.errors.find((e) => e.startsWith(prefix));
  const formatOk = formatReward(output) === 1;
  const checks: CandidateCheck[] = [
    { id: 'format', pass: formatOk, detail: formatOk ? 'exactly <think>…</think><answer>…</answer>' : 'text outside or around the tags' },
    { id: 'think', pass: !has('Missing or empty <think>'), detail: has('Missing or empty <think>') ?? '<think> present' },
    { id: 'answer-tag', pass: !has('Missing or empty <answer>'), detail: has('Missing or empty <answer>') ?? '<answer> present' },
    {
      id: 'aus',
      pass: !has('The predicted AUs'),
      detail: target.aus.length ? (has('The predicted AUs') ?? `names ${sortAUs(target.aus).join(' ')}`) : 'no AUs expected',
    },
    {
      id: 'emotion',
      pass: !has('The predicted labels'),
      detail: target.emotion ? (has('The predicted labels') ?? `answers ${target.emotion}`) : 'no emotion expected',
    },
  ];
  const reward = facialR1Reward(output, { emotion: target.emotion, aus: target.aus });
  return { pass: filter.pass && formatOk, checks, errors: filter.errors, reward };
}

/**
 * The AU claims of a reasoning that the geometric estimator scores as absent: possible hallucinations. AUs the
 * estimator does not measure are never flagged (it cannot tell).
 */
export function flaggedAUClaims(output: string, estimates: Readonly<Record<string, { present: boolean }>>): string[] {
  return sortAUs([...thinkAUs(output)].filter((au) => estimates[au] !== undefined && !estimates[au].present));
}
