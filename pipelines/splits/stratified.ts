/**
 * Stratified, group-disjoint, seeded splits (annotation-ux §3.2, the StratifiedGroupKFold idea):
 * group by subject, shuffle groups with a seeded PRNG, sort largest first, then give each group to the part
 * whose label counts are furthest below target (least increase of squared deviation from fractions × totals).
 */
import { mulberry32, shuffleInPlace } from '../random/seeded';

export interface SplitItem {
  id: string;
  /** The stratification label (the emotion). */
  label: string;
  subject: string | null;
}

export interface SplitOptions {
  /** Part name → weight; normalised to fractions. Order is kept. */
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
  const out: Record<string, number> = {};
  for (const piece of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([A-Za-z0-9_.-]+)\s*[=:]\s*([0-9]*\.?[0-9]+)$/.exec(piece);
    if (!m) throw new Error(`Bad ratio "${piece}": expected NAME=NUMBER, e.g. train=0.8,test=0.2`);
    const v = Number(m[2]);
    if (!(v > 0)) throw new Error(`Ratio of "${m[1]}" must be positive`);
    if (m[1] in out) throw new Error(`Part "${m[1]}" is given twice`);
    out[m[1]] = v;
  }
  if (Object.keys(out).length < 1) throw new Error('No ratios given: expected e.g. train=0.8,test=0.2');
  return out;
}

export function computeSplit(itemsIn: readonly SplitItem[], options: SplitOptions): SplitResult {
  const partNames = Object.keys(options.ratios);
  if (partNames.length === 0) throw new Error('a split needs at least one part');
  const sum = partNames.reduce((s, p) => s + options.ratios[p], 0);
  const frac = partNames.map((p) => options.ratios[p] / sum);
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
  const parts: Record<string, SplitPartStats> = {};
  for (const p of partNames) parts[p] = { n: 0, byEmotion: {} };
  const overall: Record<string, number> = {};
  const subjectParts = new Map<string, Set<string>>();
  let n = 0;
  for (const it of items) {
    const p = assignments.get(it.id);
    if (p === undefined) continue;
    n++;
    parts[p] ??= { n: 0, byEmotion: {} };
    parts[p].n++;
    parts[p].byEmotion[it.label] = (parts[p].byEmotion[it.label] ?? 0) + 1;
    overall[it.label] = (overall[it.label] ?? 0) + 1;
    if (it.subject !== null && it.subject !== '') {
      let s = subjectParts.get(it.subject);
      if (!s) subjectParts.set(it.subject, (s = new Set()));
      s.add(p);
    }
  }
  for (const p of Object.keys(parts)) parts[p].byEmotion = Object.fromEntries(Object.entries(parts[p].byEmotion).sort(([a], [b]) => a.localeCompare(b)));
  let maxDev = 0;
  for (const p of Object.keys(parts)) {
    for (const label of Object.keys(overall)) {
      const share = parts[p].n ? (parts[p].byEmotion[label] ?? 0) / parts[p].n : 0;
      maxDev = Math.max(maxDev, Math.abs(share - overall[label] / n));
    }
  }
  let shared = 0;
  for (const s of subjectParts.values()) if (s.size > 1) shared++;
  const fractions: Record<string, number> = {};
  for (const p of Object.keys(parts)) fractions[p] = n ? round(parts[p].n / n) : 0;
  return { parts, maxStratDeviation: round(maxDev), sharedSubjects: shared, fractions };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
