/**
 * One image → face box, 68 landmarks, expressions, descriptor, eye-aligned crops, AU estimates and a perceptual hash.
 * Pure: bytes in, plain data out (no database, no files). Runs inside a worker thread (see analyze-worker.ts).
 */
import { tf } from '../runtime/backend';
import { alignedCrops, type AlignedCrops } from './align';
import { estimateAUs, type AUEstimates, type Reference } from './au-estimates';
import { boxToImage, clampBox, findFace, frameToImage, type Box, type DetectionMode, type Frame } from './detect';
import { loadFaceApi, type FaceApi } from './faceapi';
import { mapExpressions } from './expressions';
import { DEFAULT_EXPRESSION_VIEWS, faceExpressionFeatures } from './expression-features';
import { faceLandmarks68 } from './face-processor';
import { decodeImage, grayThumb, ImageRejected, DEFAULT_PIXEL_LIMIT, type RgbImage } from './image';
import { phashFromGray32 } from './phash';
import { faceDescriptor } from './recognition';
import type { Pt } from './geometry';

export interface AnalyzeOptions {
  /** Refuse images with more pixels than this, from the header, before decoding. */
  pixelLimit?: number;
  /** The subject's neutral geometry, when one is known (see baselineFromLandmarks). */
  baseline?: Reference | null;
  /** Longest side the image is scaled to for detection and landmarks; coordinates are reported in original pixels. */
  workingSize?: number;
  /**
   * Force a single direct detector pass at this input size (multiple of 32), with no padded or whole-crop passes.
   * Default: the passes of detect.ts (320, 224, 416 on the image, then padded canvases).
   */
  inputSize?: number;
  /** Score threshold of the direct passes (default 0.5). */
  scoreThreshold?: number;
  /**
   * Compute face-api's 128-d recognition descriptor (default false). It is the most expensive net after the
   * detector and only the policy's frozen image feature reads it (analyses.descriptor), so it is computed when
   * asked: `fea analyze --descriptor`, or by training for the records it needs (services/analysis/descriptors.ts).
   */
  descriptor?: boolean;
  /** Expression feature views to compute (expression-features.ts EXPRESSION_VIEWS; default DEFAULT_EXPRESSION_VIEWS). */
  expressionViews?: number;
}

export type { Box, DetectionMode } from './detect';

export interface FaceAnalysis {
  ok: true;
  width: number;
  height: number;
  /** False when the detector found nothing and the whole image was used as the face. */
  faceFound: boolean;
  /** How the face was found: on the image, on a padded canvas (tight crops), as the whole crop, or 'none'. */
  detection: DetectionMode;
  /** How many faces the detector saw; the largest one is analysed. */
  facesDetected: number;
  detectionScore: number | null;
  box: Box;
  landmarks: [number, number][];
  /** face-api's probabilities mapped to vocabulary labels (happiness, sadness, …). */
  expressions: Record<string, number>;
  /** Null unless options.descriptor is true. */
  descriptor: Float32Array | null;
  /** The policy's frozen expression features, one vector per view (expression-features.ts). */
  expressionFeatures: Float32Array[];
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
    ({ probed, img } = await decodeImage(bytes, options.workingSize ?? 1024, pixelLimit));
  } catch (err) {
    if (err instanceof ImageRejected) return { ok: false, code: err.code, error: err.message, backend };
    throw err;
  }
  try {
    const scale = probed.width / img.width;
    // The hash's thumbnail is sharp's work on its own thread: started first, it overlaps the nets on this one.
    const grayPending = grayThumb(img, 32);
    grayPending.catch(() => undefined);
    const face = await analyzeDecoded(faceapi, img, options);
    const toOrig = (p: Pt): [number, number] => {
      const [x, y] = frameToImage(face.frame, p);
      return [round1(x * scale), round1(y * scale)];
    };
    const box = boxToImage(face.frame, face.box, img);
    const landmarks = face.landmarks.map(toOrig);
    const [crops, gray] = await Promise.all([face.crops, grayPending]);
    return {
      ok: true,
      width: probed.width,
      height: probed.height,
      faceFound: face.detection !== 'none',
      detection: face.detection,
      facesDetected: face.facesDetected,
      detectionScore: face.detectionScore,
      box: {
        x: round1(box.x * scale),
        y: round1(box.y * scale),
        width: round1(box.width * scale),
        height: round1(box.height * scale),
      },
      landmarks,
      expressions: face.expressions,
      descriptor: face.descriptor,
      expressionFeatures: face.expressionFeatures,
      crops,
      // Landmarks in image pixels (not the canvas'): the AU measures are in inter-ocular units, so the size does not matter.
      auEstimates: estimateAUs(landmarks, options.baseline),
      phash: phashFromGray32(gray),
      backend,
      ms: Math.round(performance.now() - t0),
    };
  } catch (err) {
    return { ok: false, code: 'error', error: err instanceof Error ? err.message : String(err), backend, width: probed.width, height: probed.height };
  }
}

interface DecodedFace {
  /** Where the face was found; box and landmarks are in its pixels. */
  frame: Pick<Frame, 'rgb' | 'k' | 'pad'>;
  detection: DetectionMode;
  facesDetected: number;
  detectionScore: number | null;
  box: Box;
  landmarks: Pt[];
  expressions: Record<string, number>;
  descriptor: Float32Array | null;
  expressionFeatures: Float32Array[];
  crops: Promise<AlignedCrops>;
}

async function analyzeDecoded(faceapi: FaceApi, img: RgbImage, options: AnalyzeOptions): Promise<DecodedFace> {
  const found = await findFace(faceapi, img, { inputSize: options.inputSize, scoreThreshold: options.scoreThreshold });
  const { frame, box } = found;
  try {
    const landmarks = await landmarksIn(faceapi, frame.tensor, box);
    // Crops from the frame (a padded, upscaled canvas gives tight crops context and pixels for the 112 px warp),
    // started before the expression net: their PNGs encode on sharp's threads while the net runs on this one.
    const crops = alignedCrops(frame.rgb, landmarks);
    crops.catch(() => undefined);
    const aligned = clampBox(alignedBox(landmarks), frame.rgb);
    // The expression and recognition nets read the same face tensor (each resizes it to its own input).
    const faceTensor = tf.slice3d(frame.tensor, [aligned.y, aligned.x, 0], [aligned.height, aligned.width, 3]);
    try {
      const expr = await faceExpressionFeatures(faceapi, { frame: frame.tensor, face: faceTensor, box: aligned, landmarks }, options.expressionViews ?? DEFAULT_EXPRESSION_VIEWS);
      const descriptor = options.descriptor === true ? await faceDescriptor(faceapi, faceTensor) : null;
      return {
        frame: { rgb: frame.rgb, k: frame.k, pad: frame.pad },
        detection: found.detection,
        facesDetected: found.facesDetected,
        detectionScore: found.score === null ? null : Math.round(found.score * 1000) / 1000,
        box,
        landmarks,
        expressions: mapExpressions(expr.expressions),
        descriptor,
        expressionFeatures: expr.views,
        crops,
      };
    } finally {
      faceTensor.dispose();
    }
  } finally {
    frame.tensor.dispose();
  }
}

async function landmarksIn(faceapi: FaceApi, input: tf.Tensor3D, box: Box): Promise<Pt[]> {
  const crop = tf.slice3d(input, [box.y, box.x, 0], [box.height, box.width, 3]);
  try {
    return (await faceLandmarks68(faceapi, crop)).map(([x, y]): Pt => [x + box.x, y + box.y]);
  } finally {
    crop.dispose();
  }
}

/** face-api's own alignment box for the expression and recognition nets: landmarks' bounding box, padded 10% each side. */
export function alignedBox(landmarks: Pt[]): Box {
  const xs = landmarks.map((p) => p[0]);
  const ys = landmarks.map((p) => p[1]);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  const w = Math.max(...xs) - x;
  const h = Math.max(...ys) - y;
  return { x: x - w * 0.1, y: y - h * 0.1, width: w * 1.2, height: h * 1.2 };
}
