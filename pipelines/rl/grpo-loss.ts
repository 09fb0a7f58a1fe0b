/**
 * GRPO core (training-engines.md §1): group-normalised advantages, the PPO-clip surrogate with the k3 KL term,
 * and the grpo / dapo / dr_grpo aggregations as TRL computes them.
 *
 * TF.js has no stopGradient (§1.7): old/ref log-probs, advantages and the mask enter `grpoLoss` as constants,
 * and only `logp` must be computed inside the gradient closure. The clip branch is expressed with
 * tf.minimum / tf.clipByValue, which have gradients on every backend.
 */
import { tf } from '../runtime/backend';
import type { GrpoLossType } from './run-values';

export type { GrpoLossType };

export type AdvantageScale = 'group' | 'none';

export interface AdvantageOptions {
  /** ε_std: 1e-4 in TRL (default), 1e-6 in verl/EasyR1. */
  stdEps?: number;
  /** 'group' divides by the Bessel-corrected group std + ε; 'none' is Dr.GRPO (centre only). */
  scale?: AdvantageScale;
}

/**
 * A_i = (r_i − mean_G(r)) / (std_G(r) + ε), std with N−1 (torch's default). `rewards` holds consecutive groups
 * of `groupSize` completions of the same prompt. Computed in float64.
 */
export function groupAdvantages(rewards: number[], groupSize: number, options: AdvantageOptions = {}): number[] {
  const { stdEps = 1e-4, scale = 'group' } = options;
  if (!Number.isInteger(groupSize) || groupSize < 2) throw new Error(`groupSize must be an integer ≥ 2, got ${groupSize}`);
  if (rewards.length % groupSize !== 0) {
    throw new Error(`rewards has ${rewards.length} values, not a multiple of groupSize ${groupSize}`);
  }
  const out = new Array<number>(rewards.length);
  for (let start = 0; start < rewards.length; start += groupSize) {
    const group = rewards.slice(start, start + groupSize);
    const mean = group.reduce((a, b) => a + b, 0) / groupSize;
    const variance = group.reduce((a, r) => a + (r - mean) * (r - mean), 0) / (groupSize - 1);
    const denom = scale === 'group' ? Math.sqrt(variance) + stdEps : 1;
    for (let i = 0; i < groupSize; i++) out[start + i] = (group[i] - mean) / denom;
  }
  return out;
}

export interface GrpoLossInput {
  /** [B, L] log πθ of the sampled tokens; computed inside the gradient closure. */
  logp: tf.Tensor2D;
  /** [B, L] log π_old (the rollout policy); a constant. With one optimizer step per rollout batch, equal to logp's value. */
  oldLogp: tf.Tensor2D;
  /** [B, L] log π_ref (the frozen reference); a constant. May be omitted when beta = 0. */
  refLogp?: tf.Tensor2D | null;
  /** [B, L] 1 for completion tokens, 0 for padding. */
  mask: tf.Tensor2D;
  /** [B] one advantage per completion, applied to all its tokens. */
  advantages: tf.Tensor1D;
  /** KL coefficient β. */
  beta: number;
  /** ε_low and ε_high of the clip range [1 − ε_low, 1 + ε_high]. */
  epsLow: number;
  epsHigh: number;
  lossType: GrpoLossType;
  /** L_max, the denominator of dr_grpo (B · L_max). */
  maxCompletionLength: number;
  /**
   * [B] per-completion weights (Facial-R1's per-sample weights, facial-r1-method.md §5.3): each completion's
   * token losses are multiplied by its weight; the aggregation's denominators stay the token counts.
   */
  sampleWeights?: tf.Tensor1D | null;
}

export interface GrpoStats {
  /** Fraction of completion tokens whose clipped branch is active (ρ < 1−ε_low with A < 0, or ρ > 1+ε_high with A > 0). */
  clipFraction: number;
  lowClipFraction: number;
  highClipFraction: number;
  /** Masked mean of the per-token k3 KL (0 when no reference is given). */
  klMean: number;
  /** Masked mean of ρ. */
  ratioMean: number;
}

/** k3 = exp(d) − d − 1 with d = log π_ref − log πθ. */
export function k3(logp: tf.Tensor, refLogp: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const d = tf.sub(refLogp, logp);
    return tf.sub(tf.sub(tf.exp(d), d), 1);
  });
}

/** Per-token loss l = −min(ρ·A, clip(ρ, 1−ε_low, 1+ε_high)·A) + β·k3, [B, L] (padding not yet masked). */
export function grpoPerTokenLoss(input: GrpoLossInput): tf.Tensor2D {
  return tf.tidy(() => {
    const { logp, oldLogp, refLogp, advantages, beta, epsLow, epsHigh } = input;
    const ratio = tf.exp(tf.sub(logp, oldLogp));
    const adv = tf.expandDims(advantages, 1);
    const unclipped = tf.mul(ratio, adv);
    const clipped = tf.mul(tf.clipByValue(ratio, 1 - epsLow, 1 + epsHigh), adv);
    let loss = tf.neg(tf.minimum(unclipped, clipped));
    if (beta !== 0) {
      if (!refLogp) throw new Error('grpoLoss: refLogp is required when beta ≠ 0');
      loss = tf.add(loss, tf.mul(beta, k3(logp, refLogp)));
    }
    return loss as tf.Tensor2D;
  });
}

/** The scalar GRPO loss; differentiable with respect to `logp` (and whatever produced it). */
export function grpoLoss(input: GrpoLossInput): tf.Scalar {
  return tf.tidy(() => {
    const { mask, lossType, sampleWeights } = input;
    const perToken = grpoPerTokenLoss(input);
    const weighted = sampleWeights ? tf.mul(perToken, tf.expandDims(sampleWeights, 1)) : perToken;
    const masked = tf.mul(weighted, mask);
    if (lossType === 'grpo') {
      // mean over sequences of the per-sequence token mean (TRL clamps the token count at 1)
      const perSeq = tf.div(tf.sum(masked, 1), tf.maximum(tf.sum(mask, 1), 1));
      return tf.mean(perSeq) as tf.Scalar;
    }
    if (lossType === 'dapo') {
      return tf.div(tf.sum(masked), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
    }
    if (lossType === 'dr_grpo') {
      const [batch] = mask.shape;
      return tf.div(tf.sum(masked), batch * input.maxCompletionLength) as tf.Scalar;
    }
    throw new Error(`Unknown GRPO loss type "${String(lossType)}"`);
  });
}

/** Logging statistics; read values synchronously, so call it outside the gradient closure. */
export function grpoStats(input: GrpoLossInput): GrpoStats {
  const values = tf.tidy(() => {
    const { logp, oldLogp, refLogp, mask, advantages, epsLow, epsHigh } = input;
    const ratio = tf.exp(tf.sub(logp, oldLogp));
    const adv = tf.expandDims(advantages, 1);
    const low = tf.mul(tf.logicalAnd(tf.less(ratio, 1 - epsLow), tf.less(adv, 0)).toFloat(), mask);
    const high = tf.mul(tf.logicalAnd(tf.greater(ratio, 1 + epsHigh), tf.greater(adv, 0)).toFloat(), mask);
    const count = tf.maximum(tf.sum(mask), 1);
    const kl = refLogp ? tf.div(tf.sum(tf.mul(k3(logp, refLogp), mask)), count) : tf.scalar(0);
    return tf.stack([
      tf.div(tf.sum(tf.add(low, high)), count),
      tf.div(tf.sum(low), count),
      tf.div(tf.sum(high), count),
      kl,
      tf.div(tf.sum(tf.mul(ratio, mask)), count),
    ]);
  });
  const [clipFraction, lowClipFraction, highClipFraction, klMean, ratioMean] = Array.from(values.dataSync());
  values.dispose();
  return { clipFraction, lowClipFraction, highClipFraction, klMean, ratioMean };
}
