/**
 * Near-duplicate threshold and index cost. Prints one JSON object.
 * 1. pHash distances between real photos that ship in packages (face-api demo JPEGs, scikit-image and matplotlib
 *    sample photos) and their re-encoded / resized / slightly cropped copies, against the distances between
 *    distinct images (those photos pairwise, and rendered demo faces of different subjects pairwise).
 * 2. The multi-index hash on 100k random 64-bit hashes with planted near-duplicates: time and candidates, next to
 *    brute force on a subset (its full cost extrapolated as n²).
 * 3. The whole leakage report and --fix over n records.
 * Usage: node dist/bench/near-dup.js [--n 100000] [--brute 10000] [--thresholds 4,6,8,10|none] [--faces 120] [--no-study]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { generateDemoFaces } from '../fixtures/demo';
import { DEFAULT_NEAR_DUP_THRESHOLD } from '../pipelines/splits/limits';
import { fixLeakage, leakageReport, type LeakageItem } from '../pipelines/splits/leakage';
import { bruteForceNearPairs, nearPairs, type Hashes64 } from '../pipelines/splits/multi-index-hash';
import { mulberry32 } from '../pipelines/random/seeded';
import { FACE_API_DIR } from '../pipelines/vision/faceapi';
import { imagePhash } from '../pipelines/vision/image-hashes';
import { hammingDistance } from '../pipelines/vision/phash';
import { arg } from './args';

const SKIMAGE = '/usr/lib/python3/dist-packages/skimage/data';
const SKIMAGE_PHOTOS = ['astronaut.png', 'camera.png', 'chelsea.png', 'coffee.png', 'rocket.jpg', 'motorcycle_left.png', 'retina.jpg', 'hubble_deep_field.jpg', 'ihc.png', 'page.png', 'moon.png', 'coins.png'];
const MATPLOTLIB = '/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg';

function photos(): { name: string; file: string }[] {
  const out: { name: string; file: string }[] = [];
  const demo = path.join(FACE_API_DIR, 'demo');
  for (const f of fs.readdirSync(demo).filter((f) => /^sample\d+\.jpg$/.test(f)).sort()) out.push({ name: `face-api/${f}`, file: path.join(demo, f) });
  for (const f of SKIMAGE_PHOTOS) if (fs.existsSync(path.join(SKIMAGE, f))) out.push({ name: `skimage/${f}`, file: path.join(SKIMAGE, f) });
  if (fs.existsSync(MATPLOTLIB)) out.push({ name: 'matplotlib/grace_hopper.jpg', file: MATPLOTLIB });
  return out;
}

type Transform = (bytes: Buffer) => Promise<Buffer>;

async function dims(bytes: Buffer): Promise<{ width: number; height: number }> {
  const m = await sharp(bytes).metadata();
  return { width: m.width!, height: m.height! };
}

function crop(fraction: number): Transform {
  return async (b) => {
    const { width, height } = await dims(b);
    const dx = Math.round(width * fraction);
    const dy = Math.round(height * fraction);
    return sharp(b).extract({ left: dx, top: dy, width: width - 2 * dx, height: height - 2 * dy }).png().toBuffer();
  };
}

function scale(f: number): Transform {
  return async (b) => {
    const { width } = await dims(b);
    return sharp(b).resize({ width: Math.max(8, Math.round(width * f)) }).png().toBuffer();
  };
}

const jpeg = (q: number): Transform => (b) => sharp(b).jpeg({ quality: q }).toBuffer();
const then = (...ts: Transform[]): Transform => async (b) => {
  for (const t of ts) b = await t(b);
  return b;
};

const TRANSFORMS: Record<string, Transform> = {
  'jpeg-q90': jpeg(90),
  'jpeg-q70': jpeg(70),
  'jpeg-q50': jpeg(50),
  'jpeg-q30': jpeg(30),
  'scale-0.5': scale(0.5),
  'scale-2': scale(2),
  'crop-2%': crop(0.02),
  'crop-5%': crop(0.05),
  'scale-0.5+jpeg-q50': then(scale(0.5), jpeg(50)),
  'crop-2%+scale-0.5+jpeg-q70': then(crop(0.02), scale(0.5), jpeg(70)),
  'scale-2+jpeg-q30': then(scale(2), jpeg(30)),
};

function stats(values: number[]): { n: number; min: number; p1: number; p5: number; median: number; p95: number; max: number; mean: number } {
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))];
  return { n: s.length, min: s[0], p1: q(0.01), p5: q(0.05), median: q(0.5), p95: q(0.95), max: s[s.length - 1], mean: Math.round((s.reduce((a, b) => a + b, 0) / s.length) * 100) / 100 };
}

function histogram(values: number[], upTo: number): Record<string, number> {
  const h: Record<string, number> = {};
  for (let d = 0; d <= upTo; d++) h[d] = 0;
  for (const v of values) if (v <= upTo) h[v]++;
  return h;
}

function pairwise(hashes: string[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < hashes.length; i++) for (let j = i + 1; j < hashes.length; j++) out.push(hammingDistance(hashes[i], hashes[j]));
  return out;
}

async function thresholdStudy(faceCount: number) {
  const list = photos();
  const copies: { photo: string; transform: string; distance: number }[] = [];
  const originals: string[] = [];
  for (const p of list) {
    const bytes = fs.readFileSync(p.file);
    const h = await imagePhash(bytes);
    originals.push(h);
    for (const [name, t] of Object.entries(TRANSFORMS)) copies.push({ photo: p.name, transform: name, distance: hammingDistance(h, await imagePhash(await t(bytes))) });
  }
  // one face per subject: images of one subject may legitimately be near each other (they are grouped anyway)
  const faces = (await generateDemoFaces({ n: faceCount * 7, seed: 11 })).filter((f, i, all) => all.findIndex((g) => g.subject === f.subject) === i).slice(0, faceCount);
  const faceHashes = await Promise.all(faces.map((f) => imagePhash(f.png)));
  const faceCopies: number[] = [];
  for (const [i, f] of faces.slice(0, 8).entries()) {
    for (const t of Object.values(TRANSFORMS)) faceCopies.push(hammingDistance(faceHashes[i], await imagePhash(await t(f.png))));
  }
  const distinctPhotos = pairwise(originals);
  const distinctFaces = pairwise(faceHashes);
  const copyDistances = [...copies.map((c) => c.distance), ...faceCopies];
  const distinct = [...distinctPhotos, ...distinctFaces];
  const byTransform = Object.fromEntries(
    Object.keys(TRANSFORMS).map((t) => {
      const ds = copies.filter((c) => c.transform === t).map((c) => c.distance);
      return [t, { ...stats(ds), foundAtDefault: ds.filter((d) => d <= DEFAULT_NEAR_DUP_THRESHOLD).length / ds.length }];
    }),
  );
  const sweep = Array.from({ length: 17 }, (_, t) => ({
    threshold: t,
    copiesFound: Math.round((copyDistances.filter((d) => d <= t).length / copyDistances.length) * 1000) / 1000,
    distinctFlagged: Math.round((distinct.filter((d) => d <= t).length / distinct.length) * 10000) / 10000,
    distinctFacesFlagged: distinctFaces.filter((d) => d <= t).length,
    distinctPhotosFlagged: distinctPhotos.filter((d) => d <= t).length,
  }));
  return {
    photos: list.map((p) => p.name),
    transforms: Object.keys(TRANSFORMS),
    copies: { ...stats(copyDistances), byTransform, demoFaceCopies: stats(faceCopies), worst: copies.sort((a, b) => b.distance - a.distance).slice(0, 5) },
    distinct: { photos: stats(distinctPhotos), demoFaces: { subjects: faces.length, ...stats(distinctFaces) }, histogram: histogram(distinct, 20) },
    sweep,
  };
}

function randomHashes(n: number, planted: number, threshold: number, seed: number): Hashes64 {
  const rng = mulberry32(seed);
  const u32 = () => Math.floor(rng() * 2 ** 32) >>> 0;
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    hi[i] = u32();
    lo[i] = u32();
  }
  // the last `planted` hashes are copies of earlier ones with up to `threshold` bits flipped
  for (let k = 0; k < planted; k++) {
    const i = n - 1 - k;
    const src = Math.floor(rng() * (n - planted));
    hi[i] = hi[src];
    lo[i] = lo[src];
    const flips = Math.floor(rng() * (threshold + 1));
    for (let f = 0; f < flips; f++) {
      const bit = Math.floor(rng() * 64);
      if (bit < 32) hi[i] = (hi[i] ^ (1 << bit)) >>> 0;
      else lo[i] = (lo[i] ^ (1 << (bit - 32))) >>> 0;
    }
  }
  return { hi, lo };
}

function subset(h: Hashes64, n: number): Hashes64 {
  return { hi: h.hi.slice(h.hi.length - n), lo: h.lo.slice(h.lo.length - n) };
}

function indexCost(n: number, bruteN: number, threshold: number) {
  const planted = Math.round(n / 100);
  const h = randomHashes(n, planted, threshold, 5);
  const t0 = performance.now();
  const mih = nearPairs(h, threshold);
  const mihMs = performance.now() - t0;
  const sub = subset(h, bruteN);
  const t1 = performance.now();
  const brute = bruteForceNearPairs(sub, threshold);
  const bruteMs = performance.now() - t1;
  const t2 = performance.now();
  const mihSub = nearPairs(sub, threshold);
  const mihSubMs = performance.now() - t2;
  const same = JSON.stringify(mihSub.pairs.map((p) => [p.a, p.b, p.distance]).sort()) === JSON.stringify(brute.pairs.map((p) => [p.a, p.b, p.distance]).sort());
  const scaleUp = (n * (n - 1)) / (bruteN * (bruteN - 1));
  return {
    hashes: n,
    threshold,
    substrings: threshold + 1,
    planted,
    multiIndex: { ms: Math.round(mihMs), candidates: mih.candidates, pairs: mih.pairs.length, candidatesPerHash: Math.round((mih.candidates / n) * 10) / 10 },
    bruteForceSubset: { hashes: bruteN, ms: Math.round(bruteMs), candidates: brute.candidates, pairs: brute.pairs.length, multiIndexMs: Math.round(mihSubMs), multiIndexCandidates: mihSub.candidates, samePairs: same },
    bruteForceExtrapolated: { ms: Math.round(bruteMs * scaleUp), candidates: (n * (n - 1)) / 2 },
    speedup: Math.round(((bruteMs * scaleUp) / mihMs) * 10) / 10,
  };
}

/** The whole report and --fix over n records (5 per subject, 1 % near and 0.5 % exact copies), randomly assigned. */
function reportCost(n: number, threshold: number) {
  const h = randomHashes(n, Math.round(n / 100), threshold, 7);
  const hex = (i: number) => h.hi[i].toString(16).padStart(8, '0') + h.lo[i].toString(16).padStart(8, '0');
  const rng = mulberry32(8);
  const items: LeakageItem[] = Array.from({ length: n }, (_, i) => ({ id: `r${String(i).padStart(7, '0')}`, subject: `s${Math.floor(i / 5)}`, imageId: i, pixelHash: `p${i}`, phash: hex(i) }));
  for (let k = 0; k < n / 200; k++) {
    const src = Math.floor(rng() * n);
    const dst = Math.floor(rng() * n);
    items[dst] = { ...items[dst], pixelHash: items[src].pixelHash, phash: items[src].phash };
  }
  const parts = ['train', 'val', 'test'];
  // subjects kept together (as the split does), duplicates not
  const assignments = new Map(items.map((it, i) => [it.id, parts[Math.floor(i / 5) % 10 < 7 ? 0 : Math.floor(i / 5) % 10 < 8 ? 1 : 2]]));
  const t0 = performance.now();
  const r = leakageReport(items, assignments, parts, threshold);
  const reportMs = performance.now() - t0;
  const t1 = performance.now();
  const f = fixLeakage(items, assignments, parts, threshold);
  const fixMs = performance.now() - t1;
  return {
    records: n,
    threshold,
    reportMs: Math.round(reportMs),
    fixMs: Math.round(fixMs),
    found: { sharedSubjects: r.sharedSubjects, exactDuplicatePairs: r.exactDuplicatePairs, nearDuplicatePairs: r.nearDuplicatePairs },
    moved: f.moved.records,
    afterFix: { sharedSubjects: f.report.sharedSubjects, exactDuplicatePairs: f.report.exactDuplicatePairs, nearDuplicatePairs: f.report.nearDuplicatePairs },
  };
}

async function main(): Promise<void> {
  const n = Number(arg('n', '100000'));
  const bruteN = Number(arg('brute', '10000'));
  // --thresholds none: the threshold study alone
  const thresholds = arg('thresholds', `${DEFAULT_NEAR_DUP_THRESHOLD},6,8,10`).split(',').filter((t) => /^\d+$/.test(t)).map(Number);
  const faces = Number(arg('faces', '120'));
  const study = process.argv.includes('--no-study') ? null : await thresholdStudy(faces);
  const index = thresholds.map((t) => indexCost(n, bruteN, t));
  const report = reportCost(n, DEFAULT_NEAR_DUP_THRESHOLD);
  process.stdout.write(`${JSON.stringify({ bench: 'near-dup', defaultThreshold: DEFAULT_NEAR_DUP_THRESHOLD, study, index, report })}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
