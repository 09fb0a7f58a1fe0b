/**
 * face-api's tiny face detector with its own weights, run with fused kernels: each conv's bias and leaky ReLU in
 * one op (face-api runs pad, conv, add, mul, sub, relu, add as separate kernels over every feature map). Same
 * preprocessing, box decoding and non-maximum suppression as face-api's `detectAllFaces`, so the same boxes and
 * scores (within float rounding; tests/unit/vision-detect.test.ts compares them) at ~60 % of its forward time on wasm.
 */
import { tf } from '../runtime/backend';
import type { FaceApi } from './faceapi';
import type { ConvParams, SeparableConvParams } from './net-params';

interface MobilenetParams {
  conv0: ConvParams;
  conv1: SeparableConvParams;
  conv2: SeparableConvParams;
  conv3: SeparableConvParams;
  conv4: SeparableConvParams;
  conv5: SeparableConvParams;
  conv6?: SeparableConvParams;
  conv7?: SeparableConvParams;
  conv8: ConvParams;
}

/** face-api's tinyFaceDetector constants (src/tinyFaceDetector/const.ts). */
const MEAN_RGB = [117.001, 114.697, 97.404];
const ANCHORS: readonly [number, number][] = [
  [1.603231, 2.094468],
  [6.041143, 7.080126],
  [2.882459, 3.518061],
  [4.266906, 5.178857],
  [9.041765, 10.66308],
];
const IOU_THRESHOLD = 0.4;
const LEAKY = 0.1;

export interface TinyFaceDetection {
  score: number;
  box: { x: number; y: number; width: number; height: number };
}

function paramsOf(faceapi: FaceApi): MobilenetParams {
  const params = (faceapi.nets.tinyFaceDetector as unknown as { params?: MobilenetParams }).params;
  if (!params?.conv0?.filters || !params.conv8) throw new Error('tiny face detector weights are not loaded');
  return params;
}

const separable = (x: tf.Tensor4D, c: SeparableConvParams): tf.Tensor4D =>
  tf.fused.conv2d({
    x: tf.depthwiseConv2d(x, c.depthwise_filter, 1, 'same'),
    filter: c.pointwise_filter,
    strides: 1,
    pad: 'valid',
    bias: c.bias,
    activation: 'leakyrelu',
    leakyreluAlpha: LEAKY,
  });

const folded = new WeakMap<ConvParams, ConvParams>();

/**
 * conv0 with face-api's input normalisation, (x − mean) / 255, folded in: W / 255, and b − Σ W·mean / 255. Exact
 * up to float rounding because conv0 pads nothing ('valid'), so every tap reads a pixel; it spares two passes over
 * the detector's whole input. Made once per loaded weights and kept.
 */
function foldedConv0(c: ConvParams): ConvParams {
  let f = folded.get(c);
  if (!f) {
    f = tf.tidy(() => {
      const mean = tf.tensor1d(MEAN_RGB).reshape([1, 1, 3, 1]);
      return {
        filters: tf.div(c.filters, 255) as tf.Tensor4D,
        bias: tf.sub(c.bias, tf.sum(tf.mul(c.filters, mean), [0, 1, 2]).div(255)) as tf.Tensor1D,
      };
    });
    tf.keep(f.filters);
    tf.keep(f.bias);
    folded.set(c, f);
  }
  return f;
}

/** [1, g, g, 25] raw outputs for a [1, S, S, 3] float batch of 0–255 pixels (face-api's runMobilenet, fused). */
function forward(p: MobilenetParams, batch: tf.Tensor4D): tf.Tensor4D {
  const conv0 = foldedConv0(p.conv0);
  return tf.tidy(() => {
    let x = tf.fused.conv2d({ x: batch, filter: conv0.filters, strides: 1, pad: 'valid', bias: conv0.bias, activation: 'leakyrelu', leakyreluAlpha: LEAKY });
    x = tf.maxPool(x, [2, 2], [2, 2], 'same');
    x = separable(x, p.conv1);
    x = tf.maxPool(x, [2, 2], [2, 2], 'same');
    x = separable(x, p.conv2);
    x = tf.maxPool(x, [2, 2], [2, 2], 'same');
    x = separable(x, p.conv3);
    x = tf.maxPool(x, [2, 2], [2, 2], 'same');
    x = separable(x, p.conv4);
    x = tf.maxPool(x, [2, 2], [2, 2], 'same');
    x = separable(x, p.conv5);
    x = tf.maxPool(x, [2, 2], [1, 1], 'same');
    if (p.conv6) x = separable(x, p.conv6);
    if (p.conv7) x = separable(x, p.conv7);
    return tf.fused.conv2d({ x, filter: p.conv8.filters, strides: 1, pad: 'valid', bias: p.conv8.bias });
  });
}

/** face-api's toBatchTensor(inputSize, false): zero-pad to a square at the bottom/right, resize (bilinear) to S×S. */
function toBatch(image: tf.Tensor3D, inputSize: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [h, w] = image.shape;
    let x = tf.cast(image, 'float32');
    if (h !== w) x = tf.pad(x, [[0, Math.max(0, w - h)], [0, Math.max(0, h - w)], [0, 0]]);
    let b = tf.expandDims(x, 0) as tf.Tensor4D;
    if (b.shape[1] !== inputSize || b.shape[2] !== inputSize) b = tf.image.resizeBilinear(b, [inputSize, inputSize], false, false);
    return b;
  });
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

function iou(a: TinyFaceDetection['box'], b: TinyFaceDetection['box']): number {
  const w = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

/** Faces in `image` (H×W×3, 0–255) at detector input size `inputSize`, boxes in the image's pixels. */
export async function detectTinyFaces(faceapi: FaceApi, image: tf.Tensor3D, inputSize: number, scoreThreshold: number): Promise<TinyFaceDetection[]> {
  const p = paramsOf(faceapi);
  const [height, width] = image.shape;
  const out = tf.tidy(() => {
    const batch = toBatch(image, inputSize);
    return forward(p, batch);
  });
  let raw: Float32Array;
  try {
    raw = (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
  const cells = out.shape[1];
  // face-api's extractBoxes: the image fills reshaped × reshaped of the padded square.
  const scale = inputSize / Math.max(width, height);
  const cx = inputSize / Math.round(width * scale);
  const cy = inputSize / Math.round(height * scale);
  const found: TinyFaceDetection[] = [];
  for (let row = 0; row < cells; row++) {
    for (let col = 0; col < cells; col++) {
      for (let a = 0; a < ANCHORS.length; a++) {
        const o = ((row * cells + col) * ANCHORS.length + a) * 5;
        const score = sigmoid(raw[o + 4]);
        if (scoreThreshold && score <= scoreThreshold) continue;
        const ctX = ((col + sigmoid(raw[o])) / cells) * cx;
        const ctY = ((row + sigmoid(raw[o + 1])) / cells) * cy;
        const bw = ((Math.exp(raw[o + 2]) * ANCHORS[a][0]) / cells) * cx;
        const bh = ((Math.exp(raw[o + 3]) * ANCHORS[a][1]) / cells) * cy;
        found.push({ score, box: { x: ctX - bw / 2, y: ctY - bh / 2, width: bw, height: bh } });
      }
    }
  }
  // Non-maximum suppression, best first, on the relative boxes as face-api does; then into the image's pixels.
  const order = [...found].sort((x, y) => y.score - x.score);
  const keep: TinyFaceDetection[] = [];
  for (const d of order) if (keep.every((k) => iou(k.box, d.box) <= IOU_THRESHOLD)) keep.push(d);
  return keep.map(({ score, box: b }) => ({ score, box: { x: b.x * width, y: b.y * height, width: b.width * width, height: b.height * height } }));
}
