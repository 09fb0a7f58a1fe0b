/**
 * Leakage between the parts of a split: the same subject, the same image (one image row, or equal decoded pixels)
 * or a near-duplicate image (pHash distance ≤ threshold) in two parts. `fixLeakage` moves every connected group of
 * such records (the union of those relations, taken transitively) into one part.
 */
import { isHash64, nearPairs, packHashes } from './multi-index-hash';

export interface LeakageItem {
  id: string;
  subject: string | null;
  /** The image row the record shows. */
  imageId: number;
  /** sha256 of the decoded pixels, when computed: equal pixels with different file bytes. */
  pixelHash: string | null;
  /** 64-bit DCT pHash, 16 hex digits, when computed. */
  phash: string | null;
}

export interface LeakPairExample {
  a: string;
  partA: string;
  b: string;
  partB: string;
  /** pHash distance (0 for exact duplicates). */
  distance: number;
}

export interface LeakageReport {
  nearDupThreshold: number;
  /** Subjects with records in more than one part. */
  sharedSubjects: number;
  /** Record pairs in different parts showing the same image (same row or equal pixels). */
  exactDuplicatePairs: number;
  /** Record pairs in different parts whose images are near-duplicates but not exact duplicates. */
  nearDuplicatePairs: number;
  /** Records whose image has no pHash (undecodable, missing or not hashed yet): not checked for near-duplicates. */
  unhashed: number;
  /** Up to EXAMPLE_LIMIT of each, for a UI to show side by side (smallest distance first, then by id). */
  examples: { sharedSubjects: string[]; exactDuplicates: LeakPairExample[]; nearDuplicates: LeakPairExample[] };
}

export interface MovedReport {
  /** Records whose part changed. */
  records: number;
  /** Connected groups that straddled parts. */
  groups: number;
  /** Records moved from one part to another, per direction. */
  flows: { from: string; to: string; records: number }[];
  /** The leakage found before moving. */
  before: Pick<LeakageReport, 'sharedSubjects' | 'exactDuplicatePairs' | 'nearDuplicatePairs'>;
  examples: { id: string; from: string; to: string }[];
}

export const EXAMPLE_LIMIT = 100;

interface Graph {
  items: LeakageItem[];
  /** Image node (equal pixels, else equal image row) of each item. */
  nodeOf: Int32Array;
  nodeCount: number;
  /** Near-duplicate node pairs. */
  near: { a: number; b: number; distance: number }[];
  unhashed: number;
}

/** Items sorted by id, their image nodes and the near-duplicate node pairs (through the multi-index hash). */
function buildGraph(itemsIn: readonly LeakageItem[], threshold: number): Graph {
  const items = [...itemsIn].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const nodeByKey = new Map<string, number>();
  const nodeOf = new Int32Array(items.length);
  const nodeHash: string[] = [];
  let unhashed = 0;
  items.forEach((it, i) => {
    const key = it.pixelHash ? `p:${it.pixelHash}` : `i:${it.imageId}`;
    let node = nodeByKey.get(key);
    if (node === undefined) {
      node = nodeByKey.size;
      nodeByKey.set(key, node);
      nodeHash.push('');
    }
    nodeOf[i] = node;
    if (it.phash && isHash64(it.phash)) nodeHash[node] ||= it.phash.toLowerCase();
    else unhashed++;
  });
  const hashedNodes: number[] = [];
  nodeHash.forEach((h, node) => {
    if (h) hashedNodes.push(node);
  });
  const { pairs } = nearPairs(packHashes(hashedNodes.map((n) => nodeHash[n])), threshold);
  const near = pairs.map((p) => ({ a: hashedNodes[p.a], b: hashedNodes[p.b], distance: p.distance }));
  return { items, nodeOf, nodeCount: nodeByKey.size, near, unhashed };
}

function partCounts(members: readonly number[], partIndex: Int32Array, parts: number): number[] {
  const h = new Array<number>(parts).fill(0);
  for (const m of members) h[partIndex[m]]++;
  return h;
}

function report(g: Graph, assignments: ReadonlyMap<string, string>, partNames: readonly string[], threshold: number): LeakageReport {
  const index = new Map(partNames.map((p, i) => [p, i]));
  const partIndex = new Int32Array(g.items.length).fill(-1);
  g.items.forEach((it, i) => {
    const p = assignments.get(it.id);
    if (p !== undefined) partIndex[i] = index.get(p) ?? -1;
  });
  const members: number[][] = Array.from({ length: g.nodeCount }, () => []);
  g.items.forEach((_, i) => {
    if (partIndex[i] >= 0) members[g.nodeOf[i]].push(i);
  });

  const subjectParts = new Map<string, Set<number>>();
  g.items.forEach((it, i) => {
    if (partIndex[i] < 0 || it.subject === null || it.subject === '') return;
    let s = subjectParts.get(it.subject);
    if (!s) subjectParts.set(it.subject, (s = new Set()));
    s.add(partIndex[i]);
  });
  const shared = [...subjectParts].filter(([, s]) => s.size > 1).map(([subject]) => subject).sort();

  let exact = 0;
  const exactExamples: LeakPairExample[] = [];
  const histOf = new Map<number, number[]>();
  const hist = (node: number) => {
    let h = histOf.get(node);
    if (!h) histOf.set(node, (h = partCounts(members[node], partIndex, partNames.length)));
    return h;
  };
  for (let node = 0; node < g.nodeCount; node++) {
    const ms = members[node];
    if (ms.length < 2) continue;
    const h = hist(node);
    exact += (ms.length * ms.length - h.reduce((s, c) => s + c * c, 0)) / 2;
    for (let x = 0; x < ms.length && exactExamples.length < EXAMPLE_LIMIT; x++) {
      for (let y = x + 1; y < ms.length && exactExamples.length < EXAMPLE_LIMIT; y++) {
        if (partIndex[ms[x]] !== partIndex[ms[y]]) exactExamples.push(example(g, ms[x], ms[y], partIndex, partNames, 0));
      }
    }
  }

  let nearCount = 0;
  const nearExamples: LeakPairExample[] = [];
  for (const p of g.near) {
    const ma = members[p.a];
    const mb = members[p.b];
    if (ma.length === 0 || mb.length === 0) continue;
    const ha = hist(p.a);
    const hb = hist(p.b);
    const crossing = ma.length * mb.length - ha.reduce((s, c, i) => s + c * hb[i], 0);
    if (crossing === 0) continue;
    nearCount += crossing;
    const x = ma.find((i) => mb.some((j) => partIndex[j] !== partIndex[i]))!;
    const y = mb.find((j) => partIndex[j] !== partIndex[x])!;
    nearExamples.push(example(g, x, y, partIndex, partNames, p.distance));
  }
  nearExamples.sort((u, v) => u.distance - v.distance || (u.a < v.a ? -1 : u.a > v.a ? 1 : 0));
  return {
    nearDupThreshold: threshold,
    sharedSubjects: shared.length,
    exactDuplicatePairs: exact,
    nearDuplicatePairs: nearCount,
    unhashed: g.unhashed,
    examples: { sharedSubjects: shared.slice(0, EXAMPLE_LIMIT), exactDuplicates: exactExamples, nearDuplicates: nearExamples.slice(0, EXAMPLE_LIMIT) },
  };
}

function example(g: Graph, x: number, y: number, partIndex: Int32Array, partNames: readonly string[], distance: number): LeakPairExample {
  const [i, j] = g.items[x].id < g.items[y].id ? [x, y] : [y, x];
  return { a: g.items[i].id, partA: partNames[partIndex[i]], b: g.items[j].id, partB: partNames[partIndex[j]], distance };
}

/** The leakage of a split: assignments maps record id → part (records not in it are ignored). */
export function leakageReport(items: readonly LeakageItem[], assignments: ReadonlyMap<string, string>, partNames: readonly string[], threshold: number): LeakageReport {
  return report(buildGraph(items, threshold), assignments, partNames, threshold);
}

/** The part a tie goes to: `train` when there is one, else the first part. */
export function trainingPart(partNames: readonly string[]): string {
  return partNames.includes('train') ? 'train' : partNames[0];
}

/**
 * Moves every connected group (shared subject, same image, near-duplicate image) that straddles parts into the
 * part holding most of its records; ties go to the training part, else to the earliest part in order.
 * Returns new assignments, the report after moving (no leakage left) and what moved.
 */
export function fixLeakage(
  items: readonly LeakageItem[],
  assignments: ReadonlyMap<string, string>,
  partNames: readonly string[],
  threshold: number,
): { assignments: Map<string, string>; report: LeakageReport; moved: MovedReport } {
  const g = buildGraph(items, threshold);
  const before = report(g, assignments, partNames, threshold);
  const parent = Int32Array.from({ length: g.items.length }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  const union = (x: number, y: number) => {
    const rx = find(x);
    const ry = find(y);
    if (rx !== ry) parent[Math.max(rx, ry)] = Math.min(rx, ry);
  };
  const firstOfSubject = new Map<string, number>();
  const firstOfNode = new Int32Array(g.nodeCount).fill(-1);
  g.items.forEach((it, i) => {
    if (!assignments.has(it.id)) return;
    if (it.subject !== null && it.subject !== '') {
      const f = firstOfSubject.get(it.subject);
      if (f === undefined) firstOfSubject.set(it.subject, i);
      else union(f, i);
    }
    const node = g.nodeOf[i];
    if (firstOfNode[node] < 0) firstOfNode[node] = i;
    else union(firstOfNode[node], i);
  });
  for (const p of g.near) if (firstOfNode[p.a] >= 0 && firstOfNode[p.b] >= 0) union(firstOfNode[p.a], firstOfNode[p.b]);

  const index = new Map(partNames.map((p, i) => [p, i]));
  const groups = new Map<number, number[]>();
  g.items.forEach((it, i) => {
    if (!assignments.has(it.id)) return;
    const r = find(i);
    const list = groups.get(r);
    if (list) list.push(i);
    else groups.set(r, [i]);
  });
  const tieIndex = index.get(trainingPart(partNames))!;
  const out = new Map(assignments);
  const flows = new Map<string, { from: string; to: string; records: number }>();
  const examples: MovedReport['examples'] = [];
  let movedRecords = 0;
  let movedGroups = 0;
  for (const list of groups.values()) {
    const counts = new Array<number>(partNames.length).fill(0);
    for (const i of list) counts[index.get(assignments.get(g.items[i].id)!)!]++;
    if (counts.filter((c) => c > 0).length < 2) continue;
    const most = Math.max(...counts);
    const to = counts[tieIndex] === most ? tieIndex : counts.indexOf(most);
    movedGroups++;
    for (const i of list) {
      const id = g.items[i].id;
      const from = assignments.get(id)!;
      if (from === partNames[to]) continue;
      out.set(id, partNames[to]);
      movedRecords++;
      const key = `${from}\u0000${partNames[to]}`;
      const f = flows.get(key);
      if (f) f.records++;
      else flows.set(key, { from, to: partNames[to], records: 1 });
      if (examples.length < EXAMPLE_LIMIT) examples.push({ id, from, to: partNames[to] });
    }
  }
  return {
    assignments: out,
    report: report(g, out, partNames, threshold),
    moved: {
      records: movedRecords,
      groups: movedGroups,
      flows: [...flows.values()].sort((a, b) => index.get(a.from)! - index.get(b.from)! || index.get(a.to)! - index.get(b.to)!),
      before: { sharedSubjects: before.sharedSubjects, exactDuplicatePairs: before.exactDuplicatePairs, nearDuplicatePairs: before.nearDuplicatePairs },
      examples,
    },
  };
}
