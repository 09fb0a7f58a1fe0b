/**
 * `fea import --format fer2013|ferplus|affectnet|rafdb|disfa|au-csv` on the synthetic fixtures in their exact
 * layouts (fixtures/datasets/), and on copies with broken lines: each bad line is reported with its file, line and
 * field, and the rest still goes in.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openWorkspace, type Workspace } from '../../db/open';
import { importDataset } from '../../services/import/import';
import { listSplitSummaries } from '../../services/splits/splits';
import { fea } from '../support/cli';
import { tempDir } from '../support/facial-r1';

const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'datasets');

let opened: Workspace[] = [];
function newWs(): Workspace {
  const ws = openWorkspace(path.join(tempDir(), 'ws'), { create: true });
  opened.push(ws);
  return ws;
}
afterEach(() => {
  for (const ws of opened) ws.close();
  opened = [];
});

interface Row {
  id: string;
  emotion: string | null;
  aus: string;
  status: string;
  width: number;
  height: number;
  subject: string | null;
  meta: string;
  provenance: string | null;
}
function rows(ws: Workspace): Row[] {
  return ws.db
    .prepare(
      `SELECT r.id, r.emotion, r.aus, r.status, i.width, i.height, i.subject, r.meta, v.provenance FROM records r JOIN images i ON i.id = r.image_id
       LEFT JOIN revisions v ON v.id = r.current_revision_id ORDER BY r.id`,
    )
    .all() as Row[];
}
function parts(ws: Workspace, split: string): Record<string, string> {
  const list = ws.db.prepare('SELECT sa.record_id, sa.part FROM split_assignments sa JOIN splits s ON s.id = sa.split_id WHERE s.name = ?').all(split) as { record_id: string; part: string }[];
  return Object.fromEntries(list.map((r) => [r.record_id, r.part]));
}

/** A copy of a fixture folder, with `edit` applied to one of its tables. */
function brokenCopy(folder: string, table: string, edit: (lines: string[]) => string[]): string {
  const dst = path.join(tempDir(), folder);
  fs.cpSync(path.join(FIXTURES, folder), dst, { recursive: true });
  const file = path.join(dst, table);
  const lines = fs.readFileSync(file, 'utf8').replace(/\n$/, '').split('\n');
  fs.writeFileSync(file, `${edit(lines).join('\n')}\n`);
  return dst;
}

describe('fer2013', () => {
  test('48×48 pixels become PNGs, labels 0–6 map, Usage fills the split fer2013', async () => {
    const ws = newWs();
    const r = await importDataset(ws, path.join(FIXTURES, 'fer2013'), { format: 'fer2013' });
    expect(r.errors).toEqual([]);
    expect(r.imported).toBe(8);
    expect(r.split).toEqual({ name: 'fer2013', parts: { train: 4, publictest: 2, privatetest: 2 } });
    const all = rows(ws);
    expect(all.map((x) => x.emotion)).toEqual(['happiness', 'anger', 'neutral', 'surprise', 'sadness', 'fear', 'disgust', 'happiness']);
    expect(all.every((x) => x.width === 48 && x.height === 48)).toBe(true);
    expect(parts(ws, 'fer2013')).toMatchObject({ 'fer2013/00000': 'train', 'fer2013/00003': 'publictest', 'fer2013/00005': 'privatetest' });
    // The split's stored config (source, format, files: no ratios or seed of ours) is read with its schema, not cast.
    expect(listSplitSummaries(ws.db).splits.find((s) => s.name === 'fer2013')).toMatchObject({ seed: 0, stratify: null, group: null });
    const again = await importDataset(ws, path.join(FIXTURES, 'fer2013'), { format: 'fer2013' });
    expect(again.imported).toBe(0);
    expect(again.duplicates).toBe(8);
  });

  test('broken lines are reported by file, line and field; the others import', async () => {
    const dir = brokenCopy('fer2013', 'fer2013.csv', (l) => {
      l[2] = l[2].replace(/ \d+,Training$/, ',Training'); // 2303 pixels
      l[4] = `9${l[4].slice(1)}`; // emotion 9
      l[5] = l[5].replace(/PublicTest$/, 'Validation');
      return l;
    });
    const ws = newWs();
    const r = await importDataset(ws, dir, { format: 'fer2013' });
    expect(r.imported).toBe(5);
    expect(r.errors.map((e) => [e.file, e.line])).toEqual([
      ['fer2013.csv', 3],
      ['fer2013.csv', 5],
      ['fer2013.csv', 6],
    ]);
    expect(r.errors[0].reason).toMatch(/field "pixels": 2303 values, expected 2304/);
    expect(r.errors[1].reason).toMatch(/field "emotion": 9 is outside 0–6/);
    expect(r.errors[2].reason).toMatch(/field "Usage": "Validation"/);
  });

  test('a wrong header is refused before anything is written, naming file, line 1 and the field', async () => {
    const dir = brokenCopy('fer2013', 'fer2013.csv', (l) => ['emotion,pixel,Usage', ...l.slice(1)]);
    const ws = newWs();
    await expect(importDataset(ws, dir, { format: 'fer2013' })).rejects.toThrow(/fer2013\.csv:1: header: field "pixels" is missing/);
    expect(rows(ws)).toEqual([]);
  });
});

describe('ferplus', () => {
  test('majority votes label the rows; unknown, NF, ties and dropped rows are skipped and counted; votes in provenance', async () => {
    const ws = newWs();
    const r = await importDataset(ws, path.join(FIXTURES, 'ferplus'), { format: 'ferplus' });
    expect(r.errors).toEqual([]);
    expect(r.imported).toBe(4);
    expect(r.skippedBy).toEqual({ unknown: 1, NF: 1, dropped: 1, tie: 1 });
    const all = rows(ws);
    expect(all.map((x) => [x.id, x.emotion])).toEqual([
      ['ferplus/fer0000000', 'happiness'],
      ['ferplus/fer0000001', 'anger'],
      ['ferplus/fer0000002', 'neutral'],
      ['ferplus/fer0000003', 'surprise'],
    ]);
    expect(JSON.parse(all[0].provenance!).votes).toEqual({ neutral: 0, happiness: 9, surprise: 0, sadness: 0, anger: 0, disgust: 0, fear: 0, contempt: 0, unknown: 1, NF: 0 });
    expect(r.split?.name).toBe('ferplus');
  });

  test('a bad vote count names fer2013new.csv, its line and the field', async () => {
    const dir = brokenCopy('ferplus', 'fer2013new.csv', (l) => {
      l[1] = l[1].replace(/,9,/, ',x,');
      return l;
    });
    const ws = newWs();
    const r = await importDataset(ws, path.join(dir, 'fer2013new.csv'), { format: 'ferplus' });
    expect(r.imported).toBe(3);
    expect(r.errors).toEqual([{ file: 'fer2013new.csv', line: 2, reason: 'field "happiness": "x" is not an integer' }]);
  });
});

describe('affectnet', () => {
  test('the face box becomes the image, valence/arousal are kept, expressions 8–10 are skipped and counted', async () => {
    const ws = newWs();
    const r = await importDataset(ws, path.join(FIXTURES, 'affectnet'), { format: 'affectnet' });
    expect(r.errors).toEqual([]);
    expect(r.imported).toBe(6);
    expect(r.skippedBy).toEqual({ none: 1, uncertain: 1, 'no-face': 1 });
    const first = rows(ws).find((x) => x.id === 'affectnet/1/00a1b2c3face0')!;
    expect([first.width, first.height, first.emotion]).toEqual([80, 84, 'happiness']);
    const meta = JSON.parse(first.meta);
    expect(meta.affectnet).toMatchObject({ valence: 0.8, arousal: 0.4, box: { x: 16, y: 12, width: 80, height: 84 }, set: 'training' });
    expect(JSON.parse(first.provenance!)).toMatchObject({ valence: 0.8, arousal: 0.4, format: 'affectnet' });
    expect(rows(ws).filter((x) => JSON.parse(x.meta).affectnet.set === 'validation')).toHaveLength(2);
    const again = await importDataset(ws, path.join(FIXTURES, 'affectnet'), { format: 'affectnet' });
    expect([again.imported, again.duplicates, again.errors.length]).toEqual([0, 6, 0]);
  });

  test('bad fields and a missing image are per-line errors', async () => {
    const dir = brokenCopy('affectnet', 'training.csv', (l) => {
      l[1] = l[1].replace(/,1,0.8,0.4$/, ',1,1.8,0.4'); // valence out of range
      l[2] = l[2].replace(/^1\/01436586face1\.jpg/, '1/missing.jpg');
      return l;
    });
    const ws = newWs();
    const r = await importDataset(ws, path.join(dir, 'training.csv'), { format: 'affectnet' });
    expect(r.imported).toBe(2);
    expect(r.errors.map((e) => e.line)).toEqual([2, 3]);
    expect(r.errors[0]).toMatchObject({ file: 'training.csv', reason: expect.stringMatching(/field "valence": 1.8 is outside -1–1/) });
    expect(r.errors[1].reason).toMatch(/1\/missing\.jpg does not exist/);
  });
});

describe('rafdb', () => {
  test('labels 1–7 map, the file prefix is the part of the split rafdb', async () => {
    const ws = newWs();
    const r = await importDataset(ws, path.join(FIXTURES, 'rafdb', 'basic'), { format: 'rafdb' });
    expect(r.errors).toEqual([]);
    expect(r.imported).toBe(6);
    expect(r.split).toEqual({ name: 'rafdb', parts: { test: 2, train: 4 } });
    expect(Object.fromEntries(rows(ws).map((x) => [x.id, x.emotion]))).toEqual({
      'rafdb/train_00001': 'happiness',
      'rafdb/train_00002': 'sadness',
      'rafdb/train_00003': 'surprise',
      'rafdb/train_00004': 'neutral',
      'rafdb/test_0001': 'anger',
      'rafdb/test_0002': 'disgust',
    });
    expect(parts(ws, 'rafdb')['rafdb/test_0002']).toBe('test');
  });

  test('broken lines name the line and field', async () => {
    const dir = brokenCopy('rafdb', 'basic/EmoLabel/list_patition_label.txt', (l) => [l[0], 'train_00002.jpg 8', 'val_0001.jpg 3', 'train_00003.jpg', ...l.slice(3)]);
    const ws = newWs();
    const r = await importDataset(ws, path.join(dir, 'basic'), { format: 'rafdb' });
    expect(r.errors.map((e) => [e.line, e.reason])).toEqual([
      [2, 'field "label": "8" is not 1–7'],
      [3, 'field "image": "val_0001.jpg" does not start with train_ or test_'],
      [4, 'expected "<image> <label>", found 1 field'],
    ]);
    expect(r.imported).toBe(4);
  });
});

describe('au-csv and disfa', () => {
  test('AUs at or above the threshold are present with intensities A–E; neutral without AUs is labeled', async () => {
    const ws = newWs();
    const r = await importDataset(ws, path.join(FIXTURES, 'au-csv', 'aus.csv'), { format: 'au-csv' });
    expect(r.errors).toEqual([]);
    const byId = Object.fromEntries(rows(ws).map((x) => [x.id, x]));
    expect(byId['aus/faces/a']).toMatchObject({ emotion: 'happiness', aus: 'AU6 AU12 AU25', status: 'labeled' });
    expect(byId['aus/faces/b']).toMatchObject({ emotion: 'surprise', aus: 'AU1 AU2 AU26' });
    expect(byId['aus/faces/c']).toMatchObject({ emotion: null, aus: 'AU4', status: 'weak' });
    expect(byId['aus/faces/d']).toMatchObject({ emotion: 'neutral', aus: '', status: 'labeled' });
    const marks = ws.db
      .prepare(`SELECT ra.au, ra.intensity FROM revision_aus ra JOIN records r ON r.current_revision_id = ra.revision_id WHERE r.id = 'aus/faces/a' ORDER BY ra.au`)
      .all();
    expect(marks).toEqual([
      { au: 'AU12', intensity: 'D' },
      { au: 'AU25', intensity: 'B' },
      { au: 'AU6', intensity: 'C' },
    ]);
  });

  test('--au-threshold through the CLI; DISFA subjects from the SN folder', () => {
    const ws = path.join(tempDir(), 'ws');
    expect(fea(['init', ws, '--json']).code).toBe(0);
    const r = fea(['import', ws, path.join(FIXTURES, 'disfa', 'disfa.csv'), '--format', 'disfa', '--au-threshold', '3', '--json']);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ imported: 4, format: 'disfa', errors: [] });
    const db = openWorkspace(ws);
    try {
      const got = db.db.prepare('SELECT r.id, r.aus, i.subject FROM records r JOIN images i ON i.id = r.image_id ORDER BY r.id').all();
      expect(got).toEqual([
        { id: 'disfa/SN001/0001', aus: 'AU12', subject: 'SN001' },
        { id: 'disfa/SN001/0002', aus: '', subject: 'SN001' },
        { id: 'disfa/SN002/0001', aus: 'AU1 AU2 AU5 AU26', subject: 'SN002' },
        { id: 'disfa/SN002/0002', aus: 'AU4 AU9', subject: 'SN002' },
      ]);
    } finally {
      db.close();
    }
    expect(fea(['import', ws, path.join(FIXTURES, 'disfa', 'disfa.csv'), '--format', 'disfa', '--au-threshold', '7']).code).toBe(2);
  });

  test('an intensity outside 0–5 and a header without AU columns', async () => {
    const dir = brokenCopy('au-csv', 'aus.csv', (l) => {
      l[2] = l[2].replace(/^faces\/b\.png,3,/, 'faces/b.png,7,');
      return l;
    });
    const ws = newWs();
    const r = await importDataset(ws, path.join(dir, 'aus.csv'), { format: 'au-csv' });
    expect(r.errors).toEqual([{ file: 'aus.csv', line: 3, reason: 'field "AU1": "7" is not an intensity 0–5' }]);
    expect(r.imported).toBe(3);
    const bad = brokenCopy('au-csv', 'aus.csv', (l) => ['image,emotion', ...l.slice(1)]);
    await expect(importDataset(newWs(), path.join(bad, 'aus.csv'), { format: 'au-csv' })).rejects.toThrow(/aus\.csv:1: header: no AU<n> columns/);
  });
});

test('cancelled between batches: what was committed stays, the report says cancelled; a re-run completes it', async () => {
  const ws = newWs();
  const controller = new AbortController();
  const r = await importDataset(ws, path.join(FIXTURES, 'fer2013'), { format: 'fer2013', batchSize: 3, signal: controller.signal, onProgress: () => controller.abort() });
  expect(r.cancelled).toBe(true);
  expect(r.imported).toBe(3);
  expect(rows(ws)).toHaveLength(3);
  const rest = await importDataset(ws, path.join(FIXTURES, 'fer2013'), { format: 'fer2013' });
  expect([rest.imported, rest.duplicates]).toEqual([5, 3]);
  expect(Object.keys(parts(ws, 'fer2013'))).toHaveLength(8);
});
