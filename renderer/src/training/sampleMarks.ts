/** How a model output compares with the record's label: answer, AUs hit, hallucinated and missed. */
import { answerContent, extractAUs, hasValidFormat } from '../../../pipelines/facs/reasoning';
import { auNumber } from '../../../pipelines/facs/vocabulary';

export interface SampleMarks {
  formatOk: boolean;
  answer: string | null;
  emotionOk: boolean | null;
  /** AUs named in <think> that are in the label. */
  hit: string[];
  /** AUs named in <think> that are not in the label. */
  extra: string[];
  /** Label AUs the output does not name. */
  missed: string[];
}

const byNumber = (a: string, b: string) => auNumber(a) - auNumber(b);

/** First token of the answer, as Facial-R1's accuracy parses it. */
export function answerEmotion(output: string): string | null {
  const a = answerContent(output);
  if (a === null) return null;
  const first = a.split(/[,;，；\s]+/).find((t) => t.length > 0);
  return first ?? null;
}

/**
 * Where the AUs that count lie in an output, as [start, end) offsets: inside the first <think>, as Facial-R1's
 * reward and eval parse them; in an output without a <think> at all, the whole text (it still names AUs, and the
 * reader sees them). AUs elsewhere (the answer, a second <think>) are not counted, so they are not coloured either.
 */
export function scoredRegion(output: string): [number, number] | null {
  const m = /<think>([\s\S]*?)<\/think>/.exec(output);
  if (m) return [m.index + '<think>'.length, m.index + '<think>'.length + m[1].length];
  return /<think>/.test(output) ? null : [0, output.length];
}

export function sampleMarks(output: string, label: { emotion: string | null; aus: string[] }): SampleMarks {
  const region = scoredRegion(output);
  const named = region ? extractAUs(output.slice(region[0], region[1])) : new Set<string>();
  const gold = new Set(label.aus.map((a) => a.toUpperCase()));
  const answer = answerEmotion(output);
  return {
    formatOk: hasValidFormat(output),
    answer,
    emotionOk: label.emotion === null ? null : answer !== null && answer.toLowerCase() === label.emotion.toLowerCase(),
    hit: [...named].filter((a) => gold.has(a)).sort(byNumber),
    extra: [...named].filter((a) => !gold.has(a)).sort(byNumber),
    missed: [...gold].filter((a) => !named.has(a)).sort(byNumber),
  };
}

/**
 * A part of an output. AU tokens in the scored region: the first mention of each is `au-hit` or `au-extra` (one chip
 * per AU the counters count), later mentions `au-repeat`; AU tokens outside it are `au-unscored`.
 */
export type OutputSegment =
  | { kind: 'text' | 'tag' | 'answer'; text: string }
  | { kind: 'au-hit' | 'au-extra' | 'au-repeat' | 'au-unscored'; text: string; au: string; inLabel: boolean };

/** Splits an output into text, tags and AU tokens, marked as sampleMarks counts them. */
export function outputSegments(output: string, labelAUs: string[]): OutputSegment[] {
  const gold = new Set(labelAUs.map((a) => a.toUpperCase()));
  const region = scoredRegion(output);
  const seen = new Set<string>();
  const segments: OutputSegment[] = [];
  let inAnswer = false;
  let at = 0;
  for (const part of output.split(/(<\/?think>|<\/?answer>|AU\d+)/gi)) {
    const start = at;
    at += part.length;
    if (!part) continue;
    if (/^<\/?(think|answer)>$/i.test(part)) {
      inAnswer = part.toLowerCase() === '<answer>';
      segments.push({ kind: 'tag', text: part });
    } else if (/^AU\d+$/i.test(part)) {
      const au = part.toUpperCase();
      const inLabel = gold.has(au);
      const scored = region !== null && start >= region[0] && at <= region[1];
      const kind = !scored ? 'au-unscored' : seen.has(au) ? 'au-repeat' : inLabel ? 'au-hit' : 'au-extra';
      if (scored) seen.add(au);
      segments.push({ kind, text: part, au, inLabel });
    } else {
      segments.push({ kind: inAnswer ? 'answer' : 'text', text: part });
    }
  }
  return segments;
}
