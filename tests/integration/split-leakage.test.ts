/**
 * `fea split` leakage report and --fix on planted leaks: near-duplicates (real package photos resized and
 * re-encoded with sharp), exact duplicates (the same pixels in a differently compressed PNG) and a subject shared
 * across parts. Runs the built CLI (`npm run build:node` first).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { openWorkspace } from '../../db/open';
import { getSplit, splitAssignments } from '../../db/repositories';
import { FACE_API_DIR } from '../../pipelines/vision/faceapi';
import { listSplitSummaries } from '../../services/splits/splits';
import { fea } from '../support/cli';
import { tempDir, writeJsonl } from '../support/facial-r1';

const SKIMAGE = '/usr/lib/python3/dist-packages/skimage/data';
const PHOTOS = [
  ...[1, 2, 3, 4, 5, 6].map((i) => path.join(FACE_API_DIR, 'demo', `sample${i}.jpg`)),
  ...['astronaut.png', 'camera.png', 'chelsea.png', 'coffee.png', 'rocket.jpg', 'motorcycle_left.png'].map((f) => path.join(SKIMAGE, f)),
];
const EMOTIONS = ['anger', 'disgust', 'fear', 'happiness', 'neutral', 'sadness', 'surprise'];
const NEAR = [0, 1, 2, 3, 4, 5];
const EXACT = [6, 7, 8, 9];
const SHARED = [8, 9, 10, 11];

/** Planted pairs, as record ids. */
const nearPairs = NEAR.map((i) => [`base-${i}`, `near-${i}`]);
const exactPairs = EXACT.map((i) => [`base-${i}`, `exact-${i}`]);

async function writeDataset(dir: string): Promise<string> {
  fs.mkdirSync(path.join(dir, 'imgs'), { recursive: true });
  const lines = [];
  let k = 0;
  const line = (id: string, image: string, subject: string) => ({
    id,
    dataset: 'LEAK-TEST',
    image,
    question: 'What is the emotion of this face?',
    AUs: [],
    labels: [EMOTIONS[k++ % EMOTIONS.length]],
    description: '',
    meta_info: { subject },
  });
  for (const [i, file] of PHOTOS.entries()) {
    const base = await sharp(file).resize({ width: 96 }).png({ compressionLevel: 9 }).toBuffer();
    fs.writeFileSync(path.join(dir, 'imgs', `base-${i}.png`), base);
    lines.push(line(`base-${i}`, `imgs/base-${i}.png`, SHARED.includes(i) ? 'shared' : `p${i}`));
    if (NEAR.includes(i)) {
      // a smaller, lossy copy: different bytes and pixels, same picture
      fs.writeFileSync(path.join(dir, 'imgs', `near-${i}.jpg`), await sharp(base).resize({ width: 48 }).jpeg({ quality: 50 }).toBuffer());
      lines.push(line(`near-${i}`, `imgs/near-${i}.jpg`, `n${i}`));
    }
    if (EXACT.includes(i)) {
      // the same pixels, compressed differently: a different file (and sha256)
      fs.writeFileSync(path.join(dir, 'imgs', `exact-${i}.png`), await sharp(base).png({ compressionLevel: 1 }).toBuffer());
      lines.push(line(`exact-${i}`, `imgs/exact-${i}.png`, `e${i}`));
    }
  }
  const file = path.join(dir, 'leak.jsonl');
  writeJsonl(file, lines);
  return file;
}

function assignmentsOf(wsDir: string, name: string): Map<string, string> {
  const ws = openWorkspace(wsDir);
  try {
    return splitAssignments(ws.db, getSplit(ws.db, name)!.id);
  } finally {
    ws.db.close();
  }
}

const crossing = (a: Map<string, string>, pairs: string[][]) => pairs.filter(([x, y]) => a.get(x) !== a.get(y)).length;

describe('fea split leakage report', () => {
  const base = tempDir('fea-leak-');
  const ws = path.join(base, 'ws');
  const common = ['--ratios', 'train=0.5,val=0.25,test=0.25', '--group', 'none', '--seed', '4', '--json'];

  beforeAll(async () => {
    expect(fea(['init', ws, '--json']).code).toBe(0);
    const imp = fea(['import', ws, await writeDataset(path.join(base, 'data')), '--json']);
    expect(imp.json).toMatchObject({ imported: 22 });
  }, 60_000);

  test('ratios that do not add up to 1 are refused, naming the sum', () => {
    const r = fea(['split', ws, '--name', 'bad', '--ratios', 'train=0.7,val=0.2,test=0.2', '--json']);
    expect(r.code).toBe(2);
    expect(r.json.error.message).toMatch(/add up to 1, these add up to 1\.1/);
  });

  test('planted subject overlap, exact and near-duplicates are reported; --fix moves them and the re-check finds none', () => {
    const plain = fea(['split', ws, '--name', 'plain', ...common]);
    expect(plain.code).toBe(0);
    const s = plain.json;
    // every key the command printed before, and the report's
    expect(Object.keys(s)).toEqual(expect.arrayContaining(['name', 'parts', 'maxStratDeviation', 'sharedSubjects', 'seed', 'createdAt', 'fractions', 'records', 'ratios', 'stratify', 'group']));
    expect(Object.keys(s.parts)).toEqual(['train', 'val', 'test']);
    const a = assignmentsOf(ws, 'plain');
    const sharedParts = new Set(SHARED.map((i) => a.get(`base-${i}`))).size;
    expect(s.leakage.unhashed).toBe(0);
    expect(s.exactDuplicatePairs).toBe(crossing(a, exactPairs));
    expect(s.nearDuplicatePairs).toBe(crossing(a, nearPairs));
    expect(s.sharedSubjects).toBe(sharedParts > 1 ? 1 : 0);
    // the seed was chosen so that every kind of leak occurs (the checks above are not vacuous)
    expect([s.exactDuplicatePairs > 0, s.nearDuplicatePairs > 0, s.sharedSubjects]).toEqual([true, true, 1]);
    for (const p of s.leakage.examples.nearDuplicates) expect(p.distance).toBeLessThanOrEqual(4);
    expect(s.moved).toBeUndefined();

    const fixed = fea(['split', ws, '--name', 'fixed', ...common, '--fix']);
    expect(fixed.code).toBe(0);
    const f = fixed.json;
    expect(f).toMatchObject({ sharedSubjects: 0, exactDuplicatePairs: 0, nearDuplicatePairs: 0 });
    expect(f.moved.before).toEqual({ sharedSubjects: s.sharedSubjects, exactDuplicatePairs: s.exactDuplicatePairs, nearDuplicatePairs: s.nearDuplicatePairs });
    expect(f.moved.records).toBeGreaterThan(0);
    expect(f.moved.flows.reduce((n: number, x: { records: number }) => n + x.records, 0)).toBe(f.moved.records);
    const b = assignmentsOf(ws, 'fixed');
    expect([crossing(b, exactPairs), crossing(b, nearPairs), new Set(SHARED.map((i) => b.get(`base-${i}`))).size]).toEqual([0, 0, 1]);
    expect([...b].filter(([id, part]) => a.get(id) !== part).length).toBe(f.moved.records);
    expect(Object.values(f.parts).reduce((n: number, p) => n + (p as { n: number }).n, 0)).toBe(22);

    // stored with the split, read back through the contract's splits.list
    const w = openWorkspace(ws);
    try {
      const listed = listSplitSummaries(w.db).splits.find((x) => x.name === 'fixed')!;
      expect(listed.leakage).toEqual(f.leakage);
      expect(listed.moved).toEqual(f.moved);
    } finally {
      w.db.close();
    }

    const human = fea(['split', ws, '--name', 'fixed', ...common.filter((x) => x !== '--json'), '--fix']);
    expect(human.stdout).toMatch(/exact duplicate pairs across parts 0, near-duplicate pairs \(pHash distance ≤ 4\) 0/);
    expect(human.stdout).toMatch(new RegExp(`--fix moved ${f.moved.records} records`));
  });
});
