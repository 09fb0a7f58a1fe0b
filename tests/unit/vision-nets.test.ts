/**
 * The faster analysis gives the same results: fused landmark and expression nets against face-api's own, one decode
 * instead of header + decode, padded canvases scaled once, no tensors left behind, the descriptor only when asked.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { analyzeImage, prepareAnalyzer, type FaceAnalysis } from '../../pipelines/vision/analyze';
import { findFace, paddedCanvas, padScaled, scaledForPadding } from '../../pipelines/vision/detect';
import { faceExpressions, faceExpressionsAndFeatures, faceLandmarks68 } from '../../pipelines/vision/face-processor';
import { FACE_API_DIR, loadFaceApi } from '../../pipelines/vision/faceapi';
import { decodeImage, decodeRgb, ImageRejected, probeImage, type RgbImage } from '../../pipelines/vision/image';
import { tf } from '../../pipelines/runtime/backend';
import { pngHeaderOnly } from '../support/png';

const ASTRONAUT = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png';
const DEMO = path.join(FACE_API_DIR, 'demo');

jest.setTimeout(120_000);

function ok(r: Awaited<ReturnType<typeof analyzeImage>>): FaceAnalysis {
  if (!r.ok) throw new Error(`analysis failed: ${r.error}`);
  return r;
}

const demo640 = (name: string) => sharp(path.join(DEMO, name)).resize(640, 640, { fit: 'inside' }).jpeg({ quality: 90 }).toBuffer();
/** A 48×48 grayscale crop around the astronaut's face, like FER2013's. */
const astronaut48 = () => sharp(ASTRONAUT).extract({ left: 160, top: 50, width: 120, height: 120 }).resize(48, 48).grayscale().png().toBuffer();

/** The face as the analysis finds it (the frame: image or padded canvas) and its detection box, as a tensor. */
async function faceOn(bytes: Buffer): Promise<{ crop: tf.Tensor3D; dispose: () => void }> {
  const { faceapi } = await loadFaceApi();
  const found = await findFace(faceapi, await decodeRgb(bytes, 1024));
  const b = found.box;
  const crop = tf.slice3d(found.frame.tensor, [b.y, b.x, 0], [b.height, b.width, 3]);
  return { crop, dispose: () => tf.dispose([crop, found.frame.tensor]) };
}

describe('fused face nets (face-api weights, wasm)', () => {
  beforeAll(async () => {
    await prepareAnalyzer();
  });

  it.each([
    ['astronaut.png', async () => fs.readFileSync(ASTRONAUT)],
    ['demo sample2.jpg at 640 px', () => demo640('sample2.jpg')],
    ['demo sample5.jpg at 640 px', () => demo640('sample5.jpg')],
    ['a 48×48 crop (padded canvas)', astronaut48],
  ])("%s: the same landmarks and expressions as face-api's detectLandmarks and predictExpressions", async (_name, photo) => {
    const { faceapi } = await loadFaceApi();
    const { crop, dispose } = await faceOn(await photo());
    try {
      const theirs = (await faceapi.nets.faceLandmark68Net.detectLandmarks(crop as never)) as unknown as { positions: { x: number; y: number }[] };
      const ours = await faceLandmarks68(faceapi, crop);
      expect(ours).toHaveLength(68);
      const lmDiff = Math.max(...ours.map(([x, y], i) => Math.max(Math.abs(x - theirs.positions[i].x), Math.abs(y - theirs.positions[i].y))));
      // Pixels of a crop up to a few hundred wide: float32 rounding of a 0–1 fraction times its size.
      expect(lmDiff).toBeLessThan(1e-3);
      const theirExpr = (await faceapi.nets.faceExpressionNet.predictExpressions(crop as never)) as unknown as Record<string, number>;
      const ourExpr = await faceExpressions(faceapi, crop);
      expect(Object.keys(ourExpr).sort()).toEqual(['angry', 'disgusted', 'fearful', 'happy', 'neutral', 'sad', 'surprised']);
      for (const [k, p] of Object.entries(ourExpr)) expect(Math.abs(p - theirExpr[k])).toBeLessThan(1e-4);
      // The penultimate features from the same pass: face-api's feature extractor output, and the same probabilities.
      const [both] = await faceExpressionsAndFeatures(faceapi, crop);
      expect(both.expressions).toEqual(ourExpr);
      const featuresOf = async (input: tf.Tensor3D) => {
        const t = (await faceapi.nets.faceExpressionNet.faceFeatureExtractor.forward(input as never)) as unknown as tf.Tensor;
        const v = (await t.data()) as Float32Array;
        t.dispose();
        return v;
      };
      const tf256 = await featuresOf(crop);
      expect(both.features).toHaveLength(256);
      expect(Math.max(...Array.from(both.features, (v, i) => Math.abs(v - tf256[i])))).toBeLessThan(1e-4);
      // With the mirror in the same batch: the face's reading unchanged, the mirror's what face-api reads of the mirrored crop.
      const [face, mirror] = await faceExpressionsAndFeatures(faceapi, crop, { mirror: true });
      expect(Math.max(...Array.from(face.features, (v, i) => Math.abs(v - both.features[i])))).toBeLessThan(1e-4);
      const mirrored = tf.reverse(crop, 1) as tf.Tensor3D;
      const theirMirror = await featuresOf(mirrored);
      const theirMirrorExpr = (await faceapi.nets.faceExpressionNet.predictExpressions(mirrored as never)) as unknown as Record<string, number>;
      mirrored.dispose();
      expect(Math.max(...Array.from(mirror.features, (v, i) => Math.abs(v - theirMirror[i])))).toBeLessThan(1e-4);
      for (const [k, p] of Object.entries(mirror.expressions)) expect(Math.abs(p - theirMirrorExpr[k])).toBeLessThan(1e-4);
    } finally {
      dispose();
    }
  });

  it('analysis leaves no tensors behind (photos, a tight crop, a non-face, with and without the descriptor)', async () => {
    const images = [fs.readFileSync(ASTRONAUT), await demo640('sample1.jpg'), await astronaut48(), await sharp(path.join('/usr/lib/python3/dist-packages/skimage/data', 'brick.png')).resize(48, 48).png().toBuffer()];
    // Warm-up: the recognition net's folded weights are made once and kept.
    for (const b of images) ok(await analyzeImage(b, { descriptor: true }));
    const before = tf.memory().numTensors;
    for (const descriptor of [false, true]) for (const b of images) ok(await analyzeImage(b, { descriptor }));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the descriptor is computed only when asked, and asking changes nothing else', async () => {
    for (const bytes of [await demo640('sample3.jpg'), await astronaut48()]) {
      const plain = ok(await analyzeImage(bytes));
      expect(plain.descriptor).toBeNull();
      const withIt = ok(await analyzeImage(bytes, { descriptor: true }));
      expect(withIt.descriptor).toHaveLength(128);
      expect({ ...withIt, descriptor: null, ms: 0 }).toEqual({ ...plain, ms: 0 });
    }
  });
});

describe('one decode', () => {
  const both = async (bytes: Buffer, maxSide: number) => {
    const probed = await probeImage(bytes);
    return { probed: { width: probed.width, height: probed.height }, img: await decodeRgb(bytes, maxSide) };
  };

  it('gives what probing the header and decoding give: small images, images scaled down, EXIF-rotated ones', async () => {
    const rotated = await sharp(ASTRONAUT).resize(300, 200, { fit: 'fill' }).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    for (const [bytes, maxSide] of [[fs.readFileSync(ASTRONAUT), 1024], [fs.readFileSync(ASTRONAUT), 256], [fs.readFileSync(ASTRONAUT), 512], [rotated, 1024], [rotated, 250]] as const) {
      const got = await decodeImage(bytes, maxSide);
      const want = await both(bytes, maxSide);
      expect(got.probed).toEqual(want.probed);
      expect([got.img.width, got.img.height]).toEqual([want.img.width, want.img.height]);
      expect(Buffer.compare(Buffer.from(got.img.data), Buffer.from(want.img.data))).toBe(0);
    }
    expect((await decodeImage(rotated, 1024)).probed).toEqual({ width: 200, height: 300 });
  });

  it('refuses as before: too large from the header, undecodable bytes', async () => {
    await expect(decodeImage(pngHeaderOnly(50_000, 50_000), 1024)).rejects.toMatchObject({ code: 'too_large', message: expect.stringMatching(/^image is 50000×50000/) });
    const bad = decodeImage(Buffer.from('\xff\xd8 not a jpeg'), 1024);
    await expect(bad).rejects.toBeInstanceOf(ImageRejected);
    await expect(bad).rejects.toMatchObject({ code: 'undecodable', message: expect.stringMatching(/^cannot read image header/) });
  });
});

describe('padded canvases', () => {
  it('are the scaled crop padded with its mean grey, as sharp would extend it, scaled once for every pass', async () => {
    const { data, info } = await sharp(await astronaut48()).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    const img: RgbImage = { data: new Uint8Array(data), width: info.width, height: info.height };
    const scaled = await scaledForPadding(img);
    for (const pad of [0.15, 0.35, 0.5]) {
      const ours = padScaled(scaled, pad);
      expect(await paddedCanvas(img, pad)).toEqual(ours);
      const extended = await sharp(Buffer.from(scaled.rgb.data), { raw: { width: scaled.rgb.width, height: scaled.rgb.height, channels: 3 } })
        .extend({ top: ours.pad, bottom: ours.pad, left: ours.pad, right: ours.pad, background: { r: scaled.grey, g: scaled.grey, b: scaled.grey } })
        .raw()
        .toBuffer();
      expect(Buffer.compare(Buffer.from(ours.rgb.data), extended)).toBe(0);
    }
  });
});
