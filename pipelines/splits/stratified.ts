/**
 * Stratified, group-disjoint, seeded splits (annotation-ux §3.2, the StratifiedGroupKFold idea):
 * group by subject, shuffle groups with a seeded PRNG, sort largest first, then give each group to the part
 * whose label counts are furthest below target (least increase of squared deviation from fractions × totals).
 */
import { mulberry32, shuffleInPlace } from '../random/seeded';
import { checkPartNames, MAX_SPLIT_PARTS, partNameProblem, ratioSumProblem } from './limits';

export interface SplitItem {
  id: string;
  /** The stratification label (the emotion). */
  label: string;
  subject: string | null;
}

export interface SplitOptions {
  /** Part name → fraction of the records; they add up to 1 (RATIO_SUM_TOLERANCE). Order is kept. */
  ratios: Record<string, number>;
  stratify: boolean;
  group: boolean;
  seed: number;
}

export interface SplitPartStats {
  n: number;
  byEmotion: Record<string, number>;
}

export interface SplitResult {
  assignments: Map<string, string>;
  parts: Record<string, SplitPartStats>;
  /** Largest |share of an emotion in a part − its share overall|. */
  maxStratDeviation: number;
  /** Subjects that occur in more than one part. */
  sharedSubjects: number;
  /** Fractions actually reached, per part. */
  fractions: Record<string, number>;
}

export function parseRatios(text: string): Record<string, number> {
  const out = new Map<string, number>();
  for (const piece of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([^=:\s]+)\s*[=:]\s*([0-9]*\.?[0-9]+)$/.exec(piece);
    if (!m) throw new Error(`Bad ratio "${piece}": expected NAME=NUMBER, e.g. train=0.8,test=0.2`);
    const problem = partNameProblem(m[1]);
    if (problem) throw new Error(problem);
    const v = Number(m[2]);
    if (!(v > 0)) throw new Error(`Ratio of "${m[1]}" must be positive`);
    if (out.has(m[1])) throw new Error(`Part "${m[1]}" is given twice`);
    out.set(m[1], v);
    if (out.size > MAX_SPLIT_PARTS) throw new Error(`a split has at most ${MAX_SPLIT_PARTS} parts`);
  }
  if (out.size < 1) throw new Error('No ratios given: expected e.g. train=0.8,test=0.2');
  const sumProblem = ratioSumProblem(Object.fromEntries(out));
  if (sumProblem) throw new Error(sumProblem);
  // own properties, defined rather than assigned: a part's name never reaches a prototype
  return Object.fromEntries(out);
}

export function computeSplit(itemsIn: readonly SplitItem[], options: SplitOptions): SplitResult {
  const partNames = Object.keys(options.ratios);
  if (partNames.length === 0) throw new Error('a split needs at least one part');
  checkPartNames(partNames);
  const weights = partNames.map((p) => options.ratios[p]);
  if (!weights.every((w) => Number.isFinite(w) && w > 0)) throw new Error('every part needs a positive, finite ratio');
  const sumProblem = ratioSumProblem(options.ratios);
  if (sumProblem) throw new Error(sumProblem);
  const sum = weights.reduce((s, w) => s + w, 0);
  // within the tolerance the fractions are made exact
  const frac = weights.map((w) => w / sum);
  // Input order must not matter: work on items sorted by id.
  const items = [...itemsIn].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const labels = options.stratify ? [...new Set(items.map((i) => i.label))].sort() : ['*'];
  const labelIndex = new Map(labels.map((l, i) => [l, i]));

  const groups = new Map<string, { ids: string[]; hist: number[] }>();
  for (const it of items) {
    const key = options.group && it.subject !== null && it.subject !== '' ? `s:${it.subject}` : `r:${it.id}`;
    let g = groups.get(key);
    if (!g) {
      g = { ids: [], hist: new Array(labels.length).fill(0) };
      groups.set(key, g);
    }
    g.ids.push(it.id);
    g.hist[options.stratify ? labelIndex.get(it.label)! : 0]++;
  }
  const ordered = shuffleInPlace([...groups.values()], mulberry32(options.seed));
  // stable sort keeps the seeded order among groups of equal size
  ordered.sort((a, b) => b.ids.length - a.ids.length);

  const totals = new Array(labels.length).fill(0);
  for (const g of ordered) g.hist.forEach((n, i) => (totals[i] += n));
  const target = frac.map((f) => totals.map((t) => f * t));
  const targetSize = frac.map((f) => f * items.length);
  const counts = partNames.map(() => new Array(labels.length).fill(0));
  const sizes = partNames.map(() => 0);
  const assignments = new Map<string, string>();

  for (const g of ordered) {
    let best = 0;
    let bestCost = Infinity;
    const size = g.ids.length;
    for (let p = 0; p < partNames.length; p++) {
      let cost = 0;
      for (let l = 0; l < labels.length; l++) {
        if (g.hist[l] === 0) continue;
        const before = counts[p][l] - target[p][l];
        const after = before + g.hist[l];
        cost += after * after - before * before;
      }
      const sb = sizes[p] - targetSize[p];
      const sa = sb + size;
      cost += sa * sa - sb * sb;
      if (cost < bestCost - 1e-9) {
        bestCost = cost;
        best = p;
      }
    }
    for (let l = 0; l < labels.length; l++) counts[best][l] += g.hist[l];
    sizes[best] += size;
    for (const id of g.ids) assignments.set(id, partNames[best]);
  }
  return { assignments, ...summarise(items, assignments, partNames) };
}

/** Per-part emotion histograms, the worst stratification deviation and the subjects shared between parts. */
export function summarise(
  items: readonly SplitItem[],
  assignments: ReadonlyMap<string, string>,
  partNames: readonly string[],
): Omit<SplitResult, 'assignments'> {
  // Maps while counting: part names and labels come from users, so they are never used as plain object keys
  const parts = new Map<string, { n: number; byEmotion: Map<string, number> }>();
  const partOf = (p: string) => {
    let s = parts.get(p);
    if (!s) parts.set(p, (s = { n: 0, byEmotion: new Map() }));
    return s;
  };
  for (const p of partNames) partOf(p);
  const overall = new Map<string, number>();
  const subjectParts = new Map<string, Set<string>>();
  let n = 0;
  for (const it of items) {
    const p = assignments.get(it.id);
    if (p === undefined) continue;
    n++;
    const part = partOf(p);
    part.n++;
    part.byEmotion.set(it.label, (part.byEmotion.get(it.label) ?? 0) + 1);
    overall.set(it.label, (overall.get(it.label) ?? 0) + 1);
    if (it.subject !== null && it.subject !== '') {
      let s = subjectParts.get(it.subject);
      if (!s) subjectParts.set(it.subject, (s = new Set()));
      s.add(p);
    }
  }
  let maxDev = 0;
  for (const part of parts.values()) {
    for (const [label, count] of overall) {
      const share = part.n ? (part.byEmotion.get(label) ?? 0) / part.n : 0;
      maxDev = Math.max(maxDev, Math.abs(share - count / n));
    }
  }
  let shared = 0;
  for (const s of subjectParts.values()) if (s.size > 1) shared++;
  const out = [...parts].map(([p, s]) => [p, { n: s.n, byEmotion: Object.fromEntries([...s.byEmotion].sort(([a], [b]) => a.localeCompare(b))) }] as const);
  return {
    parts: Object.fromEntries(out),
    maxStratDeviation: round(maxDev),
    sharedSubjects: shared,
    fractions: Object.fromEntries(out.map(([p, s]) => [p, n ? round(s.n / n) : 0])),
  };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
