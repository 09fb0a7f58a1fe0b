import type { ApiHandlers } from '../../contract/api';
import { ApiError } from '../../contract/dispatch';
import { RunResultSchema } from '../../contract/run-result';
import type { EvalReport, ModelSummary, RunResult, RunSummary } from '../../contract/types';
import { getRun, listMetrics, listRuns, reapOrphanedRuns, runConfig, storedRunSummary, type RunRow } from '../../db/repositories/runs';
import { getModel, latestEvals, listModels, type ModelRow } from '../../db/repositories/models';
import type { ServiceContext } from '../context';
import { trainingService } from './service';

export type TrainingMethods = 'training.start' | 'training.stop' | 'training.resume' | 'runs.list' | 'runs.get' | 'models.list' | 'models.eval' | 'models.samples';

/**
 * The contract's result of a finished run, from the summary the worker stored with status 'done' (the keys of
 * `fea train --json`'s metrics). Null for a run without one, or whose summary does not fit the schema.
 */
export function runResult(r: RunRow): RunResult | null {
  if (r.status !== 'done') return null;
  const s = storedRunSummary(r);
  if (Object.keys(s).length === 0) return null;
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const totalSteps = num(s.totalSteps) ?? r.total_steps;
  const candidate =
    r.stage === 'rl'
      ? {
          stage: 'rl',
          selectedStep: s.selectedStep,
          totalSteps,
          valStart: s.valStart ?? null,
          valSelected: s.valSelected ?? null,
          trainReward: {
            greedy: { start: num(s.trainRewardGreedyStart), end: s.trainRewardGreedy },
            sampled: { start: num(s.trainRewardSampledStart), end: s.trainRewardSampled },
          },
          rolloutReward: { firstThird: num(s.rewardMeanFirstThird), lastThird: num(s.rewardMeanLastThird) },
        }
      : {
          stage: 'sft',
          steps: s.step,
          totalSteps,
          ...(typeof s.earlyStopped === 'boolean' ? { earlyStopped: s.earlyStopped } : {}),
          ...(s.bestValLoss !== undefined ? { bestValLoss: num(s.bestValLoss) } : {}),
        };
  const parsed = RunResultSchema.safeParse(candidate);
  return parsed.success ? parsed.data : null;
}

export function runSummary(r: RunRow): RunSummary {
  return {
    id: r.id,
    stage: r.stage,
    status: r.status,
    split: r.split,
    seed: r.seed,
    backend: r.backend,
    config: runConfig(r),
    progress: { step: r.step, totalSteps: r.total_steps },
    modelId: r.model_id,
    parentModelId: r.parent_model_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    error: r.error,
    result: runResult(r),
  };
}

export function modelSummary(ctx: ServiceContext, m: ModelRow): ModelSummary {
  return {
    id: m.id,
    name: m.name,
    stage: (m.stage === 'rl' ? 'rl' : 'sft') as 'sft' | 'rl',
    runId: m.run_id,
    parentModelId: m.parent_model_id,
    backend: m.backend ?? '',
    createdAt: m.created_at,
    evals: latestEvals(ctx.ws.db, m.id).map((e) => ({ split: e.split, part: e.part, ...(e.report as unknown as EvalReport) })),
  };
}

export function trainingHandlers(ctx: ServiceContext): Pick<ApiHandlers, TrainingMethods> {
  const svc = () => trainingService(ctx);
  return {
    'training.start': (input) => {
      const { jobId, runId } = svc().start(input);
      return { jobId, runId };
    },
    'training.stop': ({ runId }) => {
      if (!getRun(ctx.ws.db, runId)) throw new ApiError('not_found', `run ${runId} does not exist`);
      return { stopped: svc().stop(runId) };
    },
    'training.resume': ({ runId }) => {
      const { jobId } = svc().resume(runId);
      return { jobId, runId };
    },
    // Runs whose process was killed would otherwise show as running forever.
    'runs.list': () => {
      reapOrphanedRuns(ctx.ws.db);
      return { runs: listRuns(ctx.ws.db).map(runSummary) };
    },
    'runs.get': ({ runId }) => {
      reapOrphanedRuns(ctx.ws.db);
      const r = getRun(ctx.ws.db, runId);
      if (!r) throw new ApiError('not_found', `run ${runId} does not exist`);
      return { run: runSummary(r), metrics: listMetrics(ctx.ws.db, runId) };
    },
    'models.list': () => ({ models: listModels(ctx.ws.db, 'policy').map((m) => modelSummary(ctx, m)) }),
    'models.eval': ({ modelId, split, part }) => svc().evaluate(modelId, split, part),
    'models.samples': async ({ modelId, split, part, limit }) => {
      if (!getModel(ctx.ws.db, modelId)) throw new ApiError('not_found', `model ${modelId} does not exist`);
      return { samples: await svc().samples(modelId, split, part, limit) };
    },
  };
}
