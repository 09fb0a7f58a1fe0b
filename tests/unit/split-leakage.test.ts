import { api } from '../../contract/api';
import { bruteForceNearPairs, computeSplit, fixLeakage, leakageReport, nearPairs, packHashes, parseRatios, substringWidths, type LeakageItem } from '../../pipelines/splits';
import { mulberry32 } from '../../pipelines/random/seeded';

function randomHex(rng: () => number): string {
  let s = '';
  for (let i = 0; i < 16; i++) s += Math.floor(rng() * 16).toString(16);
  return s;
}

function flip(hex: string, bits: number[]): string {
  const digits = hex.split('').map((c) => parseInt(c, 16));
  for (const b of bits) digits[b >> 2] ^= 8 >> (b & 3);
  return digits.map((d) => d.toString(16)).join('');
}

const key = (r: { pairs: { a: number; b: number; distance: number }[] }) => r.pairs.map((p) => `${p.a}-${p.b}-${p.distance}`).sort();

describe('multi-index hashing on 64-bit hashes', () => {
  test('finds exactly the pairs brute force finds, at every threshold, with fewer candidates', () => {
    const rng = mulberry32(3);
    const hexes: string[] = [];
    for (let i = 0; i < 600; i++) hexes.push(randomHex(rng));
    // planted neighbours at every distance 0–14, with flipped bits spread over substring boundaries
    for (let d = 0; d <= 14; d++) for (let k = 0; k < 4; k++) {
      const bits = new Set<number>();
      while (bits.size < d) bits.add(Math.floor(rng() * 64));
      hexes.push(flip(hexes[d * 7 + k], [...bits]));
    }
    const h = packHashes(hexes);
    for (const t of [0, 1, 2, 3, 4, 6, 7, 10, 12]) {
      const brute = bruteForceNearPairs(h, t);
      const mih = nearPairs(h, t);
      expect([t, key(mih)]).toEqual([t, key(brute)]);
      expect(mih.candidates).toBeLessThan(brute.candidates);
    }
  });

  test('substrings cover 64 bits as evenly as possible; bad hashes are named', () => {
    expect(substringWidths(5)).toEqual([13, 13, 13, 13, 12]);
    expect(substringWidths(11).reduce((a, b) => a + b, 0)).toBe(64);
    expect(() => packHashes(['00ff', 'zz'])).toThrow(/hash 0 "00ff"/);
  });
});

describe('leakage report and --fix', () => {
  const base = 'a5a5a5a5a5a5a5a5';
  // r1..r4: subject s1; r5 shares r1's image row; r6 has r2's pixels in another file; r7 is 3 bits from r3; r8 unrelated
  const items: LeakageItem[] = [
    { id: 'r1', subject: 's1', imageId: 1, pixelHash: 'p1', phash: base },
    { id: 'r2', subject: 's1', imageId: 2, pixelHash: 'p2', phash: flip(base, [0, 20, 40, 60, 63]) },
    { id: 'r3', subject: 's2', imageId: 3, pixelHash: 'p3', phash: '0123456789abcdef' },
    { id: 'r4', subject: 's1', imageId: 4, pixelHash: null, phash: null },
    { id: 'r5', subject: null, imageId: 1, pixelHash: 'p1', phash: base },
    { id: 'r6', subject: 's9', imageId: 6, pixelHash: 'p2', phash: flip(base, [0, 20, 40, 60, 63]) },
    { id: 'r7', subject: 's7', imageId: 7, pixelHash: 'p7', phash: flip('0123456789abcdef', [1, 33, 62]) },
    { id: 'r8', subject: 's8', imageId: 8, pixelHash: 'p8', phash: 'fedcba9876543210' },
  ];
  const parts = ['train', 'val', 'test'];
  const assign = new Map([['r1', 'train'], ['r2', 'test'], ['r3', 'val'], ['r4', 'val'], ['r5', 'test'], ['r6', 'val'], ['r7', 'test'], ['r8', 'test']]);

  test('counts shared subjects, exact duplicates (row or pixels) and near-duplicates across parts', () => {
    const r = leakageReport(items, assign, parts, 4);
    expect(r.sharedSubjects).toBe(1);
    expect(r.examples.sharedSubjects).toEqual(['s1']);
    // r1/r5 (same row), r2/r6 (same pixels)
    expect(r.exactDuplicatePairs).toBe(2);
    expect(r.examples.exactDuplicates.map((e) => [e.a, e.b])).toEqual([['r1', 'r5'], ['r2', 'r6']]);
    // r3/r7 at 3; r1,r5 vs r2,r6 are 5 bits apart: above 4
    expect(r.nearDuplicatePairs).toBe(1);
    expect(r.examples.nearDuplicates).toEqual([{ a: 'r3', partA: 'val', b: 'r7', partB: 'test', distance: 3 }]);
    expect(r.unhashed).toBe(1);
    // at 5, the two images of s1 (and their copies) are near: r1(train) r5(test) × r2(test) r6(val): 4 − 1 same-part pairs
    expect(leakageReport(items, assign, parts, 5).nearDuplicatePairs).toBe(1 + 3);
  });

  test('--fix moves each straddling group to the part holding most of it (ties to train) and the re-check finds nothing', () => {
    const { assignments, report, moved } = fixLeakage(items, assign, parts, 4);
    // group {r1,r2,r4,r5,r6} (subject s1 + duplicates): train 1, test 2, val 2 → tie between val and test? no: 2/2 tie, train has 1
    expect(new Set(['r1', 'r2', 'r4', 'r5', 'r6'].map((id) => assignments.get(id))).size).toBe(1);
    expect(assignments.get('r1')).toBe('val');
    // group {r3, r7}: val 1, test 1 → a tie without train: the earlier part
    expect(assignments.get('r3')).toBe('val');
    expect(assignments.get('r7')).toBe('val');
    expect(assignments.get('r8')).toBe('test');
    expect(report).toMatchObject({ sharedSubjects: 0, exactDuplicatePairs: 0, nearDuplicatePairs: 0 });
    expect(moved).toMatchObject({ records: 4, groups: 2, before: { sharedSubjects: 1, exactDuplicatePairs: 2, nearDuplicatePairs: 1 } });
    expect(moved.flows).toEqual([
      { from: 'train', to: 'val', records: 1 },
      { from: 'test', to: 'val', records: 3 },
    ]);
    expect(fixLeakage(items, assignments, parts, 4).moved.records).toBe(0);
  });

  test('a tie that includes the training part goes to it', () => {
    const two = new Map([['r3', 'test'], ['r7', 'train']]);
    const r = fixLeakage(items.filter((i) => two.has(i.id)), two, ['test', 'train'], 4);
    expect([...r.assignments.values()]).toEqual(['train', 'train']);
  });
});

describe('ratios', () => {
  test('must add up to 1: the refusal names the sum', () => {
    expect(() => parseRatios('train=0.7,val=0.2,test=0.2')).toThrow(/add up to 1, these add up to 1\.1/);
    expect(() => parseRatios('train=8,test=2')).toThrow(/add up to 10/);
    expect(Object.keys(parseRatios('train=0.7,val=0.1,test=0.2'))).toEqual(['train', 'val', 'test']);
    expect(() => computeSplit([{ id: 'a', label: 'x', subject: null }], { ratios: { a: 0.5, b: 0.4 }, stratify: true, group: true, seed: 1 })).toThrow(/add up to 0\.9/);
  });
});

describe('N-part splits', () => {
  /** 200 subjects with 2–6 images each, emotions skewed towards the first few. */
  const many = () => {
    const out: { id: string; label: string; subject: string | null }[] = [];
    const labels = ['anger', 'disgust', 'fear', 'happiness', 'neutral', 'sadness', 'surprise'];
    let k = 0;
    for (let s = 0; s < 200; s++) for (let j = 0; j < 2 + (s % 5); j++) out.push({ id: `r${String(k++).padStart(5, '0')}`, label: labels[(s + j * j) % (j % 3 === 0 ? 3 : 7)], subject: `s${s}` });
    return out;
  };

  test('four parts keep their order, reach their fractions and stay stratified and subject-disjoint', () => {
    const ratios = parseRatios('train=0.6,val=0.1,test=0.2,holdout=0.1');
    const r = computeSplit(many(), { ratios, stratify: true, group: true, seed: 9 });
    expect(Object.keys(r.parts)).toEqual(['train', 'val', 'test', 'holdout']);
    for (const [p, f] of Object.entries(ratios)) expect(Math.abs(r.fractions[p] - f)).toBeLessThan(0.02);
    expect(r.sharedSubjects).toBe(0);
    expect(r.maxStratDeviation).toBeLessThan(0.06);
    const unstratified = computeSplit(many(), { ratios, stratify: false, group: true, seed: 9 });
    expect(r.maxStratDeviation).toBeLessThan(unstratified.maxStratDeviation);
  });
});

describe('the splits.create contract', () => {
  const input = api['splits.create'].input;

  test('refuses ratios that do not add up to 1, naming the sum; fills the leakage defaults', () => {
    const bad = input.safeParse({ name: 's', ratios: { train: 0.7, test: 0.2 } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.message).join()).toMatch(/add up to 0\.9/);
    expect(input.parse({ name: 's', ratios: { train: 0.7, val: 0.1, test: 0.2 } })).toMatchObject({ nearDupThreshold: 4, fix: false });
    expect(input.safeParse({ name: 's', ratios: { train: 1 }, nearDupThreshold: 13 }).success).toBe(false);
  });
});
