/**
 * The fast analysis path (fused detector with its input normalisation folded into the first conv, fused landmark and
 * expression nets, crops encoded while the expression net runs) against face-api's own nets step by step on the
 * same boxes: the same box, landmarks and expressions on the npm and Debian photos and on a 48×48 crop.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { alignedBox, analyzeImage, prepareAnalyzer, type FaceAnalysis } from '../../pipelines/vision/analyze';
import { boxToImage, clampBox, frameToImage, padScaled, scaledForPadding, PADDED_PASSES, PADDED_THRESHOLD, type Box } from '../../pipelines/vision/detect';
import { mapExpressions } from '../../pipelines/vision/expressions';
import { FACE_API_DIR, loadFaceApi } from '../../pipelines/vision/faceapi';
import type { Pt } from '../../pipelines/vision/geometry';
import { decodeRgb, type RgbImage } from '../../pipelines/vision/image';
import { tf } from '../../pipelines/runtime/backend';

const ASTRONAUT = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png';
const DEMO = path.join(FACE_API_DIR, 'demo');

jest.setTimeout(180_000);

function ok(r: Awaited<ReturnType<typeof analyzeImage>>): FaceAnalysis {
  if (!r.ok) throw new Error(`analysis failed: ${r.error}`);
  return r;
}

const demo640 = (name: string) => sharp(path.join(DEMO, name)).resize(640, 640, { fit: 'inside' }).jpeg({ quality: 90 }).toBuffer();

interface Reference {
  box: Box;
  landmarks: Pt[];
  expressions: Record<string, number>;
}

/**
 * face-api's detectAllFaces, detectLandmarks and predictExpressions, each on what the analysis gives its own net:
 * the image (or, for a crop, the first padded canvas), the detection box clamped to it, the landmarks' aligned box.
 */
async function faceApiReference(img: RgbImage, padded: boolean): Promise<Reference> {
  const { faceapi } = await loadFaceApi();
  const frame = padded ? padScaled(await scaledForPadding(img), PADDED_PASSES[0].pad) : { rgb: img, k: 1, pad: 0 };
  const t = tf.tensor3d(Int32Array.from(frame.rgb.data), [frame.rgb.height, frame.rgb.width, 3], 'int32');
  try {
    const options = padded
      ? new faceapi.TinyFaceDetectorOptions({ inputSize: PADDED_PASSES[0].inputSize, scoreThreshold: PADDED_THRESHOLD })
      : new faceapi.TinyFaceDetectorOptions({ inputSize: 320, scoreThreshold: 0.5 });
    const found = await faceapi.detectAllFaces(t as never, options);
    expect(found.length).toBeGreaterThan(0);
    const best = [...found].sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height)[0];
    const box = clampBox(best.box, frame.rgb);
    const crop = tf.slice3d(t, [box.y, box.x, 0], [box.height, box.width, 3]);
    const lm = (await faceapi.nets.faceLandmark68Net.detectLandmarks(crop as never)) as unknown as { positions: { x: number; y: number }[] };
    crop.dispose();
    const local = lm.positions.map((p): Pt => [p.x + box.x, p.y + box.y]);
    const a = clampBox(alignedBox(local), frame.rgb);
    const face = tf.slice3d(t, [a.y, a.x, 0], [a.height, a.width, 3]);
    const expressions = (await faceapi.nets.faceExpressionNet.predictExpressions(face as never)) as unknown as Record<string, number>;
    face.dispose();
    return {
      box: boxToImage(frame, box, img),
      landmarks: local.map((p) => frameToImage(frame, p)),
      expressions: mapExpressions(Object.fromEntries(Object.entries(expressions).filter(([, v]) => typeof v === 'number'))),
    };
  } finally {
    t.dispose();
  }
}

describe("the fast analysis path gives face-api's results (wasm)", () => {
  beforeAll(async () => {
    await prepareAnalyzer();
  });

  const cases: [string, () => Promise<Buffer>, boolean][] = [
    ['astronaut.png', async () => fs.readFileSync(ASTRONAUT), false],
    ...['sample1.jpg', 'sample2.jpg', 'sample3.jpg', 'sample4.jpg', 'sample5.jpg', 'sample6.jpg'].map((n): [string, () => Promise<Buffer>, boolean] => [`demo ${n} at 640 px`, () => demo640(n), false]),
    ['a 48×48 grayscale crop of astronaut.png (padded canvas)', () => sharp(ASTRONAUT).extract({ left: 160, top: 50, width: 120, height: 120 }).resize(48, 48).grayscale().png().toBuffer(), true],
  ];
  it.each(cases)('%s: same box, landmarks and expressions', async (_name, photo, padded) => {
    const bytes = await photo();
    const r = ok(await analyzeImage(bytes));
    expect(r.detection).toBe(padded ? 'padded' : 'direct');
    const ref = await faceApiReference(await decodeRgb(bytes, 1024), padded);
    // The analysis rounds boxes and landmarks to 0.1 px; float rounding of the nets stays far below that.
    for (const k of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(r.box[k] - ref.box[k])).toBeLessThanOrEqual(0.051);
    const lmDiff = Math.max(...r.landmarks.map(([x, y], i) => Math.max(Math.abs(x - ref.landmarks[i][0]), Math.abs(y - ref.landmarks[i][1]))));
    expect(lmDiff).toBeLessThanOrEqual(0.051);
    expect(Object.keys(r.expressions).sort()).toEqual(Object.keys(ref.expressions).sort());
    for (const [k, p] of Object.entries(r.expressions)) expect(Math.abs(p - ref.expressions[k])).toBeLessThan(1e-4);
  });

  it('two analyses of the same image are identical (nothing carried over between images)', async () => {
    const a = await demo640('sample2.jpg');
    const b = fs.readFileSync(ASTRONAUT);
    const first = ok(await analyzeImage(a));
    ok(await analyzeImage(b));
    const again = ok(await analyzeImage(a));
    expect({ ...again, ms: 0 }).toEqual({ ...first, ms: 0 });
  });
});
