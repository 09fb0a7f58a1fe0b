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
  emotion: string | null;
  aus: string[];
  /** Reference description `<think>…</think><answer>…</answer>` ('' when the record has none). */
  reasoning: string;
}

export interface BatchOptions {
  /** ±shift pixels and brightness/contrast jitter, drawn from rng. */
  augment?: boolean;
  rng?: Rng;
  /** Per-part probability of dropping the known labels from the condition (training). */
  conditionDrop?: number;
  /** Feed the known labels as the condition (synthesis); otherwise unconditioned unless conditionDrop < 1. */
  conditioned?: boolean;
}

const MAX_SHIFT = 2;

function normalise(v: number): number {
  return (v - 0.5) / 0.25;
}

/** Fills `out` (imageSize²) with the sample's pixels, shifted by (dx, dy) with edge clamping, scaled and offset. */
function writePixels(out: Float32Array, offset: number, src: Float32Array, size: number, dx: number, dy: number, gain: number, bias: number): void {
  for (let y = 0; y < size; y++) {
    const sy = Math.min(size - 1, Math.max(0, y - dy));
    for (let x = 0; x < size; x++) {
      const sx = Math.min(size - 1, Math.max(0, x - dx));
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
  const rng = options.rng;
  if ((options.augment || (options.conditionDrop ?? 1) < 1) && !rng) throw new Error('augmentation and condition dropout need an rng');
  samples.forEach((s, b) => {
    if (s.pixels.length !== S * S) throw new Error(`sample ${s.recordId}: ${s.pixels.length} pixels, expected ${S * S}`);
    if (options.augment) {
      const dx = rng!.int(2 * MAX_SHIFT + 1) - MAX_SHIFT;
      const dy = rng!.int(2 * MAX_SHIFT + 1) - MAX_SHIFT;
      const gain = 0.85 + 0.3 * rng!.next();
      const bias = -0.08 + 0.16 * rng!.next();
      writePixels(images, b * S * S, s.pixels, S, dx, dy, gain, bias);
    } else writePixels(images, b * S * S, s.pixels, S, 0, 0, 1, 0);
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
  };
}

export function disposeInputs(inputs: PolicyInputs): void {
  tf.dispose([inputs.images, inputs.descriptors, inputs.descriptorFlags, inputs.conditions]);
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
