/** Turns face samples into the policy's input tensors, with training-time augmentation and condition dropout. */
import { tf } from '../runtime/backend';
import { type PolicyConfig, conditionWidth } from './config';
import type { PolicyInputs } from './policy';
import type { Rng } from './rng';

export interface FaceSample {
  recordId: string;
  imageKey: string;
  subject: string | null;
  /** imageSize² grayscale values in [0, 1]. */
  pixels: Float32Array;
  /** Frozen face-api descriptor, or null when the image has none. */
  descriptor: Float32Array | null;
  /**
   * Frozen expression feature vectors (config.expressionDim values each), one per precomputed view of the face:
   * [0] is the face as analysed; augmentation draws among all of them, and a `flipped` view mirrors the pixels too.
   * Absent or null when the image has no analysis.
   */
  expressionViews?: ExpressionView[] | null;
  emotion: string | null;
  aus: string[];
  /** Reference description `<think>…</think><answer>…</answer>` ('' when the record has none). */
  reasoning: string;
}

export interface ExpressionView {
  features: Float32Array;
  flipped: boolean;
}

export interface BatchOptions {
  /** ±shift pixels and brightness/contrast jitter, drawn from rng. */
  augment?: boolean;
  rng?: Rng;
  /** Per-part probability of dropping the known labels from the condition (training). */
  conditionDrop?: number;
  /** Feed the known labels as the condition (synthesis); otherwise unconditioned unless conditionDrop < 1. */
  conditioned?: boolean;
  /** Read view 0's features alone where the config averages views at decode (the head fit's rows, one per view). */
  singleView?: boolean;
}

const MAX_SHIFT = 2;
/** The least probability the expression prior takes the log of (the net's softmax reaches 1e-10 on clear faces). */
const PRIOR_FLOOR = 1e-4;

function normalise(v: number): number {
  return (v - 0.5) / 0.25;
}

/** Fills `out` (imageSize²) with the sample's pixels, mirrored if asked, shifted by (dx, dy) with edge clamping, scaled and offset. */
function writePixels(out: Float32Array, offset: number, src: Float32Array, size: number, dx: number, dy: number, gain: number, bias: number, flip = false): void {
  for (let y = 0; y < size; y++) {
    const sy = Math.min(size - 1, Math.max(0, y - dy));
    for (let x = 0; x < size; x++) {
      const cx = Math.min(size - 1, Math.max(0, x - dx));
      const sx = flip ? size - 1 - cx : cx;
      const v = Math.min(1, Math.max(0, src[sy * size + sx] * gain + bias));
      out[offset + y * size + x] = normalise(v);
    }
  }
}

/** The condition vector [emotion one-hot·m, m, AU multi-hot·m, m] of one sample. */
export function conditionVector(config: PolicyConfig, emotion: string | null, aus: string[] | null): Float32Array {
  const E = config.emotions.length;
  const A = config.aus.length;
  const out = new Float32Array(conditionWidth(config));
  if (emotion !== null) {
    const i = config.emotions.indexOf(emotion);
    if (i >= 0) {
      out[i] = 1;
      out[E] = 1;
    }
  }
  if (aus !== null) {
    for (const au of aus) {
      const j = config.aus.indexOf(au);
      if (j >= 0) out[E + 1 + j] = 1;
    }
    out[E + 1 + A] = 1;
  }
  return out;
}

export function makeInputs(config: PolicyConfig, samples: FaceSample[], options: BatchOptions = {}): PolicyInputs {
  const B = samples.length;
  const S = config.imageSize;
  const D = config.descriptorDim;
  const C = conditionWidth(config);
  const images = new Float32Array(B * S * S);
  const desc = new Float32Array(B * D);
  const flags = new Float32Array(B);
  const cond = new Float32Array(B * C);
  const F = config.expressionDim ?? 0;
  const expr = F > 0 ? new Float32Array(B * (F + 1)) : null;
  const E = config.emotions.length;
  const prior = expr && config.expressionPrior ? new Float32Array(B * E) : null;
  const rng = options.rng;
  if ((options.augment || (options.conditionDrop ?? 1) < 1) && !rng) throw new Error('augmentation and condition dropout need an rng');
  samples.forEach((s, b) => {
    if (s.pixels.length !== S * S) throw new Error(`sample ${s.recordId}: ${s.pixels.length} pixels, expected ${S * S}`);
    const views = expr ? (s.expressionViews ?? []) : [];
    // drawn only where there is a choice, so runs without extra views draw what they drew before views existed
    const view = views.length > 1 && options.augment ? views[rng!.int(views.length)] : views[0];
    const decoded = options.augment || options.singleView ? 1 : Math.min(config.expressionDecodeViews ?? 1, views.length);
    if (view && expr) writeExpression(expr, b * (F + 1), decoded > 1 ? meanFeatures(views.slice(0, decoded)) : view.features, config, s.recordId);
    if (view && prior) writePrior(prior, b * E, config.expressionResidual ? views : [view], config.expressionPrior!);
    const flip = view?.flipped ?? false;
    if (options.augment) {
      const dx = rng!.int(2 * MAX_SHIFT + 1) - MAX_SHIFT;
      const dy = rng!.int(2 * MAX_SHIFT + 1) - MAX_SHIFT;
      const gain = 0.85 + 0.3 * rng!.next();
      const bias = -0.08 + 0.16 * rng!.next();
      writePixels(images, b * S * S, s.pixels, S, dx, dy, gain, bias, flip);
    } else writePixels(images, b * S * S, s.pixels, S, 0, 0, 1, 0, flip);
    if (s.descriptor) {
      desc.set(s.descriptor.subarray(0, D), b * D);
      flags[b] = 1;
    }
    let keepEmotion = !!options.conditioned;
    let keepAUs = !!options.conditioned;
    if (options.conditionDrop !== undefined && options.conditionDrop < 1) {
      keepEmotion = rng!.next() >= options.conditionDrop;
      keepAUs = rng!.next() >= options.conditionDrop;
    }
    const hasAUs = s.emotion !== null || s.aus.length > 0;
    cond.set(conditionVector(config, keepEmotion ? s.emotion : null, keepAUs && hasAUs ? s.aus : null), b * C);
  });
  return {
    images: tf.tensor2d(images, [B, S * S]),
    descriptors: tf.tensor2d(desc, [B, D]),
    descriptorFlags: tf.tensor2d(flags, [B, 1]),
    conditions: tf.tensor2d(cond, [B, C]),
    ...(expr ? { expression: tf.tensor2d(expr, [B, F + 1]) } : {}),
    ...(prior ? { expressionPrior: tf.tensor2d(prior, [B, E]) } : {}),
  };
}

/** log of the net's probability of each emotion, averaged over `views` (floored; −1 positions have none). */
function writePrior(out: Float32Array, offset: number, views: ExpressionView[], positions: number[]): void {
  positions.forEach((i, e) => {
    let p = 0;
    if (i >= 0) for (const v of views) p += v.features[i] / views.length;
    out[offset + e] = Math.log(Math.max(p, PRIOR_FLOOR));
  });
}

function meanFeatures(views: ExpressionView[]): Float32Array {
  const out = new Float32Array(views[0].features.length);
  for (const v of views) v.features.forEach((x, i) => (out[i] += x / views.length));
  return out;
}

/** One view's features, standardised with the config's training-part statistics (and clipped, config.expressionClip), then the presence flag. */
function writeExpression(out: Float32Array, offset: number, features: Float32Array, config: PolicyConfig, recordId: string): void {
  const F = config.expressionDim ?? 0;
  if (features.length !== F) throw new Error(`sample ${recordId}: ${features.length} expression feature values, expected ${F}`);
  const norm = config.expressionNorm;
  const clip = config.expressionClip ?? Infinity;
  for (let i = 0; i < F; i++) {
    const z = norm ? (features[i] - norm.mean[i]) / norm.std[i] : features[i];
    out[offset + i] = Math.max(-clip, Math.min(clip, z));
  }
  out[offset + F] = 1;
}

/** Mean and standard deviation (floored, so constant values stay finite) of the samples' first views; null without any. */
export function expressionStatistics(samples: FaceSample[], dim: number): { mean: number[]; std: number[] } | null {
  const rows = samples.flatMap((s) => (s.expressionViews?.length ? [s.expressionViews[0].features] : []));
  if (dim <= 0 || rows.length === 0) return null;
  const mean = new Array<number>(dim).fill(0);
  const sq = new Array<number>(dim).fill(0);
  for (const r of rows) {
    if (r.length !== dim) throw new Error(`expression features: ${r.length} values, expected ${dim}`);
    for (let i = 0; i < dim; i++) {
      mean[i] += r[i];
      sq[i] += r[i] * r[i];
    }
  }
  const std = mean.map((m, i) => {
    const mu = m / rows.length;
    return Math.sqrt(Math.max(0, sq[i] / rows.length - mu * mu)) + 1e-3;
  });
  return { mean: mean.map((m) => m / rows.length), std };
}

export function disposeInputs(inputs: PolicyInputs): void {
  tf.dispose([inputs.images, inputs.descriptors, inputs.descriptorFlags, inputs.conditions, ...(inputs.expression ? [inputs.expression] : []), ...(inputs.expressionPrior ? [inputs.expressionPrior] : [])]);
}

/** Targets of the auxiliary heads: emotion one-hot + mask, AU multi-hot + mask. */
export function auxTargets(config: PolicyConfig, samples: FaceSample[]): { emo: Float32Array; emoMask: Float32Array; au: Float32Array; auMask: Float32Array } {
  const B = samples.length;
  const E = config.emotions.length;
  const A = Math.max(config.aus.length, 1);
  const emo = new Float32Array(B * E);
  const emoMask = new Float32Array(B);
  const au = new Float32Array(B * A);
  const auMask = new Float32Array(B);
  samples.forEach((s, b) => {
    const i = s.emotion === null ? -1 : config.emotions.indexOf(s.emotion);
    if (i >= 0) {
      emo[b * E + i] = 1;
      emoMask[b] = 1;
    }
    if (s.emotion !== null || s.aus.length) {
      auMask[b] = 1;
      for (const a of s.aus) {
        const j = config.aus.indexOf(a);
        if (j >= 0) au[b * A + j] = 1;
      }
    }
  });
  return { emo, emoMask, au, auMask };
}
