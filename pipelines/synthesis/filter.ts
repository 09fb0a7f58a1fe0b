/**
 * The exact-match synthesis filter and retry feedback of facial-r1-method.md §6 (steps 2, 4, 5).
 *
 * Differences from `infer_emotion.py`, on purpose: the spec makes the <think>/<answer> presence checks part of the
 * pass condition (the script only reports them as errors), and the retry block is our wording of §6 step 5.
 * The comparisons themselves follow the script: AUs are `AU\d+` anywhere in the output, case-sensitive;
 * labels come from the first <answer>, split on "," "、" "，", stripped, de-duplicated.
 */
import { pyStrip } from '../rewards/python-text';

export const MAX_SYNTHESIS_RETRIES = 5;

export interface SynthesisTarget {
  aus: string[];
  /** The record's emotion (labels[0]); ignored when `labels` is given. */
  emotion?: string | null;
  /** All GT labels, when the record has several. */
  labels?: string[];
}

export interface FilterResult {
  pass: boolean;
  errors: string[];
}

export const MISSING_THINK = 'Missing or empty <think>...</think> tag.';
export const MISSING_ANSWER = 'Missing or empty <answer>...</answer> tag.';

/** Python's `\d` is any Unicode decimal digit. */
const AU_ANYWHERE = /AU\p{Nd}+/gu;
const FIRST_THINK = /<think>([\s\S]*?)<\/think>/;
const FIRST_ANSWER = /<answer>([\s\S]*?)<\/answer>/;

/** Python's sorted(set(xs)) for strings (code-point order). */
function sortedSet(xs: Iterable<string>): string[] {
  return [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Python's repr() of a list of str, as it appears in the error messages: ['AU1', 'AU4']. */
export function pyListRepr(items: readonly string[]): string {
  const one = (s: string): string => {
    const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
    const body = s
      .replace(/\\/g, '\\\\')
      .replace(/\n/g, '\\n')
      .replace(/\r/g, '\\r')
      .replace(/\t/g, '\\t')
      .split(quote)
      .join(`\\${quote}`);
    return `${quote}${body}${quote}`;
  };
  return `[${items.map(one).join(', ')}]`;
}

export function outputAUs(output: string): string[] {
  return sortedSet(output.match(AU_ANYWHERE) ?? []);
}

export function outputLabels(output: string): string[] {
  const m = FIRST_ANSWER.exec(output);
  if (!m) return [];
  return sortedSet(m[1].split(/[,\u3001，]/).map(pyStrip).filter(Boolean));
}

function targetLabels(target: SynthesisTarget): string[] {
  const labels = target.labels ?? (target.emotion ? [target.emotion] : []);
  return sortedSet(labels.filter((l) => l !== ''));
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** §6 step 4: every check must hold; the AU and label checks are skipped when the GT field is empty. */
export function synthesisFilter(output: string, target: SynthesisTarget): FilterResult {
  const errors: string[] = [];
  const goldAUs = sortedSet(target.aus);
  const goldLabels = targetLabels(target);
  if (goldAUs.length && !sameList(goldAUs, outputAUs(output))) errors.push(`The predicted AUs must be: ${pyListRepr(goldAUs)}`);
  if (goldLabels.length && !sameList(goldLabels, outputLabels(output))) errors.push(`The predicted labels must be: ${pyListRepr(goldLabels)}`);
  const think = FIRST_THINK.exec(output);
  if (!think || !pyStrip(think[1])) errors.push(MISSING_THINK);
  const answer = FIRST_ANSWER.exec(output);
  if (!answer || !pyStrip(answer[1])) errors.push(MISSING_ANSWER);
  return { pass: errors.length === 0, errors };
}

/** §6 step 2: the block appended to the prompt with the parts of the ground truth the record has ('' when none). */
export function groundTruthBlock(target: SynthesisTarget): string {
  const parts: string[] = [];
  const aus = sortedSet(target.aus);
  const labels = targetLabels(target);
  if (aus.length) parts.push(`Your analysis MUST identify these specific Action Units: ${pyListRepr(aus)}`);
  if (labels.length) parts.push(`And your final answer MUST be this exact emotion: ${pyListRepr(labels)}`);
  return parts.length ? `### Ground Truth\n${parts.join('\n')}` : '';
}

/** §6 step 5: the "### Previous Response Issues" block: the previous response, its errors, and reminders. */
export function retryPromptBlock(previousResponse: string, errors: readonly string[]): string {
  return [
    '### Previous Response Issues',
    'Your previous response was:',
    previousResponse,
    '',
    'It had these issues:',
    errors.join(', '),
    '',
    'Write a new response that fixes them:',
    '1. Name every required Action Unit in your analysis.',
    '2. Give the required emotion in your answer.',
    '3. Use <think>...</think> followed by <answer>...</answer>.',
    '4. Avoid negative expressions such as "no", "not" and "without".',
    '5. Be concise and precise.',
  ].join('\n');
}

/** The prompt for the next attempt: the current prompt plus the retry block. */
export function appendRetry(prompt: string, previousResponse: string, errors: readonly string[]): string {
  return `${prompt}\n\n${retryPromptBlock(previousResponse, errors)}`;
}
