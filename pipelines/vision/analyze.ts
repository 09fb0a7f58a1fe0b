/**
 * One image → face box, 68 landmarks, expressions, descriptor, eye-aligned crops, AU estimates and a perceptual hash.
 * Pure: bytes in, plain data out (no database, no files). Runs inside a worker thread (see analyze-worker.ts).
 */
import { tf } from '../runtime/backend';
import { alignedCrops } from './align';
import { estimateAUs, type AUEstimates, type Reference } from './au-estimates';
import { loadFaceApi, type FaceApi } from './faceapi';
import { mapExpressions } from './expressions';
import { decodeRgb, grayThumb, ImageRejected, probeImage, DEFAULT_PIXEL_LIMIT, type RgbImage } from './image';
import { phashFromGray32 } from './phash';
import type { Pt } from './geometry';

export interface AnalyzeOptions {
  /** Refuse images with more pixels than this, from the header, before decoding. */
  pixelLimit?: number;
  /** The subject's neutral geometry, when one is known (see baselineFromLandmarks). */
  baseline?: Reference | null;
  /** Longest side the image is scaled to for detection and landmarks; coordinates are reported in original pixels. */
  workingSize?: number;
  /** Tiny detector input size (multiple of 32). Default: 416, then 224 when 416 finds nothing. */
  inputSize?: number;
  scoreThreshold?: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FaceAnalysis {
  ok: true;
  width: number;
  height: number;
  /** False when the detector found nothing and the whole image was used as the face. */
  faceFound: boolean;
  /** How many faces the detector saw; the largest one is analysed. */
  facesDetected: number;
  detectionScore: number | null;
  box: Box;
  landmarks: [number, number][];
  /** face-api's probabilities mapped to vocabulary labels (happiness, sadness, …). */
  expressions: Record<string, number>;
  descriptor: Float32Array;
  crops: { size: number; grayPng: Uint8Array; colorPng: Uint8Array };
  auEstimates: AUEstimates;
  phash: string;
  backend: string;
  ms: number;
}

export interface FailedAnalysis {
  ok: false;
  code: 'undecodable' | 'too_large' | 'error';
  error: string;
  backend: string;
  width?: number;
  height?: number;
}

export type AnalysisResult = FaceAnalysis | FailedAnalysis;

/** Loads the backend and face-api nets; returns the backend name. */
export async function prepareAnalyzer(): Promise<string> {
  return (await loadFaceApi()).backend;
}

const round1 = (v: number) => Math.round(v * 10) / 10;

// the perceptual hash alone lives beside the pixel hash, without the face-api import
export { imagePhash } from './image-hashes';

export async function analyzeImage(bytes: Uint8Array, options: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const t0 = performance.now();
  const { faceapi, backend } = await loadFaceApi();
  const pixelLimit = options.pixelLimit ?? DEFAULT_PIXEL_LIMIT;
  let probed: { width: number; height: number };
  let img: RgbImage;
  try {
    probed = await probeImage(bytes, pixelLimit);
    img = await decodeRgb(bytes, options.workingSize ?? 1024, pixelLimit);
  } catch (err) {
    if (err instanceof ImageRejected) return { ok: false, code: err.code, error: err.message, backend };
    throw err;
  }
  try {
    const scale = probed.width / img.width;
    const face = await analyzeDecoded(faceapi, img, options);
    const toOrig = ([x, y]: Pt): [number, number] => [round1(x * scale), round1(y * scale)];
    const [crops, gray] = await Promise.all([alignedCrops(img, face.landmarks), grayThumb(img, 32)]);
    return {
      ok: true,
      width: probed.width,
      height: probed.height,
      faceFound: face.faceFound,
      facesDetected: face.facesDetected,
      detectionScore: face.detectionScore,
      box: {
        x: round1(face.box.x * scale),
        y: round1(face.box.y * scale),
        width: round1(face.box.width * scale),
        height: round1(face.box.height * scale),
      },
      landmarks: face.landmarks.map(toOrig),
      expressions: face.expressions,
      descriptor: face.descriptor,
      crops,
      auEstimates: estimateAUs(face.landmarks, options.baseline),
      phash: phashFromGray32(gray),
      backend,
      ms: Math.round(performance.now() - t0),
    };
  } catch (err) {
    return { ok: false, code: 'error', error: err instanceof Error ? err.message : String(err), backend, width: probed.width, height: probed.height };
  }
}

interface DecodedFace {
  faceFound: boolean;
  facesDetected: number;
  detectionScore: number | null;
  box: Box;
  landmarks: Pt[];
  expressions: Record<string, number>;
  descriptor: Float32Array;
}

async function analyzeDecoded(faceapi: FaceApi, img: RgbImage, options: AnalyzeOptions): Promise<DecodedFace> {
  const input = tf.tensor3d(Int32Array.from(img.data), [img.height, img.width, 3], 'int32');
  try {
    const detect = (inputSize: number) =>
      faceapi.detectAllFaces(input as never, new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold: options.scoreThreshold ?? 0.5 }));
    let detections = await detect(options.inputSize ?? 416);
    // Close-ups fill the frame, larger than the detector's anchors at 416: a second, coarser pass often finds them.
    if (detections.length === 0 && options.inputSize === undefined) detections = await detect(224);
    // Several faces (group photos): the largest is the subject.
    const best = [...detections].sort((a, b) => b.box.area - a.box.area)[0];
    const box: Box = best
      ? clampBox({ x: best.box.x, y: best.box.y, width: best.box.width, height: best.box.height }, img)
      : { x: 0, y: 0, width: img.width, height: img.height };

    const landmarks = await landmarksIn(faceapi, input, box);
    const aligned = clampBox(alignedBox(landmarks), img);
    const faceTensor = tf.slice3d(input as tf.Tensor3D, [aligned.y, aligned.x, 0], [aligned.height, aligned.width, 3]);
    try {
      const expr = (await faceapi.nets.faceExpressionNet.predictExpressions(faceTensor as never)) as unknown as Record<string, number>;
      const descriptor = (await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(faceTensor as never)) as Float32Array;
      return {
        faceFound: !!best,
        facesDetected: detections.length,
        detectionScore: best ? Math.round(best.score * 1000) / 1000 : null,
        box,
        landmarks,
        expressions: mapExpressions({ ...expr }),
        descriptor: Float32Array.from(descriptor),
      };
    } finally {
      faceTensor.dispose();
    }
  } finally {
    input.dispose();
  }
}

function clampBox(b: Box, img: { width: number; height: number }): Box {
  const x = Math.max(0, Math.floor(b.x));
  const y = Math.max(0, Math.floor(b.y));
  const x2 = Math.min(img.width, Math.ceil(b.x + b.width));
  const y2 = Math.min(img.height, Math.ceil(b.y + b.height));
  return { x, y, width: Math.max(1, x2 - x), height: Math.max(1, y2 - y) };
}

async function landmarksIn(faceapi: FaceApi, input: tf.Tensor3D, box: Box): Promise<Pt[]> {
  const crop = tf.slice3d(input, [box.y, box.x, 0], [box.height, box.width, 3]);
  try {
    const lm = (await faceapi.nets.faceLandmark68Net.detectLandmarks(crop as never)) as unknown as { positions: { x: number; y: number }[] };
    return lm.positions.map((p): Pt => [p.x + box.x, p.y + box.y]);
  } finally {
    crop.dispose();
  }
}

/** face-api's own alignment box for the expression and recognition nets: landmarks' bounding box, padded 10% each side. */
function alignedBox(landmarks: Pt[]): Box {
  const xs = landmarks.map((p) => p[0]);
  const ys = landmarks.map((p) => p[1]);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  const w = Math.max(...xs) - x;
  const h = Math.max(...ys) - y;
  return { x: x - w * 0.1, y: y - h * 0.1, width: w * 1.2, height: h * 1.2 };
}
