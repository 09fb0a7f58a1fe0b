/**
 * A finished run's result, as runs.list / runs.get return it: which step the model came from and what the run
 * changed. Built by the services from the summary the training worker stores with status 'done', and checked
 * against this schema there: a summary that does not fit gives no result rather than a wrong one.
 */
import { z } from 'zod';

/** Greedy mean reward and emotion accuracy on the held-out validation slice of the training part, at a step. */
export const ValScoreSchema = z.object({
  step: z.number().int().min(0),
  reward: z.number(),
  accuracy: z.number().min(0).max(1),
});

/** A measure of the starting policy (null when the run kept no frozen copy of it) and of the run's model. */
const StartEndSchema = z.object({ start: z.number().nullable(), end: z.number() });

export const RlRunResultSchema = z.object({
  stage: z.literal('rl'),
  /** The step whose weights the model holds: the best validated one (the last when nothing was validated). */
  selectedStep: z.number().int().min(0),
  totalSteps: z.number().int().min(1),
  /** Held-out score of the starting policy and of the selected step; null without a validation slice. */
  valStart: ValScoreSchema.nullable(),
  valSelected: ValScoreSchema.nullable(),
  /** Mean reward on the RL training images, before and after: greedy decoding and sampling at the run's temperature. */
  trainReward: z.object({ greedy: StartEndSchema, sampled: StartEndSchema }),
  /** Mean rollout reward over the first and last third of the steps (null when the run logged no rewards). */
  rolloutReward: z.object({ firstThird: z.number().nullable(), lastThird: z.number().nullable() }),
});

export const SftRunResultSchema = z.object({
  stage: z.literal('sft'),
  /** Steps trained; the model holds the last one. */
  steps: z.number().int().min(0),
  totalSteps: z.number().int().min(1),
  /** Stopped before totalSteps because the validation loss stopped improving. */
  earlyStopped: z.boolean().optional(),
  bestValLoss: z.number().nullable().optional(),
});

export const RunResultSchema = z.discriminatedUnion('stage', [SftRunResultSchema, RlRunResultSchema]);

export type ValScore = z.infer<typeof ValScoreSchema>;
export type RlRunResult = z.infer<typeof RlRunResultSchema>;
export type SftRunResult = z.infer<typeof SftRunResultSchema>;
export type RunResult = z.infer<typeof RunResultSchema>;
