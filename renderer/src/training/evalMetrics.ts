/** The eval report's headline metrics, how to show them and which direction is better. */
import type { EvalReport } from '../../../contract/types';

export type MetricKey = 'accuracy' | 'macroF1' | 'auF1Macro' | 'auF1Micro' | 'formatRate' | 'rougeL' | 'hallucinatedAURate' | 'misalignedRate';

export const EVAL_METRICS: { key: MetricKey; label: string; title: string; higherIsBetter: boolean }[] = [
  { key: 'accuracy', label: 'Accuracy', title: 'Emotion accuracy: first token of <answer> equals the label', higherIsBetter: true },
  { key: 'macroF1', label: 'Macro-F1', title: 'Emotion macro-F1 over the labels present', higherIsBetter: true },
  { key: 'auF1Macro', label: 'AU macro-F1', title: 'AU F1 averaged over AUs with a positive label; AUs parsed from <think>', higherIsBetter: true },
  { key: 'auF1Micro', label: 'AU micro-F1', title: 'AU F1 pooled over all AU decisions', higherIsBetter: true },
  { key: 'formatRate', label: 'Format', title: 'Outputs that are exactly <think>…</think><answer>…</answer>', higherIsBetter: true },
  { key: 'rougeL', label: 'ROUGE-L', title: 'ROUGE-L F-measure of the whole output against the reference description', higherIsBetter: true },
  { key: 'hallucinatedAURate', label: 'Halluc. AU', title: 'AUs mentioned that are not in the label, as a share of AUs mentioned', higherIsBetter: false },
  { key: 'misalignedRate', label: 'Misaligned', title: "Outputs whose answer disagrees with the named emotion's AU prototype", higherIsBetter: false },
];

export type EvalEntry = { split: string; part: string } & EvalReport;

export function evalKey(e: { split: string; part: string }): string {
  return `${e.split}/${e.part}`;
}

/** Positive when B is better than A on this metric, negative when worse; 0 within `tol`. */
export function improvement(key: MetricKey, a: number, b: number, tol = 1e-9): number {
  const d = b - a;
  if (!Number.isFinite(d) || Math.abs(d) <= tol) return 0;
  const def = EVAL_METRICS.find((m) => m.key === key)!;
  return def.higherIsBetter ? d : -d;
}
