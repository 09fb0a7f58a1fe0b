/** How a model output compares with the record's label: answer, AUs hit, hallucinated and missed. */
import { answerContent, extractAUs, hasValidFormat, thinkAUs } from '../../../pipelines/facs/reasoning';
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

export function sampleMarks(output: string, label: { emotion: string | null; aus: string[] }): SampleMarks {
  const predicted = thinkAUs(output);
  // Outputs without a <think> still name AUs; count those so the marks match what the reader sees.
  const named = predicted.size > 0 || /<think>/.test(output) ? predicted : extractAUs(output);
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

export type OutputSegment = { kind: 'text' | 'tag' | 'au-hit' | 'au-extra' | 'answer'; text: string };

/** Splits an output into text, tags and AU tokens so that AUs can be coloured by correctness. */
export function outputSegments(output: string, labelAUs: string[]): OutputSegment[] {
  const gold = new Set(labelAUs.map((a) => a.toUpperCase()));
  const segments: OutputSegment[] = [];
  let inAnswer = false;
  for (const part of output.split(/(<\/?think>|<\/?answer>|AU\d+)/gi)) {
    if (!part) continue;
    if (/^<\/?(think|answer)>$/i.test(part)) {
      inAnswer = part.toLowerCase() === '<answer>';
      segments.push({ kind: 'tag', text: part });
    } else if (/^AU\d+$/i.test(part)) {
      segments.push({ kind: gold.has(part.toUpperCase()) ? 'au-hit' : 'au-extra', text: part });
    } else {
      segments.push({ kind: inAnswer ? 'answer' : 'text', text: part });
    }
  }
  return segments;
}
