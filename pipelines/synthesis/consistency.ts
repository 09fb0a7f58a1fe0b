/**
 * Self-consistency for unlabeled faces: G samples drawn unconditioned; the candidate is the best-scoring sample of
 * the most frequent (emotion, AU set) pair, kept when the share of samples agreeing with it on both reaches the
 * threshold.
 */
import { answerContent, thinkAUs } from '../facs/reasoning';
import { sortAUs } from '../facs/vocabulary';
import { facialR1Reward } from '../rewards';

export const DEFAULT_SAMPLES = 8;
export const DEFAULT_MIN_AGREEMENT = 0.75;

export interface ConsistencyResult {
  /** Index of the chosen sample. */
  index: number;
  emotion: string | null;
  aus: string[];
  /** Share of samples with the chosen emotion and AU set. */
  agreement: number;
  emotionAgreement: number;
  auAgreement: number;
  /** Distinct (emotion, AU set) pairs among the samples. */
  distinct: number;
}

const keyOf = (emotion: string | null, aus: string[]) => `${emotion ?? ''}|${aus.join(' ')}`;

export function selfConsistency(samples: readonly string[]): ConsistencyResult {
  if (samples.length === 0) throw new Error('self-consistency needs at least one sample');
  const parsed = samples.map((s) => ({ emotion: answerContent(s), aus: sortAUs(thinkAUs(s)) }));
  const counts = new Map<string, number>();
  for (const p of parsed) counts.set(keyOf(p.emotion, p.aus), (counts.get(keyOf(p.emotion, p.aus)) ?? 0) + 1);
  // the most frequent pair; ties go to the pair drawn first
  let bestKey = keyOf(parsed[0].emotion, parsed[0].aus);
  for (const p of parsed) {
    const k = keyOf(p.emotion, p.aus);
    if (counts.get(k)! > counts.get(bestKey)!) bestKey = k;
  }
  const first = parsed.findIndex((p) => keyOf(p.emotion, p.aus) === bestKey);
  const { emotion, aus } = parsed[first];
  let index = first;
  let best = -Infinity;
  parsed.forEach((p, i) => {
    if (keyOf(p.emotion, p.aus) !== bestKey) return;
    const r = facialR1Reward(samples[i], { emotion, aus }).total;
    if (r > best) {
      best = r;
      index = i;
    }
  });
  const G = samples.length;
  return {
    index,
    emotion,
    aus,
    agreement: counts.get(bestKey)! / G,
    emotionAgreement: parsed.filter((p) => p.emotion === emotion).length / G,
    auAgreement: parsed.filter((p) => p.aus.join(' ') === aus.join(' ')).length / G,
    distinct: counts.size,
  };
}
