/**
 * face-api's 128-d recognition descriptor (its ResNet-34 on 150 px) with fewer kernels: each conv's bias and
 * scale layer are folded into its filters and bias once, and the ReLU is fused into the conv (face-api runs conv,
 * add, mul, add, relu as five kernels over every feature map). Same preprocessing and layers otherwise, so the same
 * descriptor within float rounding (tests/unit/vision-detect.test.ts compares them).
 */
import { tf } from '../runtime/backend';
import type { FaceApi } from './faceapi';
import { centredSquareBatch, normalized } from './net-input';

interface ConvLayerParams {
  conv: { filters: tf.Tensor4D; bias: tf.Tensor1D };
  scale: { weights: tf.Tensor1D; biases: tf.Tensor1D };
}
interface ResidualLayerParams {
  conv1: ConvLayerParams;
  conv2: ConvLayerParams;
}
type NetParams = Record<
  | 'conv32_1' | 'conv32_2' | 'conv32_3' | 'conv64_down' | 'conv64_1' | 'conv64_2' | 'conv64_3' | 'conv128_down'
  | 'conv128_1' | 'conv128_2' | 'conv256_down' | 'conv256_1' | 'conv256_2' | 'conv256_down_out',
  ResidualLayerParams
> & { conv32_down: ConvLayerParams; fc: tf.Tensor2D };

interface Folded {
  filters: tf.Tensor4D;
  bias: tf.Tensor1D;
}

const MEAN_RGB = [122.782, 117.001, 104.298];
const SIZE = 150;

const foldedCache = new WeakMap<object, Map<ConvLayerParams, Folded>>();

/** (conv(x) + b)·w + c = conv(x, W·w) + (b·w + c), per output channel. */
function folded(net: object, p: ConvLayerParams): Folded {
  let m = foldedCache.get(net);
  if (!m) foldedCache.set(net, (m = new Map()));
  let f = m.get(p);
  if (!f) {
    f = tf.tidy(() => ({
      filters: tf.mul(p.conv.filters, p.scale.weights) as tf.Tensor4D,
      bias: tf.add(tf.mul(p.conv.bias, p.scale.weights), p.scale.biases) as tf.Tensor1D,
    }));
    tf.keep(f.filters);
    tf.keep(f.bias);
    m.set(p, f);
  }
  return f;
}

/** The 128-d descriptor of a face crop (H×W×3, 0–255), as face-api's computeFaceDescriptor. */
export async function faceDescriptor(faceapi: FaceApi, face: tf.Tensor3D): Promise<Float32Array> {
  const net = faceapi.nets.faceRecognitionNet as unknown as { params?: NetParams };
  const p = net.params;
  if (!p?.fc) throw new Error('face recognition weights are not loaded');
  if (face.shape.some((d) => d <= 0)) return new Float32Array(128);
  const conv = (x: tf.Tensor4D, c: ConvLayerParams, strides: 1 | 2, relu: boolean, pad: 'same' | 'valid' = 'same') => {
    const f = folded(net, c);
    return tf.fused.conv2d({ x, filter: f.filters, strides, pad, bias: f.bias, activation: relu ? 'relu' : 'linear' });
  };
  const residual = (x: tf.Tensor4D, r: ResidualLayerParams) => tf.relu(tf.add(conv(conv(x, r.conv1, 1, true), r.conv2, 1, false), x)) as tf.Tensor4D;
  const residualDown = (x: tf.Tensor4D, r: ResidualLayerParams) => {
    let out = conv(conv(x, r.conv1, 2, true, 'valid'), r.conv2, 1, false);
    let pooled = tf.avgPool(x, 2, 2, 'valid') as tf.Tensor4D;
    if (pooled.shape[1] !== out.shape[1] || pooled.shape[2] !== out.shape[2]) out = tf.pad(out, [[0, 0], [0, 1], [0, 1], [0, 0]]);
    if (pooled.shape[3] !== out.shape[3]) pooled = tf.concat([pooled, tf.zeros(pooled.shape)], 3);
    return tf.relu(tf.add(pooled, out)) as tf.Tensor4D;
  };
  const out = tf.tidy(() => {
    let x = normalized(centredSquareBatch(face, SIZE), MEAN_RGB);
    x = conv(x, p.conv32_down, 2, true, 'valid');
    x = tf.maxPool(x, 3, 2, 'valid');
    x = residual(x, p.conv32_1);
    x = residual(x, p.conv32_2);
    x = residual(x, p.conv32_3);
    x = residualDown(x, p.conv64_down);
    x = residual(x, p.conv64_1);
    x = residual(x, p.conv64_2);
    x = residual(x, p.conv64_3);
    x = residualDown(x, p.conv128_down);
    x = residual(x, p.conv128_1);
    x = residual(x, p.conv128_2);
    x = residualDown(x, p.conv256_down);
    x = residual(x, p.conv256_1);
    x = residual(x, p.conv256_2);
    x = residualDown(x, p.conv256_down_out);
    return tf.matMul(tf.mean(x, [1, 2]) as tf.Tensor2D, p.fc);
  });
  try {
    return Float32Array.from(await out.data());
  } finally {
    out.dispose();
  }
}
