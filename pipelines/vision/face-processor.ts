/**
 * face-api's 68-landmark and expression nets (its FaceFeatureExtractor dense blocks + one fully connected layer)
 * with their own weights, run with fewer kernels: each separable conv's bias is fused into its pointwise conv and
 * the first conv's ReLU into the conv (face-api runs separableConv2d, then a broadcasting add per conv), and the
 * dense sums are built once and reused. Same preprocessing and layers otherwise, so the same outputs within float
 * rounding (tests/unit/vision-nets.test.ts compares them with face-api's detectLandmarks and predictExpressions).
 */
import { tf } from '../runtime/backend';
import type { FaceApi } from './faceapi';
import type { Pt } from './geometry';
import { centredSquareBatch, normalized } from './net-input';
import type { ConvParams, SeparableConvParams } from './net-params';

interface DenseBlock4Params {
  conv0: ConvParams | SeparableConvParams;
  conv1: SeparableConvParams;
  conv2: SeparableConvParams;
  conv3: SeparableConvParams;
}
interface ExtractorParams {
  dense0: DenseBlock4Params;
  dense1: DenseBlock4Params;
  dense2: DenseBlock4Params;
  dense3: DenseBlock4Params;
}
interface FaceProcessorNet {
  params?: { fc: { weights: tf.Tensor2D; bias: tf.Tensor1D } };
  faceFeatureExtractor: { params?: ExtractorParams };
}

const SIZE = 112;
const MEAN_RGB = [122.782, 117.001, 104.298];

function paramsOf(net: FaceProcessorNet, name: string) {
  const extractor = net.faceFeatureExtractor?.params;
  const fc = net.params?.fc;
  if (!extractor?.dense0 || !fc) throw new Error(`${name} weights are not loaded`);
  return { extractor, fc };
}

const separable = (x: tf.Tensor4D, c: SeparableConvParams, stride: 1 | 2, relu = false): tf.Tensor4D =>
  tf.fused.conv2d({
    x: tf.depthwiseConv2d(x, c.depthwise_filter, stride, 'same'),
    filter: c.pointwise_filter,
    strides: 1,
    pad: 'same',
    bias: c.bias,
    activation: relu ? 'relu' : 'linear',
  });

/** face-api's denseBlock4 (isScaleDown): out1 = relu(conv0(x)), then three separable convs over the running sums. */
function denseBlock4(x: tf.Tensor4D, p: DenseBlock4Params, first: boolean): tf.Tensor4D {
  const out1 = first
    ? tf.fused.conv2d({ x, filter: (p.conv0 as ConvParams).filters, strides: 2, pad: 'same', bias: p.conv0.bias, activation: 'relu' })
    : separable(x, p.conv0 as SeparableConvParams, 2, true);
  const out2 = separable(out1, p.conv1, 1);
  const s12 = tf.add(out1, out2) as tf.Tensor4D;
  const out3 = separable(tf.relu(s12), p.conv2, 1);
  const s123 = tf.add(s12, out3) as tf.Tensor4D;
  const out4 = separable(tf.relu(s123), p.conv3, 1);
  return tf.relu(tf.add(s123, out4)) as tf.Tensor4D;
}

/** The [B, 256] bottleneck features (face-api's FaceFeatureExtractor output, pooled) of a batch of 112 px squares (0–255). */
function bottleneck(net: FaceProcessorNet, name: string, batch: tf.Tensor4D): tf.Tensor2D {
  const { extractor: p } = paramsOf(net, name);
  return tf.tidy(() => {
    let x = normalized(batch, MEAN_RGB);
    x = denseBlock4(x, p.dense0, true);
    x = denseBlock4(x, p.dense1, false);
    x = denseBlock4(x, p.dense2, false);
    x = denseBlock4(x, p.dense3, false);
    return tf.reshape(tf.avgPool(x, [7, 7], [2, 2], 'valid'), [batch.shape[0], -1]) as tf.Tensor2D;
  });
}

/** The fully connected layer's [1, n] outputs over the bottleneck features. */
function head(net: FaceProcessorNet, name: string, features: tf.Tensor2D): tf.Tensor2D {
  const { fc } = paramsOf(net, name);
  return tf.fused.matMul({ a: features, b: fc.weights, bias: fc.bias }) as tf.Tensor2D;
}

function forward(net: FaceProcessorNet, name: string, face: tf.Tensor3D): tf.Tensor2D {
  return tf.tidy(() => head(net, name, bottleneck(net, name, centredSquareBatch(face, SIZE))));
}

/**
 * The 68 landmarks of a face crop, in the crop's pixels (face-api's FaceLandmarks68.positions): the net's outputs
 * are fractions of the 112 px square, less the centring pad, over the crop's size on that square.
 */
export async function faceLandmarks68(faceapi: FaceApi, crop: tf.Tensor3D): Promise<Pt[]> {
  const out = forward(faceapi.nets.faceLandmark68Net as unknown as FaceProcessorNet, 'face landmark net', crop);
  let v: Float32Array;
  try {
    v = (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
  const [height, width] = crop.shape;
  const scale = SIZE / Math.max(width, height);
  const w = width * scale;
  const h = height * scale;
  const padX = w < h ? Math.abs(w - h) / 2 : 0;
  const padY = h < w ? Math.abs(w - h) / 2 : 0;
  const f = Math.fround;
  const points: Pt[] = [];
  // In float32 steps, as face-api's tensor arithmetic, so the positions match its own to float rounding.
  for (let i = 0; i < 68; i++) {
    const rx = f(f(f(v[2 * i] * SIZE) - f(padX)) / f(w));
    const ry = f(f(f(v[2 * i + 1] * SIZE) - f(padY)) / f(h));
    points.push([rx * width, ry * height]);
  }
  return points;
}

/** face-api's 7 expression classes in its output order (FaceExpressions). */
export const FACE_API_EXPRESSIONS = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'] as const;

/** face-api's expression probabilities of a face crop (H×W×3, 0–255), keyed by its class names. */
export async function faceExpressions(faceapi: FaceApi, face: tf.Tensor3D): Promise<Record<string, number>> {
  const out = tf.tidy(() => tf.softmax(forward(faceapi.nets.faceExpressionNet as unknown as FaceProcessorNet, 'face expression net', face)));
  let p: Float32Array;
  try {
    p = (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
  return Object.fromEntries(FACE_API_EXPRESSIONS.map((name, i) => [name, p[i]]));
}

export interface ExpressionNetReading {
  /** Probabilities keyed by face-api's class names. */
  expressions: Record<string, number>;
  /** The 256-d penultimate features (the pooled bottleneck the fully connected layer reads). */
  features: Float32Array;
}

/**
 * The expression probabilities and, from the same pass, the net's 256-d penultimate features: for a consumer that
 * wants both without a second forward. With `mirror`, the horizontally mirrored crop goes through in the same batch
 * (as face-api would read the mirrored crop: mirrored, then padded and resized) and its reading comes second.
 */
export async function faceExpressionsAndFeatures(faceapi: FaceApi, face: tf.Tensor3D, options: { mirror?: boolean } = {}): Promise<ExpressionNetReading[]> {
  const net = faceapi.nets.faceExpressionNet as unknown as FaceProcessorNet;
  const [features, probs] = tf.tidy(() => {
    const batch = centredSquareBatch(face, SIZE);
    const both = options.mirror ? tf.concat([batch, centredSquareBatch(tf.reverse(face, 1) as tf.Tensor3D, SIZE)]) : batch;
    const f = bottleneck(net, 'face expression net', both);
    return [f, tf.softmax(head(net, 'face expression net', f))];
  });
  try {
    const [f, p] = await Promise.all([features.data(), probs.data()]);
    const C = FACE_API_EXPRESSIONS.length;
    const P = f.length / features.shape[0];
    return Array.from({ length: features.shape[0] }, (_, b) => ({
      expressions: Object.fromEntries(FACE_API_EXPRESSIONS.map((name, i) => [name, p[b * C + i]])),
      features: Float32Array.from(f.subarray(b * P, (b + 1) * P)),
    }));
  } finally {
    tf.dispose([features, probs]);
  }
}
