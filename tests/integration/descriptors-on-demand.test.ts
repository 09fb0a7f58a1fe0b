/**
 * The recognition descriptor is computed only when asked: analysis leaves it out, and a training load whose policy
 * reads it computes the missing ones first (the same descriptor analysis would have stored), or fails naming the image.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { openWorkspace, type Workspace } from '../../db/open';
import { descriptorFromBlob, getAnalysis } from '../../db/repositories/analysis';
import { runAnalysis } from '../../services/analysis/run';
import { createSplit } from '../../services/splits/splits';
import { loadSplitSamples } from '../../services/training/dataset';
import { analyzeImage } from '../../pipelines/vision/analyze';
import { FACE_API_DIR } from '../../pipelines/vision/faceapi';
import { addImageRecord } from '../support/image-record';

jest.setTimeout(180_000);

const ASTRONAUT = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png';
const DEMO = path.join(FACE_API_DIR, 'demo');

function addImage(ws: Workspace, name: string, bytes: Buffer, emotion: string): { imageId: number; recordId: string; rel: string } {
  return addImageRecord(ws, name, bytes, { subject: name, emotion, status: 'labeled' });
}

describe('descriptors on demand', () => {
  let dir: string;
  let ws: Workspace;
  const images: Record<string, { imageId: number; recordId: string; rel: string; bytes: Buffer }> = {};

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-descriptors-'));
    ws = openWorkspace(path.join(dir, 'ws'), { create: true });
    const photos: [string, Buffer, string][] = [
      ['astronaut.png', fs.readFileSync(ASTRONAUT), 'happiness'],
      ['sample1.jpg', await sharp(path.join(DEMO, 'sample1.jpg')).resize(480).jpeg().toBuffer(), 'neutral'],
      ['sample3.jpg', await sharp(path.join(DEMO, 'sample3.jpg')).resize(480).jpeg().toBuffer(), 'happiness'],
    ];
    for (const [name, bytes, emotion] of photos) images[name] = { ...addImage(ws, name, bytes, emotion), bytes };
    const summary = await runAnalysis(ws, { workers: 1 });
    expect(summary).toMatchObject({ analyzed: 3, facesFound: 3, descriptorsFilled: 0 });
    createSplit(ws.db, { name: 's', ratios: { train: 1 }, stratify: null, group: null, seed: 1 });
  });

  afterAll(() => {
    ws?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const stored = (imageId: number) => descriptorFromBlob(getAnalysis(ws.db, imageId)!.descriptor, 128);

  it('analysis stores none; a load whose policy reads no descriptor computes none', async () => {
    for (const img of Object.values(images)) expect(stored(img.imageId)).toBeNull();
    const samples = await loadSplitSamples(ws, 's', 'train', { imageSize: 32, descriptorDim: 0, expressionDim: 0, labeledOnly: true });
    expect(samples).toHaveLength(3);
    for (const img of Object.values(images)) expect(stored(img.imageId)).toBeNull();
  });

  it('a file gone: the load fails naming the image instead of training on zeros', async () => {
    const gone = images['sample3.jpg'];
    const file = path.join(ws.mediaDir, gone.rel);
    fs.renameSync(file, `${file}.away`);
    try {
      await expect(loadSplitSamples(ws, 's', 'train', { imageSize: 32, descriptorDim: 128, expressionDim: 0, labeledOnly: true })).rejects.toThrow(
        new RegExp(`image ${gone.imageId} \\(sample3\\.jpg\\): cannot compute its recognition descriptor: cannot read`),
      );
    } finally {
      fs.renameSync(`${file}.away`, file);
    }
  });

  it('training’s load computes the missing descriptors first, with progress, and stores what analysis would have', async () => {
    const progress: { done: number; total: number }[] = [];
    const samples = await loadSplitSamples(ws, 's', 'train', { imageSize: 32, descriptorDim: 128, expressionDim: 0, labeledOnly: true, onDescriptors: (p) => progress.push(p) });
    expect(samples).toHaveLength(3);
    // The file that came back is among them; images the failed load had done are not computed again.
    expect(progress.at(-1)).toEqual({ done: progress.at(-1)!.total, total: progress.at(-1)!.total });
    expect(progress[0].done).toBe(0);
    for (const s of samples) expect(s.descriptor).toHaveLength(128);
    for (const img of Object.values(images)) {
      const direct = await analyzeImage(img.bytes, { descriptor: true });
      if (!direct.ok) throw new Error(direct.error);
      const d = stored(img.imageId)!;
      expect(Math.max(...Array.from(d, (v, i) => Math.abs(v - direct.descriptor![i])))).toBeLessThan(1e-5);
      expect(samples.find((s) => s.recordId === img.recordId)!.descriptor).toEqual(d);
    }
    // Nothing left to compute: a second load starts no workers.
    const again: unknown[] = [];
    await loadSplitSamples(ws, 's', 'train', { imageSize: 32, descriptorDim: 128, expressionDim: 0, labeledOnly: true, onDescriptors: (p) => again.push(p) });
    expect(again).toEqual([]);
  });
});
