/**
 * The policy's frozen expression features of one face: face-api's expression net's penultimate activations (the
 * 256 values its classifier reads) and its 7 probabilities, and the 68 landmarks normalised by the eyes (origin at
 * their midpoint, x along the eye line, unit = inter-ocular distance). One flat float32 vector per view of the face;
 * view 0 is the face as analysed, the others are the augmented views of EXPRESSION_VIEWS that training draws from.
 */
import { tf } from '../runtime/backend';
import type { FaceApi } from './faceapi';
import type { Box } from './detect';
import { EXPRESSION_VIEWS, type ExpressionView } from './expression-views';
import { EXPRESSION_TO_EMOTION } from './expressions';
import { FACE_API_EXPRESSIONS, faceExpressionsAndFeatures } from './face-processor';
import { toFaceFrame, type Pt } from './geometry';

export { DEFAULT_EXPRESSION_VIEWS, EXPRESSION_VIEWS } from './expression-views';

/** face-api's class order (FACE_EXPRESSION_LABELS), the order of the probabilities in the vector. */
export const EXPRESSION_NET_CLASSES = FACE_API_EXPRESSIONS;
export const PENULTIMATE_DIM = 256;
export const GEOMETRY_DIM = 136;
/** Layout of one view: [penultimate 256 | probabilities 7 | geometry 136]. */
export const EXPRESSION_FEATURE_DIM = PENULTIMATE_DIM + EXPRESSION_NET_CLASSES.length + GEOMETRY_DIM;

/** PolicyConfig.expressionPrior for these emotions: each one's probability position in the vector, −1 without a class. */
export function expressionPriorPositions(emotions: readonly string[]): number[] {
  return emotions.map((e) => {
    const i = EXPRESSION_NET_CLASSES.findIndex((c) => EXPRESSION_TO_EMOTION[c] === e);
    return i < 0 ? -1 : PENULTIMATE_DIM + i;
  });
}

export interface ExpressionFeatures {
  penultimate: Float32Array;
  probabilities: Float32Array;
  geometry: Float32Array;
}

/**
 * The 68-point mirror permutation: index i of a mirrored face is point MIRROR_68[i] of the original (jaw, brows,
 * nose wings, eyes and lips swap sides; the midline stays).
 */
export const MIRROR_68: readonly number[] = (() => {
  const m = [...Array(68).keys()];
  const swap = (a: number, b: number) => {
    m[a] = b;
    m[b] = a;
  };
  for (let i = 0; i < 8; i++) swap(i, 16 - i);
  for (let i = 0; i < 5; i++) swap(17 + i, 26 - i);
  swap(31, 35);
  swap(32, 34);
  [[36, 45], [37, 44], [38, 43], [39, 42], [40, 47], [41, 46]].forEach(([a, b]) => swap(a, b));
  [[48, 54], [49, 53], [50, 52], [55, 59], [56, 58], [60, 64], [61, 63], [65, 67]].forEach(([a, b]) => swap(a, b));
  return m;
})();

/** The landmarks of the horizontally mirrored image (width pixels wide), in the same point order. */
export function mirrorLandmarks(landmarks: readonly Pt[], width: number): Pt[] {
  if (landmarks.length !== 68) throw new Error(`mirrorLandmarks: ${landmarks.length} landmarks, expected 68`);
  return MIRROR_68.map((j): Pt => [width - landmarks[j][0], landmarks[j][1]]);
}

/** 68 landmarks → 136 values (x0, y0, x1, …) in the face frame (geometry.ts toFaceFrame); zeros when degenerate. */
export function landmarkGeometry(landmarks: readonly Pt[]): Float32Array {
  const out = new Float32Array(GEOMETRY_DIM);
  if (landmarks.length !== 68) return out;
  let points: Pt[];
  try {
    points = toFaceFrame([...landmarks]).points;
  } catch {
    return out;
  }
  points.forEach(([x, y], i) => {
    out[2 * i] = x;
    out[2 * i + 1] = y;
  });
  return out;
}

/** The geometry of the mirrored face from the geometry of the face (x negated, sides swapped). */
export function mirrorGeometry(g: Float32Array): Float32Array {
  const out = new Float32Array(GEOMETRY_DIM);
  MIRROR_68.forEach((j, i) => {
    out[2 * i] = -g[2 * j] || 0;
    out[2 * i + 1] = g[2 * j + 1];
  });
  return out;
}

export function encodeExpressionFeatures(f: ExpressionFeatures): Float32Array {
  if (f.penultimate.length !== PENULTIMATE_DIM || f.probabilities.length !== EXPRESSION_NET_CLASSES.length || f.geometry.length !== GEOMETRY_DIM) {
    throw new Error(`expression features: ${f.penultimate.length}/${f.probabilities.length}/${f.geometry.length} values, expected ${PENULTIMATE_DIM}/${EXPRESSION_NET_CLASSES.length}/${GEOMETRY_DIM}`);
  }
  const out = new Float32Array(EXPRESSION_FEATURE_DIM);
  out.set(f.penultimate, 0);
  out.set(f.probabilities, PENULTIMATE_DIM);
  out.set(f.geometry, PENULTIMATE_DIM + EXPRESSION_NET_CLASSES.length);
  return out;
}

export function decodeExpressionFeatures(v: Float32Array): ExpressionFeatures {
  if (v.length !== EXPRESSION_FEATURE_DIM) throw new Error(`expression features: ${v.length} values, expected ${EXPRESSION_FEATURE_DIM}`);
  const p = PENULTIMATE_DIM + EXPRESSION_NET_CLASSES.length;
  return { penultimate: v.slice(0, PENULTIMATE_DIM), probabilities: v.slice(PENULTIMATE_DIM, p), geometry: v.slice(p) };
}

interface ExpressionNetInternals {
  faceFeatureExtractor: { forwardInput(input: unknown): tf.Tensor };
  runNet(input: unknown): tf.Tensor2D;
}

/**
 * The expression net on a batch of face crops (H×W×3, 0–255): the penultimate activations and the probabilities
 * per face, from one pass (face-api's predictExpressions is softmax(fc(features)), the same ops).
 */
export async function expressionNetOutputs(faceapi: FaceApi, faces: tf.Tensor3D[]): Promise<{ penultimate: Float32Array; probabilities: Float32Array }[]> {
  const net = faceapi.nets.faceExpressionNet as unknown as ExpressionNetInternals;
  const input = await faceapi.toNetInput(faces.length === 1 ? (faces[0] as never) : (faces as never));
  const [feat, probs] = tf.tidy(() => {
    const f = net.faceFeatureExtractor.forwardInput(input);
    const flat = f.reshape([faces.length, -1]) as tf.Tensor2D;
    return [flat, tf.softmax(net.runNet(f))];
  });
  try {
    const [fv, pv] = await Promise.all([feat.data(), probs.data()]);
    const P = fv.length / faces.length;
    if (P !== PENULTIMATE_DIM) throw new Error(`expression net: ${P} penultimate values, expected ${PENULTIMATE_DIM}`);
    const C = EXPRESSION_NET_CLASSES.length;
    return faces.map((_, b) => ({
      penultimate: Float32Array.from(fv.subarray(b * P, (b + 1) * P)),
      probabilities: Float32Array.from(pv.subarray(b * C, (b + 1) * C)),
    }));
  } finally {
    tf.dispose([feat, probs]);
  }
}

/** One view's crop of the frame: the box scaled about its centre (clamped), mirrored, rotated, gain and bias. */
function viewCrop(frame: tf.Tensor3D, box: Box, v: ExpressionView): tf.Tensor3D {
  return tf.tidy(() => {
    const [H, W] = frame.shape;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const x0 = Math.max(0, Math.round(cx - (box.width * v.scale) / 2));
    const y0 = Math.max(0, Math.round(cy - (box.height * v.scale) / 2));
    const x1 = Math.min(W, Math.round(cx + (box.width * v.scale) / 2));
    const y1 = Math.min(H, Math.round(cy + (box.height * v.scale) / 2));
    let x = tf.cast(tf.slice3d(frame, [y0, x0, 0], [Math.max(1, y1 - y0), Math.max(1, x1 - x0), 3]), 'float32').expandDims(0) as tf.Tensor4D;
    if (v.flip) x = tf.image.flipLeftRight(x);
    if (v.degrees !== 0) x = tf.image.rotateWithOffset(x, (v.degrees * Math.PI) / 180, 0);
    if (v.gain !== 1 || v.bias !== 0) x = tf.clipByValue(tf.add(tf.mul(x, v.gain), v.bias), 0, 255) as tf.Tensor4D;
    return x.squeeze([0]) as tf.Tensor3D;
  });
}

/**
 * The feature vectors of views `from`…count−1 of EXPRESSION_VIEWS (view 0 is the analysed face, computed by the
 * caller), in one batched pass of the expression net. `box` is the expression net's face box in `frame` pixels,
 * `landmarks` the face's landmarks in the same pixels.
 */
export async function augmentedViews(faceapi: FaceApi, frame: tf.Tensor3D, box: Box, landmarks: readonly Pt[], count: number, from = 1): Promise<Float32Array[]> {
  const views = EXPRESSION_VIEWS.slice(from, Math.min(count, EXPRESSION_VIEWS.length));
  if (views.length === 0) return [];
  const crops = views.map((v) => viewCrop(frame, box, v));
  try {
    const outs = await expressionNetOutputs(faceapi, crops);
    const g = landmarkGeometry(landmarks);
    const mirrored = mirrorGeometry(g);
    // rotation and scale leave the eye-normalised geometry unchanged; the mirror swaps its sides
    return outs.map((o, i) => encodeExpressionFeatures({ ...o, geometry: views[i].flip ? mirrored : g }));
  } finally {
    tf.dispose(crops);
  }
}

/** View 1 is what the fused net reads beside the face: the same crop mirrored, nothing else changed. */
const FUSED_MIRROR = ((v: ExpressionView) => v.flip && v.degrees === 0 && v.scale === 1 && v.gain === 1 && v.bias === 0)(EXPRESSION_VIEWS[1]);

/**
 * What analysis keeps of the expression net for one face: its probabilities (face-api's class names) and the feature
 * vectors of the first `viewCount` views (view 0 from `face`, the crop the net reads, with view 1, its mirror, in
 * the same batch; the rest from `frame`).
 */
export async function faceExpressionFeatures(
  faceapi: FaceApi,
  input: { frame: tf.Tensor3D; face: tf.Tensor3D; box: Box; landmarks: readonly Pt[] },
  viewCount: number,
): Promise<{ expressions: Record<string, number>; views: Float32Array[] }> {
  // Views 0 and 1 through the fused net (face-processor.ts): the same outputs as face-api's within float rounding, for less time.
  const readings = await faceExpressionsAndFeatures(faceapi, input.face, { mirror: viewCount > 1 && FUSED_MIRROR });
  const geometry = landmarkGeometry(input.landmarks);
  const fused = readings.map((r, i) =>
    encodeExpressionFeatures({
      penultimate: r.features,
      probabilities: Float32Array.from(EXPRESSION_NET_CLASSES, (c) => r.expressions[c]),
      geometry: i === 0 ? geometry : mirrorGeometry(geometry),
    }),
  );
  const rest = viewCount > fused.length ? await augmentedViews(faceapi, input.frame, input.box, input.landmarks, viewCount, fused.length) : [];
  return { expressions: readings[0].expressions, views: [...fused, ...rest] };
}
