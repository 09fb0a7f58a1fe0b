import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ApiHandlers } from '../../contract/api';
import { ApiError } from '../../contract/dispatch';
import { z } from 'zod';
import { EvalReportSchema } from '../../contract/eval-report';
import { RunResultSchema, StoredRunSummarySchema, runResultOfMetrics } from '../../contract/run-result';
import type { ModelSummary, RunResult, RunSummary } from '../../contract/types';
import { deleteUnusedRun, getRun, listMetrics, listRuns, reapOrphanedRuns, type RunRow } from '../../db/repositories/runs';
import { getModel, latestEvals, listModels, type ModelRow } from '../../db/repositories/models';
import type { ServiceContext } from '../context';
import { trainingService } from './service';

export type TrainingMethods = 'training.start' | 'training.check' | 'training.stop' | 'training.resume' | 'runs.list' | 'runs.delete' | 'runs.get' | 'models.list' | 'models.eval' | 'models.samples' | 'models.suggest';

/**
 * The contract's result of a finished run: the one the worker parsed and stored in its summary with status 'done',
 * read back through the same schema. Runs finished before results were stored keep their metrics only: theirs is
 * built from those. Null for a run without one, or whose summary does not fit the schema.
 */
export function runResult(r: RunRow): RunResult | null {
  if (r.status !== 'done') return null;
  const stored = StoredRunSummarySchema.safeParse(parseJsonText(r.summary));
  if (!stored.success) return null;
  if (stored.data.result) return stored.data.result;
  if (Object.keys(stored.data).length === 0) return null;
  const parsed = RunResultSchema.safeParse(runResultOfMetrics(r.stage, stored.data, r.total_steps));
  return parsed.success ? parsed.data : null;
}

/** JSON text → its value; undefined when it is not JSON (which no schema accepts). */
function parseJsonText(text: string | null): unknown {
  try {
    return text === null ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

const StoredConfigSchema = z.record(z.string(), z.unknown());

export function runSummary(r: RunRow): RunSummary {
  return {
    id: r.id,
    stage: r.stage,
    status: r.status,
    split: r.split,
    seed: r.seed,
    backend: r.backend,
    config: StoredConfigSchema.catch({}).parse(parseJsonText(r.config)),
    progress: { step: r.step, totalSteps: r.total_steps },
    modelId: r.model_id,
    parentModelId: r.parent_model_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    error: r.error,
    hasCheckpoint: r.checkpoint_path !== null,
    result: runResult(r),
  };
}

export function modelSummary(ctx: ServiceContext, m: ModelRow): ModelSummary {
  return {
    id: m.id,
    name: m.name,
    stage: m.stage === 'rl' ? 'rl' : 'sft',
    runId: m.run_id,
    parentModelId: m.parent_model_id,
    backend: m.backend ?? '',
    createdAt: m.created_at,
    // a stored report that does not fit the schema is left out rather than shown wrong
    evals: latestEvals(ctx.ws.db, m.id).flatMap((e) => {
      const report = EvalReportSchema.safeParse(e.report);
      return report.success ? [{ split: e.split, part: e.part, ...report.data }] : [];
    }),
  };
}

export function trainingHandlers(ctx: ServiceContext): Pick<ApiHandlers, TrainingMethods> {
  const svc = () => trainingService(ctx);
  return {
    'training.start': (input) => {
      const { jobId, runId, seed } = svc().start(input);
      return { jobId, runId, queued: svc().isQueued(runId), seed };
    },
    'training.check': (input) => svc().plan(input).check,
    'training.stop': ({ runId }) => {
      if (!getRun(ctx.ws.db, runId)) throw new ApiError('not_found', `run ${runId} does not exist`);
      return { stopped: svc().stop(runId) };
    },
    'training.resume': ({ runId }) => {
      const { jobId } = svc().resume(runId);
      return { jobId, runId, queued: svc().isQueued(runId) };
    },
    // Runs whose process was killed would otherwise show as running forever.
    // A queued run left by an ended process (a restart) starts here when a slot is free.
    'runs.list': () => {
      reapOrphanedRuns(ctx.ws.db);
      svc().pump();
      return { runs: listRuns(ctx.ws.db).map(runSummary) };
    },
    'runs.delete': ({ runId }) => {
      reapOrphanedRuns(ctx.ws.db);
      if (svc().isLive(runId) || svc().isQueued(runId)) throw new ApiError('conflict', `run ${runId} is running or queued: stop it first`);
      const r = deleteUnusedRun(ctx.ws.db, runId);
      if (!r.deleted) throw new ApiError(r.reason?.includes('does not exist') ? 'not_found' : 'conflict', r.reason ?? `run ${runId} was not deleted`);
      // its checkpoints go with it; nothing else refers to them
      fs.rmSync(path.join(ctx.ws.dir, 'runs', String(runId)), { recursive: true, force: true });
      return { deleted: true };
    },
    'runs.get': ({ runId }) => {
      reapOrphanedRuns(ctx.ws.db);
      const r = getRun(ctx.ws.db, runId);
      if (!r) throw new ApiError('not_found', `run ${runId} does not exist`);
      return { run: runSummary(r), metrics: listMetrics(ctx.ws.db, runId) };
    },
    'models.list': () => ({ models: listModels(ctx.ws.db, 'policy').map((m) => modelSummary(ctx, m)) }),
    'models.eval': ({ modelId, split, part }) => svc().evaluate(modelId, split, part),
    'models.suggest': async ({ modelId, split, part }) => {
      const written = await svc().suggest(modelId, split, part);
      // the label views reload: the records' suggestions changed
      ctx.events.publish({ type: 'records.changed', ids: [], all: true });
      return { written };
    },
    'models.samples': async ({ modelId, split, part, limit }) => {
      if (!getModel(ctx.ws.db, modelId)) throw new ApiError('not_found', `model ${modelId} does not exist`);
      return { samples: await svc().samples(modelId, split, part, limit) };
    },
  };
}
