/**
 * A finished run's result, as runs.list / runs.get return it: which step the model came from and what the run
 * changed. The training worker builds it and parses it with this schema before it stores it with status 'done';
 * the services parse what is stored with the same schema: a summary that does not fit gives no result rather
 * than a wrong one.
 */
import { z } from 'zod';
import type { ValScore } from '../pipelines/rl/run-values';

/** Greedy mean reward and emotion accuracy on the held-out validation slice of the training part, at a step. */
export const ValScoreSchema = z.object({
  step: z.number().int().min(0),
  reward: z.number(),
  accuracy: z.number().min(0).max(1),
}) satisfies z.ZodType<ValScore>;

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

export type { ValScore };
export type RlRunResult = z.infer<typeof RlRunResultSchema>;
export type SftRunResult = z.infer<typeof SftRunResultSchema>;
export type RunResult = z.infer<typeof RunResultSchema>;

/**
 * The result of a finished run from its metrics (the keys of `fea train --json`'s metrics): what the worker
 * parses with RunResultSchema and stores, and how runs stored before it kept a result are read. Not yet
 * checked: parse it with RunResultSchema.
 */
export function runResultOfMetrics(stage: RunResult['stage'], m: Readonly<Record<string, unknown>>, totalStepsOfRun: number): unknown {
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const totalSteps = num(m.totalSteps) ?? totalStepsOfRun;
  if (stage === 'rl') {
    return {
      stage,
      selectedStep: m.selectedStep,
      totalSteps,
      valStart: m.valStart ?? null,
      valSelected: m.valSelected ?? null,
      trainReward: {
        greedy: { start: num(m.trainRewardGreedyStart), end: m.trainRewardGreedy },
        sampled: { start: num(m.trainRewardSampledStart), end: m.trainRewardSampled },
      },
      rolloutReward: { firstThird: num(m.rewardMeanFirstThird), lastThird: num(m.rewardMeanLastThird) },
    };
  }
  return {
    stage,
    steps: m.step,
    totalSteps,
    ...(typeof m.earlyStopped === 'boolean' ? { earlyStopped: m.earlyStopped } : {}),
    ...(m.bestValLoss !== undefined ? { bestValLoss: num(m.bestValLoss) } : {}),
  };
}

/**
 * runs.summary as the worker stores it with status 'done': the run's metrics less the eval's confusion matrix and
 * per-AU table (the evals table has them), and the parsed result. Runs finished before the result was stored
 * with it have the metrics only.
 */
export const StoredRunSummarySchema = z
  .object({ result: RunResultSchema.optional() })
  .catchall(z.unknown());
export type StoredRunSummary = z.infer<typeof StoredRunSummarySchema>;
