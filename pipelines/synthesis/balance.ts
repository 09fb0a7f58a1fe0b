/**
 * A round's balance: per emotion the input count, kept count and kept rate; a class is flagged when its kept rate is
 * below half the round's overall rate (the reference filter kept anger at half its input share). Quotas cap what goes
 * to review per class, the most confident (highest agreement) first.
 */
export interface Outcome {
  id: number;
  /** The class the record counts under: its target emotion (UNPARSED_CLASS when none). */
  emotion: string;
  kept: boolean;
  agreement: number;
}

export interface ClassBalance {
  input: number;
  kept: number;
  keptRate: number;
}

export interface BalanceReport {
  candidates: number;
  kept: number;
  keptRate: number;
  byEmotion: Record<string, ClassBalance>;
  flaggedClasses: string[];
}

/** Where candidates whose emotion is not in the vocabulary (or missing) are counted; never flagged. */
export const UNPARSED_CLASS = '(no emotion)';

/** A flagged class keeps less than this share of the overall kept rate. */
export const BIAS_FLAG_RATIO = 0.5;

const rate = (kept: number, input: number) => (input === 0 ? 0 : Number((kept / input).toFixed(4)));

export function balanceReport(outcomes: readonly Outcome[]): BalanceReport {
  const by = new Map<string, { input: number; kept: number }>();
  let kept = 0;
  for (const o of outcomes) {
    const c = by.get(o.emotion) ?? { input: 0, kept: 0 };
    c.input++;
    if (o.kept) {
      c.kept++;
      kept++;
    }
    by.set(o.emotion, c);
  }
  const overall = rate(kept, outcomes.length);
  const byEmotion: Record<string, ClassBalance> = {};
  for (const [e, c] of [...by].sort(([a], [b]) => a.localeCompare(b))) byEmotion[e] = { input: c.input, kept: c.kept, keptRate: rate(c.kept, c.input) };
  const flaggedClasses = Object.entries(byEmotion)
    .filter(([e, c]) => e !== UNPARSED_CLASS && c.input > 0 && c.keptRate < BIAS_FLAG_RATIO * overall)
    .map(([e]) => e);
  return { candidates: outcomes.length, kept, keptRate: overall, byEmotion, flaggedClasses };
}

/** Parses `emotion=N,…`: a cap per class. */
export function parseQuota(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([^=\s]+)\s*=\s*(\d+)$/.exec(part);
    if (!m) throw new Error(`quota "${part}" is not emotion=N (a whole number)`);
    out[m[1]] = Number(m[2]);
  }
  return out;
}

/** The kept outcomes that go to review: all of a class without a quota, else its `cap` most confident (ties by id). */
export function applyQuota(outcomes: readonly Outcome[], quota: Readonly<Record<string, number>>): number[] {
  const kept = outcomes.filter((o) => o.kept);
  const byClass = new Map<string, Outcome[]>();
  for (const o of kept) byClass.set(o.emotion, [...(byClass.get(o.emotion) ?? []), o]);
  const out: number[] = [];
  for (const [emotion, list] of byClass) {
    const cap = Object.hasOwn(quota, emotion) ? quota[emotion] : Infinity;
    out.push(...[...list].sort((a, b) => b.agreement - a.agreement || a.id - b.id).slice(0, cap).map((o) => o.id));
  }
  return out.sort((a, b) => a - b);
}
