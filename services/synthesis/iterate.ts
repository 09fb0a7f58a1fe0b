/**
 * Iterations of the data engine: SFT on the latest approved snapshot → RL from it → a synthesis round with the new
 * model → a stop until the lead approves → the next iteration on the new snapshot. Each step is a recorded run or
 * round linked to its iteration row, so `advance` after a restart continues the step where it stopped.
 */
import { ApiError } from '../../contract/dispatch';
import { BalanceReportSchema, EvalReportLiteSchema, type IterationSummary } from '../../contract/synthesis';
import { createIteration, getIteration, latestIteration, listIterationRows, updateIteration, type IterationRow } from '../../db/repositories/iterations';
import { latestEvals } from '../../db/repositories/models';
import { getRound, roundOutcomes } from '../../db/repositories/rounds';
import { getRun } from '../../db/repositories/runs';
import { createSnapshot, getSnapshot, latestSnapshot, snapshotNameTaken, snapshotProvenance, trainingSetPairs } from '../../db/repositories/snapshots';
import { splitExists, splitPartNames } from '../../db/repositories/training-data';
import type { ServiceContext } from '../context';
import { trainingService } from '../training/service';
import { synthesisService, type SynthOptions } from './rounds';
import { parseStored } from './stored';
import { z } from 'zod';
import { CandidateTargetSchema } from '../../contract/synthesis';

/** What an iteration's steps are run with: training overrides (as `fea train --set`) and the round's options. */
export const IterationConfigSchema = z.object({
  sftSteps: z.number().int().positive().optional(),
  rlSteps: z.number().int().positive().optional(),
  set: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
  synth: z.object({ limit: z.number().int().min(0).optional(), samples: z.number().int().min(1).optional(), minAgreement: z.number().min(0).max(1).optional() }).default({}),
  userId: z.number().int().nullable().default(null),
});
export type IterationConfig = z.infer<typeof IterationConfigSchema>;

export interface IterateResult {
  iteration: number;
  step: IterationRow['step'];
  runIds: number[];
  roundId: number | null;
  waitingForApproval: boolean;
  /** The iterations asked for are all done. */
  finished: boolean;
  /** A run or round was stopped (Ctrl+C): rerun to continue. */
  stopped: boolean;
}

function resultOf(it: IterationRow, stopped = false): IterateResult {
  return {
    iteration: it.id,
    step: it.step,
    runIds: [it.sft_run_id, it.rl_run_id].filter((x): x is number => x !== null),
    roundId: it.round_id,
    waitingForApproval: it.step === 'review',
    finished: it.step === 'done' && it.number >= it.rounds_total,
    stopped,
  };
}

export class IterationService {
  private stopping = false;
  constructor(private readonly ctx: ServiceContext) {}

  stop(): void {
    this.stopping = true;
    const db = this.ctx.ws.db;
    for (const it of listIterationRows(db)) {
      if (it.sft_run_id) trainingService(this.ctx).stop(it.sft_run_id);
      if (it.rl_run_id) trainingService(this.ctx).stop(it.rl_run_id);
      if (it.round_id) synthesisService(this.ctx).stop(it.round_id);
    }
  }

  /** The iteration to work on: the split's current one, or a new one on the latest snapshot. */
  private current(split: string, rounds: number, config: IterationConfig): IterationRow {
    const db = this.ctx.ws.db;
    let it = latestIteration(db, split);
    if (it?.step === 'review') {
      const round = it.round_id === null ? undefined : getRound(db, it.round_id);
      if (round?.status === 'approved' && round.snapshot_id !== null) {
        updateIteration(db, it.id, { step: 'done', next_snapshot_id: round.snapshot_id });
        it = getIteration(db, it.id)!;
      }
    }
    if (it && it.step !== 'done') return it;
    if (it && it.number < it.rounds_total) return this.create(split, it.number + 1, it.rounds_total, config);
    // a new series of `rounds` iterations
    return this.create(split, (it?.number ?? 0) + 1, (it?.number ?? 0) + rounds, config);
  }

  private create(split: string, number: number, roundsTotal: number, config: IterationConfig): IterationRow {
    const db = this.ctx.ws.db;
    let snap = latestSnapshot(db, split);
    if (!snap) {
      // the first iteration freezes today's labeled training part, so every model trains on a snapshot
      let name = `initial-${split}`;
      for (let k = 2; snapshotNameTaken(db, name); k++) name = `initial-${split}-${k}`;
      const part = splitPartNames(db, split).includes('train') ? 'train' : null;
      const id = createSnapshot(db, { name, parentId: null, split, part, modelId: null, roundId: null, reviewerId: config.userId, pairs: trainingSetPairs(db, split, part) });
      snap = getSnapshot(db, id)!;
    }
    const id = createIteration(db, { split, number, roundsTotal, snapshotId: snap.id, config });
    return getIteration(db, id)!;
  }

  /** Runs the iteration's steps until it waits for approval, finishes, or is stopped. */
  async advance(split: string, opts: { rounds?: number; config?: Partial<IterationConfig> } = {}): Promise<IterateResult> {
    const db = this.ctx.ws.db;
    if (!splitExists(db, split)) throw new ApiError('not_found', `split "${split}" does not exist`);
    const config = IterationConfigSchema.parse(opts.config ?? {});
    let it = this.current(split, opts.rounds ?? 1, config);
    const cfg = parseStored(IterationConfigSchema, it.config) ?? config;
    const training = trainingService(this.ctx);
    const runStep = async (stage: 'sft' | 'rl', runId: number | null, from: number | null): Promise<number | null> => {
      if (runId !== null) {
        const run = getRun(db, runId);
        if (run?.status === 'done' && run.model_id !== null) return run.model_id;
        const live = training.wait(runId);
        const r = live ? await live : await training.resume(runId).done;
        return r?.modelId ?? null;
      }
      const started = training.start({
        stage,
        split,
        snapshot: stage === 'sft' ? it.snapshot_id : null,
        from,
        steps: stage === 'sft' ? cfg.sftSteps : cfg.rlSteps,
        config: cfg.set,
      });
      updateIteration(db, it.id, stage === 'sft' ? { sft_run_id: started.runId } : { rl_run_id: started.runId });
      const r = await started.done;
      return r?.modelId ?? null;
    };
    try {
      while (!this.stopping) {
        it = getIteration(db, it.id)!;
        if (it.step === 'sft') {
          const model = await runStep('sft', it.sft_run_id, null);
          if (model === null) return resultOf(getIteration(db, it.id)!, true);
          updateIteration(db, it.id, { step: 'rl' });
        } else if (it.step === 'rl') {
          const sftModel = getRun(db, it.sft_run_id!)!.model_id;
          const model = await runStep('rl', it.rl_run_id, sftModel);
          if (model === null) return resultOf(getIteration(db, it.id)!, true);
          updateIteration(db, it.id, { step: 'synth' });
        } else if (it.step === 'synth') {
          const synth = synthesisService(this.ctx);
          let summary;
          if (it.round_id !== null) {
            const round = getRound(db, it.round_id);
            summary = round?.status === 'review' ? round : await (synth.wait(it.round_id) ?? synth.resume(it.round_id).done);
          } else {
            const model = getRun(db, it.rl_run_id!)!.model_id;
            const o: SynthOptions = { modelId: model, split, iterationId: it.id, userId: cfg.userId, ...cfg.synth };
            const started = synth.start(o);
            updateIteration(db, it.id, { round_id: started.roundId });
            summary = await started.done;
          }
          if (summary === null) return resultOf(getIteration(db, it.id)!, true);
          updateIteration(db, it.id, { step: 'review' });
        } else return resultOf(it);
      }
      return resultOf(getIteration(db, it.id)!, true);
    } catch (err) {
      updateIteration(db, it.id, { error: err instanceof Error ? err.message : String(err) });
      throw err;
    }
  }

  list(): IterationSummary[] {
    return listIterationRows(this.ctx.ws.db).map((it) => this.summary(it));
  }

  private summary(it: IterationRow): IterationSummary {
    const db = this.ctx.ws.db;
    const snap = it.snapshot_id === null ? undefined : getSnapshot(db, it.snapshot_id);
    let round: IterationSummary['round'] = null;
    const r = it.round_id === null ? undefined : getRound(db, it.round_id);
    if (r) {
      const report = parseStored(BalanceReportSchema, r.report);
      const accepted = new Map<string, number>();
      for (const o of roundOutcomes(db, r.id)) {
        if (o.decision !== 'accepted' && o.decision !== 'fixed') continue;
        const e = parseStored(CandidateTargetSchema, o.target)?.emotion ?? o.emotion ?? '';
        accepted.set(e, (accepted.get(e) ?? 0) + 1);
      }
      round = {
        byEmotion: Object.fromEntries(
          Object.entries(report?.byEmotion ?? {}).map(([e, c]) => {
            const a = accepted.get(e) ?? 0;
            return [e, { ...c, accepted: a, acceptedRate: c.input ? Number((a / c.input).toFixed(4)) : 0 }];
          }),
        ),
      };
    }
    const finalRun = it.rl_run_id ?? it.sft_run_id;
    const model = finalRun === null ? null : (getRun(db, finalRun)?.model_id ?? null);
    const ev = model === null ? undefined : latestEvals(db, model).find((e) => e.split === it.split);
    const test = ev ? parseStored(EvalReportLiteSchema, JSON.stringify(ev.report)) : null;
    return {
      id: it.id,
      split: it.split,
      number: it.number,
      roundsTotal: it.rounds_total,
      step: it.step,
      snapshotId: it.snapshot_id,
      sftRunId: it.sft_run_id,
      rlRunId: it.rl_run_id,
      roundId: it.round_id,
      nextSnapshotId: it.next_snapshot_id,
      error: it.error,
      createdAt: it.created_at,
      updatedAt: it.updated_at,
      datasetSize: snap?.records ?? null,
      provenance: snap ? snapshotProvenance(db, snap.id) : [],
      round,
      test,
    };
  }
}

const services = new WeakMap<ServiceContext, IterationService>();
export function iterationService(ctx: ServiceContext): IterationService {
  let s = services.get(ctx);
  if (!s) services.set(ctx, (s = new IterationService(ctx)));
  return s;
}
