/**
 * Plain values an RL run's configuration and result hold, with no tensors: the contract, the form and the CLI's
 * checks derive from these (the contract may import this file).
 */

/** GRPO loss aggregations (grpo-loss.ts): per-sequence token mean, token mean over the batch, fixed length. */
export const GRPO_LOSS_TYPES = ['grpo', 'dapo', 'dr_grpo'] as const;
export type GrpoLossType = (typeof GRPO_LOSS_TYPES)[number];

/** Per-sample loss weights (sample-weights.ts): none, or Facial-R1's inverse AU frequency. */
export const SAMPLE_WEIGHTINGS = ['none', 'facial-r1'] as const;
export type SampleWeighting = (typeof SAMPLE_WEIGHTINGS)[number];

/** Greedy mean reward and emotion accuracy on the held-out validation slice of the training part, at a step. */
export interface ValScore {
  step: number;
  reward: number;
  accuracy: number;
}
