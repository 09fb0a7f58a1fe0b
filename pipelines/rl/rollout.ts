/** What one rollout (generate and score) hands the loss, and the reward means a run reports. */
import { tf } from '../runtime/backend';
import type { RewardBreakdown } from '../rewards';
import { disposeInputs } from '../model/inputs';
import type { PolicyInputs } from '../model/policy';
import type { TeacherBatch } from '../model/sequences';

/** What a rollout produced, the constants the loss reads: owned by the batch, freed by disposeRollout. */
export interface RolloutBatch {
  inputs: PolicyInputs;
  /** Sampled completion ids per rollout (G consecutive rollouts per image); eos included when produced. */
  ids: number[][];
  rewards: RewardBreakdown[];
  /** The completions as teacher-forced sequences ([bos, …] → [t0, …]) and their tensors. */
  teacher: TeacherBatch;
  input: tf.Tensor2D;
  target: tf.Tensor2D;
  mask: tf.Tensor2D;
  /** [B] group-normalised advantages. */
  advantages: tf.Tensor1D;
  sampleWeights: tf.Tensor1D | null;
  /** [B, T] log-probs of the sampled tokens under the rollout policy and the frozen reference. */
  oldLogp: tf.Tensor2D;
  refLogp: tf.Tensor2D | null;
  generationSeconds: number;
}

export function disposeRollout(b: RolloutBatch): void {
  disposeInputs(b.inputs);
  tf.dispose([b.input, b.target, b.mask, b.advantages, b.oldLogp, ...(b.refLogp ? [b.refLogp] : []), ...(b.sampleWeights ? [b.sampleWeights] : [])]);
}

/** Mean over a batch's rewards of one measure of each (its total by default), summed in order. */
export function meanReward(rewards: readonly RewardBreakdown[], measure: (r: RewardBreakdown) => number = (r) => r.total): number {
  return rewards.reduce((a, r) => a + measure(r), 0) / rewards.length;
}
