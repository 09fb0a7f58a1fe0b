/**
 * Round 0, before any model exists: the known emotion (or the analysis' predicted one) and the analysis' present AU
 * estimates (or the known AUs) give a composed reasoning that passes the editor's checks.
 */
import { composeReasoning } from '../facs/reasoning';
import { NEUTRAL_EMOTION, sortAUs } from '../facs/vocabulary';
import type { CandidateTarget } from './candidate';

export interface Round0Input {
  emotion: string | null;
  aus: string[];
  /** The analysis' emotion scores (vocabulary labels), {} when not analysed. */
  expressions: Readonly<Record<string, number>>;
  /** AUs the analysis estimates present. */
  presentAUs: string[];
}

export interface Round0Candidate {
  target: CandidateTarget;
  output: string;
  /** The expression net's probability of the candidate's emotion (its agreement with the label). */
  agreement: number;
}

function top(scores: Readonly<Record<string, number>>): string | null {
  let best: string | null = null;
  for (const [e, p] of Object.entries(scores)) if (Number.isFinite(p) && (best === null || p > scores[best])) best = e;
  return best;
}

export function round0Candidate(input: Round0Input): Round0Candidate {
  const emotion = input.emotion ?? top(input.expressions) ?? NEUTRAL_EMOTION;
  const emotionFrom = input.emotion ? 'label' : Object.keys(input.expressions).length ? 'analysis' : 'none';
  const fromLabel = input.aus.length > 0;
  // a neutral face has no AUs by definition; otherwise the label's AUs, else what the analysis sees
  const aus = fromLabel ? sortAUs(input.aus) : emotion === NEUTRAL_EMOTION ? [] : sortAUs(input.presentAUs);
  const target: CandidateTarget = { emotion, aus, emotionFrom, ausFrom: fromLabel ? 'label' : aus.length ? 'analysis' : 'none' };
  return { target, output: composeReasoning(emotion, aus), agreement: input.expressions[emotion] ?? 0 };
}
