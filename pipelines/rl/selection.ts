/**
 * RL's model selection on the held-out validation slice: which validated step becomes the run's result. A step
 * that loses accuracy against the start (step 0) never beats one that keeps it.
 */
import type { ValScore } from './run-values';

/** `a` is a better RL result than `b`: no validation accuracy lost against the start, then reward, then accuracy. */
export function betterValScore(a: ValScore, b: ValScore | null, start: ValScore | null): boolean {
  if (!b) return true;
  const keeps = (s: ValScore) => !start || s.accuracy >= start.accuracy - 1e-9;
  if (keeps(a) !== keeps(b)) return keeps(a);
  if (!keeps(a) && a.accuracy !== b.accuracy) return a.accuracy > b.accuracy;
  if (a.reward !== b.reward) return a.reward > b.reward;
  return a.accuracy > b.accuracy;
}
