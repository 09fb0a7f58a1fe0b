/**
 * Evaluation metrics of facial-r1-method.md §7, parsed the way the reference evaluation (`eval_utils.py`) parses:
 * the first `<answer>` and the first `<think>`, each falling back to the whole output when the tag is missing.
 */
import { EMOTION_PROTOTYPES, sortAUs } from '../facs';
import { formatReward } from '../rewards/facial-r1';
import { PY_WHITESPACE_CLASS, pyStrip } from '../rewards/python-text';
import { rougeL } from './rouge';

export interface EvalItem {
  output: string;
  gt: { emotion: string | null; aus: string[]; description: string };
}

export interface EvalReport {
  n: number;
  accuracy: number;
  macroF1: number;
  auF1Macro: number;
  auF1Micro: number;
  formatRate: number;
  rougeL: number;
  hallucinatedAURate: number;
  misalignedRate: number;
  confusion: { labels: string[]; matrix: number[][] };
  perAU: Record<string, { f1: number; support: number }>;
}

/** Confusion-matrix label for predictions (or GT labels) outside the evaluated emotion set. */
export const OTHER_LABEL = '(other)';

const FIRST_ANSWER = /<answer>([\s\S]*?)<\/answer>/;
const FIRST_THINK = /<think>([\s\S]*?)<\/think>/;
/** The reference evaluation matches AUs case-sensitively (no upper-casing, unlike the AU reward); `\d` is Python's. */
const AU_TOKEN = /AU\p{Nd}+/gu;
/** `re.split(r'[,;，；\s]+', …)` with Python's `\s`. */
const ANSWER_SEPARATORS = new RegExp(`(?:[,;，；]|${PY_WHITESPACE_CLASS})+`);

/** Tokens of the first `<answer>` (or the whole output), split on `[,;，；\s]+`; the first is the predicted emotion. */
export function answerLabels(output: string): string[] {
  const m = FIRST_ANSWER.exec(output);
  const text = m ? pyStrip(m[1]) : output;
  return text.split(ANSWER_SEPARATORS).map(pyStrip).filter(Boolean);
}

export function predictedEmotion(output: string): string | null {
  return answerLabels(output)[0] ?? null;
}

/** AUs named in the first `<think>` (or the whole output when there is none), as `extract_au_pred_think` does. */
export function mentionedAUs(output: string): string[] {
  const m = FIRST_THINK.exec(output);
  return sortAUs(((m ? m[1] : output).match(AU_TOKEN) ?? []));
}

/** F1 from counts: 2·tp / (2·tp + fp + fn), 0 when nothing was right. */
export function f1(tp: number, fp: number, fn: number): number {
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/**
 * True when the answered emotion is among the emotions whose prototype AU set (EMOTION_PROTOTYPES, spec §9.4)
 * has the highest Jaccard similarity with the AUs mentioned (ties count as aligned; J(∅, ∅) = 1, so naming no AU
 * fits "neutral"). Candidates are the evaluated emotions that have a prototype. Null when it cannot be judged:
 * the answer is not such an emotion.
 */
export function isAligned(answer: string | null, mentioned: Iterable<string>, emotions: readonly string[]): boolean | null {
  const candidates = emotions.filter((e) => Object.prototype.hasOwnProperty.call(EMOTION_PROTOTYPES, e));
  if (answer === null || !candidates.includes(answer)) return null;
  const m = new Set(mentioned);
  const scores = candidates.map((e) => jaccard(m, new Set(EMOTION_PROTOTYPES[e])));
  const best = Math.max(...scores);
  return scores[candidates.indexOf(answer)] === best;
}

/**
 * - accuracy: first answer token == GT label, over items with a GT emotion.
 * - macroF1: mean per-emotion F1 over the emotions with at least one GT item.
 * - auF1Macro / auF1Micro: multi-label F1 over the AUs occurring in the items' GT (sklearn semantics; predictions
 *   of other AUs are ignored, items without GT AUs count as all-negative rows). perAU has every such AU.
 * - formatRate: share of outputs with R_format = 1.
 * - rougeL: mean ROUGE-L F (Porter-stemmed) of the whole output against the GT description, over items that have one.
 * - hallucinatedAURate: AUs mentioned (in <think>) that are not in the GT AU set / all AUs mentioned, pooled over
 *   the items whose GT AU set is non-empty (an empty set means "not annotated", as for the AU reward).
 * - misalignedRate: share of outputs, among those whose answer is a judgeable emotion (see isAligned), whose answer
 *   is not a best prototype match for the AUs they mention.
 * Rates are in [0, 1]; a rate with an empty denominator is 0.
 */
export function evaluateOutputs(items: readonly EvalItem[], emotions: readonly string[]): EvalReport {
  const n = items.length;

  // Emotion recognition
  const labelled = items.filter((it) => it.gt.emotion !== null && it.gt.emotion.trim() !== '');
  const preds = labelled.map((it) => predictedEmotion(it.output));
  const golds = labelled.map((it) => it.gt.emotion!.trim());
  const correct = preds.filter((p, i) => p === golds[i]).length;
  const accuracy = labelled.length ? correct / labelled.length : 0;

  const emotionList = [...new Set(emotions)];
  const classF1: number[] = [];
  for (const e of emotionList) {
    let tp = 0, fp = 0, fn = 0;
    preds.forEach((p, i) => {
      if (p === e && golds[i] === e) tp++;
      else if (p === e) fp++;
      else if (golds[i] === e) fn++;
    });
    if (tp + fn > 0) classF1.push(f1(tp, fp, fn));
  }
  const macroF1 = classF1.length ? classF1.reduce((a, b) => a + b, 0) / classF1.length : 0;

  const inSet = new Set(emotionList);
  const needsOther = preds.some((p) => p === null || !inSet.has(p)) || golds.some((g) => !inSet.has(g));
  const labels = needsOther ? [...emotionList, OTHER_LABEL] : [...emotionList];
  const at = (x: string | null): number => (x !== null && inSet.has(x) ? emotionList.indexOf(x) : labels.length - 1);
  const matrix = labels.map(() => labels.map(() => 0));
  preds.forEach((p, i) => matrix[at(golds[i])][at(p)]++);

  // AU recognition
  const mentions = items.map((it) => mentionedAUs(it.output));
  const goldAUs = items.map((it) => new Set(it.gt.aus));
  const classes = sortAUs(goldAUs.flatMap((s) => [...s]));
  const perAU: EvalReport['perAU'] = {};
  let tpAll = 0, fpAll = 0, fnAll = 0;
  const auF1s: number[] = [];
  for (const au of classes) {
    let tp = 0, fp = 0, fn = 0, support = 0;
    items.forEach((_, i) => {
      const g = goldAUs[i].has(au);
      const p = mentions[i].includes(au);
      if (g) support++;
      if (g && p) tp++;
      else if (p) fp++;
      else if (g) fn++;
    });
    const score = f1(tp, fp, fn);
    perAU[au] = { f1: score, support };
    auF1s.push(score);
    tpAll += tp;
    fpAll += fp;
    fnAll += fn;
  }
  const auF1Macro = auF1s.length ? auF1s.reduce((a, b) => a + b, 0) / auF1s.length : 0;
  const auF1Micro = f1(tpAll, fpAll, fnAll);

  // Format and text
  const formatRate = n ? items.filter((it) => formatReward(it.output) === 1).length / n : 0;
  const described = items.filter((it) => it.gt.description.trim() !== '');
  const rouge = described.length
    ? described.reduce((a, it) => a + rougeL(it.gt.description, it.output).fmeasure, 0) / described.length
    : 0;

  // Grounding
  let mentioned = 0, hallucinated = 0;
  items.forEach((_, i) => {
    if (goldAUs[i].size === 0) return;
    mentioned += mentions[i].length;
    hallucinated += mentions[i].filter((au) => !goldAUs[i].has(au)).length;
  });
  let judged = 0, misaligned = 0;
  items.forEach((it, i) => {
    const aligned = isAligned(predictedEmotion(it.output), mentions[i], emotionList);
    if (aligned === null) return;
    judged++;
    if (!aligned) misaligned++;
  });

  return {
    n,
    accuracy,
    macroF1,
    auF1Macro,
    auF1Micro,
    formatRate,
    rougeL: rouge,
    hallucinatedAURate: mentioned ? hallucinated / mentioned : 0,
    misalignedRate: judged ? misaligned / judged : 0,
    confusion: { labels, matrix },
    perAU,
  };
}
