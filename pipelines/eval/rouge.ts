/** ROUGE-L F-measure as `rouge_score.rouge_scorer.RougeScorer(['rougeL'], use_stemmer=True)` computes it. */
import { porterStem } from './porter-stemmer';

/** rouge_score's tokenize(): lower-case, non-[a-z0-9] runs → space, split, Porter-stem tokens longer than 3. */
export function rougeTokenize(text: string, stem = true): string[] {
  const tokens = text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').split(/\s+/);
  return tokens.map((t) => (stem && t.length > 3 ? porterStem(t) : t)).filter((t) => /^[a-z0-9]+$/.test(t));
}

export function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let prev = new Array<number>(b.length + 1).fill(0);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

export interface RougeScore {
  precision: number;
  recall: number;
  fmeasure: number;
}

/** scorer.score(target, prediction)['rougeL'], in [0, 1]. */
export function rougeL(target: string, prediction: string, stem = true): RougeScore {
  const t = rougeTokenize(target, stem);
  const p = rougeTokenize(prediction, stem);
  if (t.length === 0 || p.length === 0) return { precision: 0, recall: 0, fmeasure: 0 };
  const lcs = lcsLength(t, p);
  const precision = lcs / p.length;
  const recall = lcs / t.length;
  const fmeasure = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, fmeasure };
}
