/**
 * Finding the face: the tiny detector on the image itself, then on padded, upscaled canvases for tight crops
 * (a face that fills the frame is larger than the detector's anchors and has no context around it), then,
 * when the crop itself is the face, a weak detection that covers most of it.
 * Measurements behind the passes and thresholds: AU-ESTIMATES.md §6.
 */
import sharp from 'sharp';
import { tf } from '../runtime/backend';
import type { FaceApi } from './faceapi';
import type { RgbImage } from './image';
import { detectTinyFaces } from './tiny-face';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** How the face was found: on the image, on a padded canvas, as the whole crop, or not at all (whole image used). */
export type DetectionMode = 'direct' | 'padded' | 'whole-crop' | 'none';

export interface FindFaceOptions {
  /** Force one direct pass at this tiny-detector input size (multiple of 32), and nothing else. */
  inputSize?: number;
  /** Score threshold of the direct passes. */
  scoreThreshold?: number;
}

/**
 * The image the face was found on: the decoded image itself, or a canvas holding it scaled by `k` and offset
 * by `pad` pixels. Landmarks and the face nets run on the frame; `toImage` maps frame points back.
 */
export interface Frame {
  rgb: RgbImage;
  tensor: tf.Tensor3D;
  k: number;
  pad: number;
}

export interface FoundFace {
  frame: Frame;
  detection: DetectionMode;
  /** In frame pixels, clamped to the frame. */
  box: Box;
  facesDetected: number;
  score: number | null;
}

/** Direct passes, cheapest first: 320 finds the demo photos' faces at 60 % of 416's cost; 224 finds close-ups, 416 small faces. */
export const DIRECT_INPUT_SIZES = [320, 224, 416] as const;
/** Images whose longer side is at most this are tight crops: the direct passes are skipped (they miss and cost most). */
export const SMALL_SIDE = 160;
/** Longer side, at least, of the crop on a padded canvas: the landmark and expression nets read 112 px. */
export const PADDED_MIN_SIDE = 112;
/** Padding (each side, as a fraction of the crop's longer side) and detector input size of each padded pass, in order. */
export const PADDED_PASSES: readonly { pad: number; inputSize: number }[] = [
  { pad: 0.35, inputSize: 160 },
  { pad: 0.25, inputSize: 128 },
  { pad: 0.5, inputSize: 128 },
  { pad: 0.5, inputSize: 224 },
  { pad: 0.15, inputSize: 128 },
];
/** A padded-pass detection at or above this score is a face. */
export const PADDED_THRESHOLD = 0.3;
/** Below PADDED_THRESHOLD, a detection at or above this score that covers at least WHOLE_CROP_COVER of the crop means the crop is the face. */
export const WHOLE_CROP_THRESHOLD = 0.1;
export const WHOLE_CROP_COVER = 0.5;
/** Detections below this are not even candidates. */
const CANDIDATE_THRESHOLD = 0.05;

interface Detection {
  score: number;
  box: Box;
}

export function clampBox(b: Box, img: { width: number; height: number }): Box {
  const x = Math.max(0, Math.floor(b.x));
  const y = Math.max(0, Math.floor(b.y));
  const x2 = Math.min(img.width, Math.ceil(b.x + b.width));
  const y2 = Math.min(img.height, Math.ceil(b.y + b.height));
  return { x, y, width: Math.max(1, x2 - x), height: Math.max(1, y2 - y) };
}

/** Frame point → decoded-image point. */
export function frameToImage(frame: Pick<Frame, 'k' | 'pad'>, [x, y]: [number, number]): [number, number] {
  return [(x - frame.pad) / frame.k, (y - frame.pad) / frame.k];
}

/** A frame box → the decoded image's pixels, clamped to the image. */
export function boxToImage(frame: Pick<Frame, 'k' | 'pad'>, b: Box, img: { width: number; height: number }): Box {
  const [x, y] = frameToImage(frame, [b.x, b.y]);
  return clampBox({ x, y, width: b.width / frame.k, height: b.height / frame.k }, img);
}

/** Float pixels once per frame: every net reads floats, so none of them casts the frame again. */
function toTensor(img: RgbImage): tf.Tensor3D {
  return tf.tensor3d(Float32Array.from(img.data), [img.height, img.width, 3], 'float32');
}

async function detect(faceapi: FaceApi, input: tf.Tensor3D, inputSize: number, scoreThreshold: number): Promise<Detection[]> {
  return detectTinyFaces(faceapi, input, inputSize, scoreThreshold);
}

/** The image scaled so its longer side is at least PADDED_MIN_SIDE, and its mean grey: what every padded pass starts from. */
export interface ScaledCrop {
  rgb: RgbImage;
  k: number;
  grey: number;
}

export async function scaledForPadding(img: RgbImage): Promise<ScaledCrop> {
  const longer = Math.max(img.width, img.height);
  const k = Math.max(1, PADDED_MIN_SIDE / longer);
  const width = Math.round(img.width * k);
  const height = Math.round(img.height * k);
  let sum = 0;
  for (let i = 0; i < img.data.length; i++) sum += img.data[i];
  // Mean grey, not black: a black frame makes its own strong edges, and found about half as many faces (AU-ESTIMATES.md §6).
  const grey = Math.round(sum / Math.max(1, img.data.length));
  if (k === 1) return { rgb: img, k: 1, grey };
  const data = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } }).resize(width, height, { kernel: 'lanczos3' }).raw().toBuffer();
  return { rgb: { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height }, k: width / img.width, grey };
}

/** The scaled crop on a canvas of its mean grey, `padFraction` of its longer side each way. */
export function padScaled(s: ScaledCrop, padFraction: number): { rgb: RgbImage; k: number; pad: number } {
  const { width, height } = s.rgb;
  const pad = Math.round(Math.max(width, height) * padFraction);
  const cw = width + 2 * pad;
  const data = new Uint8Array(cw * (height + 2 * pad) * 3).fill(s.grey);
  for (let y = 0; y < height; y++) data.set(s.rgb.data.subarray(y * width * 3, (y + 1) * width * 3), ((y + pad) * cw + pad) * 3);
  return { rgb: { data, width: cw, height: height + 2 * pad }, k: s.k, pad };
}

/** The image scaled so its longer side is at least PADDED_MIN_SIDE, on a canvas of its mean grey, `padFraction` of that side each way. */
export async function paddedCanvas(img: RgbImage, padFraction: number): Promise<{ rgb: RgbImage; k: number; pad: number }> {
  return padScaled(await scaledForPadding(img), padFraction);
}

/** Share of the crop (the canvas minus its padding) that a canvas box covers. */
function cover(b: Box, frame: Frame, img: RgbImage): number {
  const x1 = Math.max(b.x, frame.pad);
  const y1 = Math.max(b.y, frame.pad);
  const x2 = Math.min(b.x + b.width, frame.pad + img.width * frame.k);
  const y2 = Math.min(b.y + b.height, frame.pad + img.height * frame.k);
  return (Math.max(0, x2 - x1) * Math.max(0, y2 - y1)) / (img.width * frame.k * img.height * frame.k);
}

const largest = (ds: Detection[]) => [...ds].sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height)[0];

/** Finds the subject's face (the largest one) in a decoded image. The caller owns (disposes) the returned frame's tensor. */
export async function findFace(faceapi: FaceApi, img: RgbImage, options: FindFaceOptions = {}): Promise<FoundFace> {
  const direct: Frame = { rgb: img, tensor: toTensor(img), k: 1, pad: 0 };
  const keepDirect = (detection: DetectionMode, ds: Detection[], best: Detection | undefined): FoundFace => ({
    frame: direct,
    detection,
    box: best ? clampBox(best.box, img) : { x: 0, y: 0, width: img.width, height: img.height },
    facesDetected: ds.length,
    score: best ? best.score : null,
  });
  try {
    if (options.inputSize !== undefined) {
      const ds = await detect(faceapi, direct.tensor, options.inputSize, options.scoreThreshold ?? 0.5);
      const best = largest(ds);
      return keepDirect(best ? 'direct' : 'none', ds, best);
    }
    if (Math.max(img.width, img.height) > SMALL_SIDE) {
      for (const size of DIRECT_INPUT_SIZES) {
        const ds = await detect(faceapi, direct.tensor, size, options.scoreThreshold ?? 0.5);
        if (ds.length > 0) return keepDirect('direct', ds, largest(ds));
      }
    }
    let weak: { frame: Frame; det: Detection } | null = null;
    // Scaled once; each pass only pads it differently.
    const scaled = await scaledForPadding(img);
    for (const pass of PADDED_PASSES) {
      const canvas = padScaled(scaled, pass.pad);
      const frame: Frame = { ...canvas, tensor: toTensor(canvas.rgb) };
      let ds: Detection[];
      try {
        ds = await detect(faceapi, frame.tensor, pass.inputSize, CANDIDATE_THRESHOLD);
      } catch (err) {
        frame.tensor.dispose();
        weak?.frame.tensor.dispose();
        throw err;
      }
      const strong = ds.filter((d) => d.score >= PADDED_THRESHOLD);
      if (strong.length > 0) {
        weak?.frame.tensor.dispose();
        direct.tensor.dispose();
        const best = largest(strong);
        return { frame, detection: 'padded', box: clampBox(best.box, frame.rgb), facesDetected: strong.length, score: best.score };
      }
      const covering = ds.filter((d) => d.score >= WHOLE_CROP_THRESHOLD && cover(d.box, frame, img) >= WHOLE_CROP_COVER);
      const top = covering.sort((a, b) => b.score - a.score)[0];
      if (top && (!weak || top.score > weak.det.score)) {
        weak?.frame.tensor.dispose();
        weak = { frame, det: top };
      } else {
        frame.tensor.dispose();
      }
    }
    if (weak) {
      direct.tensor.dispose();
      return { frame: weak.frame, detection: 'whole-crop', box: clampBox(weak.det.box, weak.frame.rgb), facesDetected: 1, score: weak.det.score };
    }
    return keepDirect('none', [], undefined);
  } catch (err) {
    direct.tensor.dispose();
    throw err;
  }
}
