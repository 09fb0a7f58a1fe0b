/** Finding faces on tight crops: padded canvases, coordinates mapped back, whole-crop faces, non-faces left alone. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { analyzeImage, prepareAnalyzer, type Box, type FaceAnalysis } from '../../pipelines/vision/analyze';
import { boxToImage, frameToImage, paddedCanvas, PADDED_MIN_SIDE } from '../../pipelines/vision/detect';
import { FACE_API_DIR, loadFaceApi } from '../../pipelines/vision/faceapi';
import { detectTinyFaces } from '../../pipelines/vision/tiny-face';
import { faceDescriptor } from '../../pipelines/vision/recognition';
import { tf } from '../../pipelines/runtime/backend';

const SKIMAGE = '/usr/lib/python3/dist-packages/skimage/data';
const ASTRONAUT = path.join(SKIMAGE, 'astronaut.png');
const DEMO = path.join(FACE_API_DIR, 'demo');

jest.setTimeout(120_000);

function ok(r: Awaited<ReturnType<typeof analyzeImage>>): FaceAnalysis {
  if (!r.ok) throw new Error(`analysis failed: ${r.error}`);
  return r;
}

function iou(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  return (w * h) / (a.width * a.height + b.width * b.height - w * h);
}

/**
 * A CK+-style crop of the largest face that `analyzeImage` finds on `photo`: a square around its box with
 * `margin` of the box's side each way, resized to 48×48 grayscale. Returns the crop and where the full-photo
 * box and landmarks fall in the crop's pixels.
 */
async function tightCrop(photo: Buffer, margin: number) {
  const full = ok(await analyzeImage(photo));
  expect(full.detection).toBe('direct');
  const b = full.box;
  const side = Math.round(Math.max(b.width, b.height) * (1 + 2 * margin));
  const left = Math.round(b.x + b.width / 2 - side / 2);
  const top = Math.round(b.y + b.height / 2 - side / 2);
  const crop = await sharp(photo).extract({ left, top, width: side, height: side }).resize(48, 48).grayscale().png().toBuffer();
  const s = 48 / side;
  const x = Math.max(0, (b.x - left) * s);
  const y = Math.max(0, (b.y - top) * s);
  const expectedBox = { x, y, width: Math.min(48, (b.x + b.width - left) * s) - x, height: Math.min(48, (b.y + b.height - top) * s) - y };
  const expectedLandmarks = full.landmarks.map(([lx, ly]) => [(lx - left) * s, (ly - top) * s]);
  return { crop, expectedBox, expectedLandmarks };
}

/**
 * A CK+-style crop cut by the landmarks `analyzeImage` finds on `photo`: the square around the brows' top and the chin
 * and the jaw's width, times `tightness` (below 1 cuts chin and brows off), resized to 48×48 grayscale: the face
 * fills the frame, nothing around it. Returns the crop and the full photo's landmarks in the crop's pixels.
 */
async function landmarkCrop(photo: Buffer, tightness: number) {
  const full = ok(await analyzeImage(photo));
  const L = full.landmarks;
  const top = Math.min(...L.slice(17, 27).map((p) => p[1]));
  const bottom = L[8][1];
  const side = Math.round(Math.max(bottom - top, L[16][0] - L[0][0]) * tightness);
  const left = Math.round((L[0][0] + L[16][0]) / 2 - side / 2);
  const upper = Math.round((top + bottom) / 2 - side / 2);
  const crop = await sharp(photo).extract({ left, top: upper, width: side, height: side }).resize(48, 48).grayscale().png().toBuffer();
  const s = 48 / side;
  return { crop, expectedLandmarks: L.map(([x, y]) => [(x - left) * s, (y - upper) * s]) };
}

/** A box in a crop's own pixels lies inside the crop. */
function expectInsideCrop(box: Box, size: number): void {
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(size);
  expect(box.y + box.height).toBeLessThanOrEqual(size);
}

describe('padded canvas geometry (pure)', () => {
  it('upscales small images to the nets’ 112 px, pads by a fraction of the longer side, and maps back exactly', async () => {
    const img = { data: new Uint8Array(48 * 40 * 3).fill(90), width: 48, height: 40 };
    const c = await paddedCanvas(img, 0.5);
    expect(c.k).toBeCloseTo(PADDED_MIN_SIDE / 48, 6);
    expect(c.pad).toBe(56);
    expect([c.rgb.width, c.rgb.height]).toEqual([112 + 112, Math.round(40 * c.k) + 112]);
    // The padding is the image's mean grey (here: the image's own value).
    expect(Array.from(c.rgb.data.subarray(0, 3))).toEqual([90, 90, 90]);
    expect(frameToImage(c, [c.pad, c.pad])).toEqual([0, 0]);
    const [x, y] = frameToImage(c, [c.pad + 112, c.pad + 40 * c.k]);
    expect(x).toBeCloseTo(48, 6);
    expect(y).toBeCloseTo(40, 6);
    // A box reaching into the padding is clamped to the image.
    const back = boxToImage(c, { x: 10, y: c.pad + 10.5 * c.k, width: 200, height: 20 * c.k }, img);
    expect(back).toEqual({ x: 0, y: 10, width: 48, height: 21 });
    // Large images are not rescaled.
    const big = await paddedCanvas({ data: new Uint8Array(300 * 200 * 3), width: 300, height: 200 }, 0.25);
    expect([big.k, big.pad, big.rgb.width, big.rgb.height]).toEqual([1, 75, 450, 350]);
  });
});

describe('faces on 48×48 grayscale crops of real photos (face-api, wasm)', () => {
  beforeAll(async () => {
    await prepareAnalyzer();
  });

  it.each([
    ['astronaut.png, face box + 5 %', () => fs.readFileSync(ASTRONAUT), 0.05],
    ['astronaut.png, the face box itself', () => fs.readFileSync(ASTRONAUT), 0],
    ['face-api demo sample2.jpg (640 px), face box + 10 %', () => sharp(path.join(DEMO, 'sample2.jpg')).resize(640, 640, { fit: 'inside' }).jpeg().toBuffer(), 0.1],
  ])('%s: found, box and landmarks mapped back into the crop', async (_name, photo, margin) => {
    const { crop, expectedBox, expectedLandmarks } = await tightCrop(await photo(), margin);
    const r = ok(await analyzeImage(crop));
    expect([r.width, r.height]).toEqual([48, 48]);
    expect(r.faceFound).toBe(true);
    expect(['padded', 'whole-crop']).toContain(r.detection);
    // The box is in the crop's own pixels, inside it, and where the full photo's box falls.
    expectInsideCrop(r.box, 48);
    expect(iou(r.box, expectedBox)).toBeGreaterThan(0.6);
    for (const k of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(r.box[k] - expectedBox[k])).toBeLessThan(7);
    // Landmarks: within 1.5 px (3 % of the crop) of the full photo's, on average.
    const err = r.landmarks.reduce((s, [x, y], i) => s + Math.hypot(x - expectedLandmarks[i][0], y - expectedLandmarks[i][1]), 0) / 68;
    expect(err).toBeLessThan(1.5);
    expect(r.landmarks[36][1]).toBeLessThan(r.landmarks[57][1]);
    for (const [png] of [[r.crops.colorPng], [r.crops.grayPng]]) expect((await sharp(png).metadata()).width).toBe(112);
  });

  it.each([
    ['astronaut.png, brows to chin', () => fs.readFileSync(ASTRONAUT), 1],
    ['astronaut.png, 90 % of brows to chin (both cut)', () => fs.readFileSync(ASTRONAUT), 0.9],
    ['face-api demo sample3.jpg (640 px), brows to chin', () => sharp(path.join(DEMO, 'sample3.jpg')).resize(640, 640, { fit: 'inside' }).jpeg().toBuffer(), 1],
    ['face-api demo sample6.jpg (640 px), 90 % of brows to chin', () => sharp(path.join(DEMO, 'sample6.jpg')).resize(640, 640, { fit: 'inside' }).jpeg().toBuffer(), 0.9],
  ])('face fills the 48×48 frame (%s): found, its box the frame, landmarks mapped back', async (_name, photo, tightness) => {
    const { crop, expectedLandmarks } = await landmarkCrop(await photo(), tightness);
    const r = ok(await analyzeImage(crop));
    expect([r.width, r.height]).toEqual([48, 48]);
    expect(r.faceFound).toBe(true);
    expect(['padded', 'whole-crop']).toContain(r.detection);
    // The detector's box reaches past a crop that is all face; mapped back and clamped, it is (nearly) the whole crop.
    expectInsideCrop(r.box, 48);
    expect(r.box.width * r.box.height).toBeGreaterThan(0.8 * 48 * 48);
    const err = r.landmarks.reduce((s, [x, y], i) => s + Math.hypot(x - expectedLandmarks[i][0], y - expectedLandmarks[i][1]), 0) / 68;
    expect(err).toBeLessThan(1.5);
    expect(r.landmarks[36][1]).toBeLessThan(r.landmarks[57][1]);
  });

  it('non-faces stay not found: the whole image is the box and detection says none', async () => {
    for (const name of ['brick.png', 'grass.png']) {
      const crop = await sharp(path.join(SKIMAGE, name)).extract({ left: 100, top: 100, width: 160, height: 160 }).resize(48, 48).grayscale().png().toBuffer();
      const r = ok(await analyzeImage(crop));
      expect({ name, faceFound: r.faceFound, detection: r.detection }).toEqual({ name, faceFound: false, detection: 'none' });
      expect(r.box).toEqual({ x: 0, y: 0, width: 48, height: 48 });
      expect(r.landmarks).toHaveLength(68);
    }
  });

  it("the fused tiny detector gives face-api's detections: same count, boxes and scores", async () => {
    const { faceapi } = await loadFaceApi();
    for (const name of ['sample1.jpg', 'sample3.jpg']) {
      const { data, info } = await sharp(path.join(DEMO, name)).resize(640, 640, { fit: 'inside' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      const t = tf.tensor3d(Int32Array.from(data), [info.height, info.width, 3], 'int32');
      try {
        for (const inputSize of [160, 320, 416]) {
          const theirs = (await faceapi.detectAllFaces(t as never, new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold: 0.3 }))).sort((a, b) => b.score - a.score);
          const ours = await detectTinyFaces(faceapi, t, inputSize, 0.3);
          expect({ name, inputSize, n: ours.length }).toEqual({ name, inputSize, n: theirs.length });
          ours.forEach((d, i) => {
            expect(d.score).toBeCloseTo(theirs[i].score, 3);
            for (const k of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(d.box[k] - theirs[i].box[k])).toBeLessThan(0.05);
          });
        }
      } finally {
        t.dispose();
      }
    }
  });

  it("the folded recognition net gives face-api's descriptor", async () => {
    const { faceapi } = await loadFaceApi();
    // A non-square crop: face-api pads it centred before resizing to 150 px.
    const { data, info } = await sharp(ASTRONAUT).extract({ left: 150, top: 60, width: 140, height: 150 }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const t = tf.tensor3d(Int32Array.from(data), [info.height, info.width, 3], 'int32');
    try {
      const theirs = (await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(t as never)) as Float32Array;
      const ours = await faceDescriptor(faceapi, t);
      expect(ours).toHaveLength(128);
      const maxDiff = Math.max(...Array.from(ours, (v, i) => Math.abs(v - theirs[i])));
      expect(maxDiff).toBeLessThan(1e-4);
    } finally {
      t.dispose();
    }
  });

  it('descriptor: only when asked (training computes the ones it needs), the rest of the analysis the same', async () => {
    const bytes = fs.readFileSync(ASTRONAUT);
    const without = ok(await analyzeImage(bytes));
    expect(without.descriptor).toBeNull();
    expect(without.faceFound).toBe(true);
    const withIt = ok(await analyzeImage(bytes, { descriptor: true }));
    expect(withIt.descriptor).toHaveLength(128);
    expect({ ...withIt, descriptor: null, ms: 0 }).toEqual({ ...without, ms: 0 });
  });
});
