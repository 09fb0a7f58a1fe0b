/**
 * Facial-R1's per-sample loss weights (facial-r1-method.md §5.3, the repository's "weighted reward/loss" commits):
 * an AU weighs the inverse of its frequency in the training data, normalised to sum to 1 over the AUs seen; a sample
 * weighs the sum of its AUs' weights, min-max normalised over the data, times 10 when it has AUs.
 *
 * As specified, a sample without AUs (a neutral face, as a rule) weighs 0, and so does the sample with the smallest
 * AU sum: RL then learns nothing from them.
 */
import type { SampleWeighting } from './run-values';

export type { SampleWeighting };

export function facialR1SampleWeights(samples: { aus: readonly string[] }[]): Float32Array {
  const freq = new Map<string, number>();
  for (const s of samples) for (const au of new Set(s.aus)) freq.set(au, (freq.get(au) ?? 0) + 1);
  let inverseSum = 0;
  for (const n of freq.values()) inverseSum += 1 / n;
  const auWeight = (au: string) => 1 / (freq.get(au)! * inverseSum);
  const sums = samples.map((s) => [...new Set(s.aus)].reduce((a, au) => a + auWeight(au), 0));
  const min = Math.min(...sums);
  const max = Math.max(...sums);
  return Float32Array.from(samples, (s, i) => {
    // all sums equal: min-max says nothing, so every sample keeps the same weight
    const scaled = max > min ? (sums[i] - min) / (max - min) : 1;
    return s.aus.length > 0 ? 10 * scaled : scaled;
  });
}
