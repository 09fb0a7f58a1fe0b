/**
 * Facial-R1 rewards (facial-r1-method.md §4), as `grpo_jsonl.py` computes them:
 * format_reward, default_accuracy_reward (exact-match branch) and au_reward, with all weights 1 by default.
 */
import { PY_WHITESPACE_CLASS, pyStrip } from './python-text';

/** `re.fullmatch(r"<think>.*?</think>\s*<answer>.*?</answer>", s, re.DOTALL)`; `$` without the m flag is end of input. */
const FORMAT_FULLMATCH = new RegExp(`^<think>[\\s\\S]*?</think>${PY_WHITESPACE_CLASS}*<answer>[\\s\\S]*?</answer>$`);
const ANSWER_ALL = /<answer>([\s\S]*?)<\/answer>/g;
/** The reward code searches `<think>` with re.IGNORECASE and upper-cases the content before `findall(r"AU\d+")`. */
const THINK_FIRST = /<think>([\s\S]*?)<\/think>/i;
/** Python's `\d` is any Unicode decimal digit. */
const AU_TOKEN = /AU\p{Nd}+/gu;

export interface RewardWeights {
  format: number;
  accuracy: number;
  au: number;
}

export const DEFAULT_REWARD_WEIGHTS: Readonly<RewardWeights> = { format: 1, accuracy: 1, au: 1 };

export interface RewardGroundTruth {
  emotion: string | null;
  aus: string[];
}

export interface RewardBreakdown {
  /** Unweighted components. */
  format: number;
  accuracy: number;
  au: number;
  /** weights.format·format + weights.accuracy·accuracy + weights.au·au. */
  total: number;
}

/** R_format ∈ {0, 1}: nothing may precede `<think>` or follow `</answer>`, not even whitespace. */
export function formatReward(completion: string): number {
  return FORMAT_FULLMATCH.test(completion) ? 1 : 0;
}

/**
 * R_acc ∈ {0, 0.5, 1}. Prediction = the last `<answer>` content, stripped; like the reference code it falls back
 * to the whole completion, stripped, when there is no `<answer>` pair. The GT goes through the loader's
 * normalisation (answer tags removed, stripped); an empty GT scores 0.5. Exact, case-sensitive comparison
 * (the spec's definition; math_verify cannot parse an emotion word).
 */
export function accuracyReward(completion: string, gtLabel: string | null): number {
  const gt = gtLabel === null ? '' : pyStrip(gtLabel.split('<answer>').join('').split('</answer>').join(''));
  if (!gt) return 0.5;
  const answers = [...completion.matchAll(ANSWER_ALL)];
  const predicted = answers.length ? pyStrip(answers[answers.length - 1][1]) : pyStrip(completion);
  return predicted === gt ? 1 : 0;
}

/** P: the AU tokens (upper-cased, zero padding kept: AU06 ≠ AU6) inside the first `<think>…</think>`. */
export function predictedAUsForReward(completion: string): Set<string> {
  const m = THINK_FIRST.exec(completion);
  if (!m) return new Set();
  return new Set(m[1].toUpperCase().match(AU_TOKEN) ?? []);
}

/** R_AU ∈ [−1, 1]: G = ∅ → 0; P = ∅ → −1; else 2·F1 − 1 with F1 = 2|P∩G| / (|P| + |G|). */
export function auReward(completion: string, gtAUs: string[]): number {
  const gold = new Set(gtAUs.map((a) => a.toUpperCase()));
  if (gold.size === 0) return 0;
  const predicted = predictedAUsForReward(completion);
  if (predicted.size === 0) return -1;
  let hit = 0;
  for (const au of predicted) if (gold.has(au)) hit++;
  // F-beta with beta = 1 from precision and recall, as the reference computes it (0 when nothing matches).
  const precision = hit / predicted.size;
  const recall = hit / gold.size;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return 2 * f1 - 1;
}

export function facialR1Reward(
  completion: string,
  gt: RewardGroundTruth,
  weights: RewardWeights = DEFAULT_REWARD_WEIGHTS,
): RewardBreakdown {
  const format = formatReward(completion);
  const accuracy = accuracyReward(completion, gt.emotion);
  const au = auReward(completion, gt.aus);
  return { format, accuracy, au, total: weights.format * format + weights.accuracy * accuracy + weights.au * au };
}
