/** face-api on real photos, in-process (the worker pool is covered by tests/integration/analyze-*.test.ts). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { analyzeImage, imagePhash, prepareAnalyzer, type FaceAnalysis } from '../../pipelines/vision/analyze';
import { presentAUs } from '../../pipelines/vision/au-estimates';
import { FACE_API_DIR } from '../../pipelines/vision/faceapi';
import { hammingDistance } from '../../pipelines/vision/phash';
import { pngHeaderOnly } from '../support/png';

const ASTRONAUT = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png';
const DEMO = path.join(FACE_API_DIR, 'demo');
const DEMO_PHOTOS = fs.readdirSync(DEMO).filter((f) => /^sample\d+\.jpg$/.test(f)).sort();

jest.setTimeout(60_000);

function ok(r: Awaited<ReturnType<typeof analyzeImage>>): FaceAnalysis {
  if (!r.ok) throw new Error(`analysis failed: ${r.error}`);
  return r;
}

describe('analyzeImage on real photos (face-api, wasm)', () => {
  beforeAll(async () => {
    expect(['wasm', 'cpu', 'node', 'node-gpu']).toContain(await prepareAnalyzer());
  });

  it('astronaut.png: one smiling face → happiness, AU12, landmarks, descriptor (asked for), aligned crops', async () => {
    const r = ok(await analyzeImage(fs.readFileSync(ASTRONAUT), { descriptor: true }));
    expect(r.backend).toBe(process.env.FEA_BACKEND ?? 'wasm');
    expect([r.width, r.height]).toEqual([512, 512]);
    expect(r.faceFound).toBe(true);
    expect(r.detection).toBe('direct');
    const top = Object.entries(r.expressions).sort((a, b) => b[1] - a[1])[0];
    expect(top[0]).toBe('happiness');
    expect(top[1]).toBeGreaterThan(0.9);
    expect(r.expressions).not.toHaveProperty('contempt');
    expect(r.auEstimates.AU12.present).toBe(true);
    expect(presentAUs(r.auEstimates)).not.toContain('AU15');
    expect(r.landmarks).toHaveLength(68);
    // Eyes above the mouth, all inside the face box (with a margin), in image pixels.
    const { box } = r;
    for (const [x, y] of r.landmarks) {
      expect(x).toBeGreaterThan(box.x - box.width * 0.2);
      expect(x).toBeLessThan(box.x + box.width * 1.2);
      expect(y).toBeGreaterThan(box.y - box.height * 0.3);
      expect(y).toBeLessThan(box.y + box.height * 1.3);
    }
    expect(r.landmarks[36][1]).toBeLessThan(r.landmarks[57][1]);
    expect(r.descriptor).toBeInstanceOf(Float32Array);
    expect(r.descriptor?.length).toBe(128);
    expect(r.phash).toMatch(/^[0-9a-f]{16}$/);
    for (const [png, channels] of [[r.crops.colorPng, 3], [r.crops.grayPng, 1]] as const) {
      const meta = await sharp(png).metadata();
      expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['png', 112, 112, channels]);
    }
  });

  it('finds at least one face on every face-api demo photo (resized to 640 px)', async () => {
    expect(DEMO_PHOTOS.length).toBeGreaterThanOrEqual(6);
    for (const name of DEMO_PHOTOS) {
      const small = await sharp(path.join(DEMO, name)).resize(640, 640, { fit: 'inside' }).jpeg().toBuffer();
      const r = ok(await analyzeImage(small));
      expect({ name, faceFound: r.faceFound }).toEqual({ name, faceFound: true });
      expect(r.facesDetected).toBeGreaterThanOrEqual(1);
      expect(r.landmarks).toHaveLength(68);
    }
  });

  it('close-up: a face that fills the frame is found, though a single 416 pass misses it', async () => {
    const crop = await sharp(ASTRONAUT).extract({ left: 163, top: 75, width: 117, height: 112 }).png().toBuffer();
    expect(ok(await analyzeImage(crop)).faceFound).toBe(true);
    // Forcing the single 416 pass (no other direct or padded passes) shows why the others are there.
    expect(ok(await analyzeImage(crop, { inputSize: 416 })).faceFound).toBe(false);
  });

  it('tight crop: found on a padded canvas (no longer the whole image as a guess), box inside the crop', async () => {
    const crop = await sharp(ASTRONAUT).extract({ left: 185, top: 110, width: 80, height: 75 }).png().toBuffer();
    const r = ok(await analyzeImage(crop));
    expect(r.faceFound).toBe(true);
    expect(['padded', 'whole-crop']).toContain(r.detection);
    expect(r.box.x + r.box.width).toBeLessThanOrEqual(80);
    expect(r.box.y + r.box.height).toBeLessThanOrEqual(75);
    expect(r.landmarks).toHaveLength(68);
    expect(Object.entries(r.expressions).sort((a, b) => b[1] - a[1])[0][0]).toBe('happiness');
  });

  it('near-duplicates have close perceptual hashes, different photos do not', async () => {
    const full = await imagePhash(fs.readFileSync(ASTRONAUT));
    const reencoded = await imagePhash(await sharp(ASTRONAUT).resize(300).jpeg({ quality: 70 }).toBuffer());
    const other = await imagePhash(await sharp(path.join(DEMO, DEMO_PHOTOS[0])).resize(640).jpeg().toBuffer());
    expect(hammingDistance(full, reencoded)).toBeLessThanOrEqual(10);
    expect(hammingDistance(full, other)).toBeGreaterThan(16);
  });

  it('corrupt bytes → a clear "undecodable" result, no throw', async () => {
    const r = await analyzeImage(Buffer.from('this is not an image'));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('undecodable');
      expect(r.error).toMatch(/cannot read image header/);
    }
    const jpeg = fs.readFileSync(path.join(DEMO, DEMO_PHOTOS[0]));
    const truncated = await analyzeImage(jpeg.subarray(0, 2000));
    expect(truncated.ok).toBe(false);
    if (!truncated.ok) expect(truncated.code).toBe('undecodable');
  });

  it('huge image → refused from its header, before decoding', async () => {
    const t0 = Date.now();
    const r = await analyzeImage(pngHeaderOnly(100_000, 100_000));
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r).toMatchObject({ ok: false, code: 'too_large' });
    if (!r.ok) expect(r.error).toMatch(/100000×100000 = 10000\.0 MP, over the 40\.0 MP limit; refused before decoding/);
    // The limit is an option: a small limit refuses an ordinary photo too.
    const small = await analyzeImage(fs.readFileSync(ASTRONAUT), { pixelLimit: 100_000 });
    expect(small).toMatchObject({ ok: false, code: 'too_large' });
  });
});
