/** What training reads from a workspace (db/repositories/training-data.ts): bound values only, LIMIT included. */
import * as path from 'node:path';
import { openWorkspace, type Workspace } from '../../db/open';
import { descriptorFromBlob, saveAnalysis } from '../../db/repositories/analysis';
import { splitExists, splitPartNames, trainingRecords } from '../../db/repositories/training-data';
import { importDataset } from '../../services/import/import';
import { createSplit } from '../../services/splits/splits';
import { tempDir, validLine, writeJsonl } from '../support/facial-r1';

let ws: Workspace;
beforeAll(async () => {
  const src = tempDir();
  const emotions = ['happiness', 'sadness', 'anger'];
  const lines = Array.from({ length: 12 }, (_, i) =>
    validLine(src, i, {
      labels: [emotions[i % 3]],
      AUs: ['AU6', 'AU12'],
      description: `<think>Reason ${i} (AU6).</think><answer>${emotions[i % 3]}</answer>`,
      meta_info: { subject: `p${i % 4}` },
    }),
  );
  writeJsonl(path.join(src, 'train.jsonl'), lines);
  ws = openWorkspace(path.join(tempDir(), 'ws'), { create: true });
  await importDataset(ws, path.join(src, 'train.jsonl'));
  createSplit(ws.db, { name: 's', ratios: { train: 0.5, test: 0.5 }, stratify: null, group: null, seed: 1 });
});
afterAll(() => ws.close());

test('a split, its parts, and its records in id order; LIMIT is a bound value (none or 0 = all)', () => {
  expect(splitExists(ws.db, 's')).toBe(true);
  expect(splitExists(ws.db, "s' OR 1=1 --")).toBe(false);
  expect(splitPartNames(ws.db, 's')).toEqual(['test', 'train']);
  const q = { split: 's', part: 'train', descriptorDim: 128, labeledOnly: false };
  const all = trainingRecords(ws.db, q);
  expect(all.length).toBeGreaterThan(2);
  expect(all.map((r) => r.id)).toEqual([...all.map((r) => r.id)].sort());
  expect(trainingRecords(ws.db, { ...q, limit: 0 })).toEqual(all);
  expect(trainingRecords(ws.db, { ...q, limit: 2.7 }).map((r) => r.id)).toEqual(all.slice(0, 2).map((r) => r.id));
  expect(trainingRecords(ws.db, { ...q, labeledOnly: true }).length).toBeLessThanOrEqual(all.length);
  expect(all[0]).toMatchObject({ aus: ['AU6', 'AU12'], descriptor: null, cropGrayPath: null });
  expect(all[0].reasoning).toMatch(/^<think>Reason \d+/);
});

test('descriptorFromBlob: the first dim little-endian float32s; null when short, partial or not finite', () => {
  const blob = Buffer.from(new Float32Array([0.5, -1, 2, 3]).buffer);
  expect(Array.from(descriptorFromBlob(blob)!)).toEqual([0.5, -1, 2, 3]);
  expect(Array.from(descriptorFromBlob(blob, 2)!)).toEqual([0.5, -1]);
  expect(descriptorFromBlob(blob, 5)).toBeNull();
  expect(descriptorFromBlob(blob.subarray(0, 6))).toBeNull();
  expect(descriptorFromBlob(Buffer.from(new Float32Array([1, NaN]).buffer), 2)).toBeNull();
  expect(descriptorFromBlob(null, 2)).toBeNull();
});

test('expression feature views are stored back to back and read for every analysed image, face found or not', () => {
  const q = { split: 's', part: 'train', descriptorDim: 128, expressionDim: 3, labeledOnly: false };
  const [a, b] = trainingRecords(ws.db, q);
  const imageOf = (id: string) => (ws.db.prepare('SELECT image_id FROM records WHERE id = ?').get(id) as { image_id: number }).image_id;
  const views = [Float32Array.from([1, 2, 3]), Float32Array.from([-1, 0.25, 9])];
  const base = { box: null, landmarks: [], descriptor: null, cropGrayPath: null, cropColorPath: null, auEstimates: {}, expressions: {}, phash: null, backend: 'cpu', error: null };
  saveAnalysis(ws.db, { ...base, imageId: imageOf(a.id), faceFound: false, expressionFeatures: views });
  saveAnalysis(ws.db, { ...base, imageId: imageOf(b.id), faceFound: true });
  const [ra, rb] = trainingRecords(ws.db, q);
  expect(ra.expressionViews).toEqual(views);
  expect(ra.descriptor).toBeNull();
  expect(rb.expressionViews).toBeNull();
  expect(trainingRecords(ws.db, { ...q, expressionDim: 0 })[0].expressionViews).toBeNull();
  expect(() => trainingRecords(ws.db, { ...q, expressionDim: 4 })).toThrow(/expression_features of image \d+: 24 bytes are not whole views of 4 float32 values/);
});
