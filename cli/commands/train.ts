/** `fea train <ws> --stage sft|rl --split NAME …`: a training run in a worker thread; Ctrl+C checkpoints and stops. */
import type { Command } from 'commander';
import { ApiError } from '../../contract/dispatch';
import { DEFAULT_RUN_SEED, TRAINING_LIMITS } from '../../contract/training-choices';
import { evalLine } from '../eval-line';
import { call, withWorkspace } from '../workspace';
import { CliError, printJson, progressBar } from '../output';
import { parseSets, positiveInt } from '../settings';
import { checkModelRef, resolveModelRef } from '../model-ref';

interface TrainOpts {
  stage?: string;
  split?: string;
  epochs?: string;
  steps?: string;
  from?: string;
  snapshot?: string;
  seed?: string;
  resume?: string;
  set?: string[];
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('train')
    .description('train the reasoning policy (SFT, or GRPO RL from an SFT model) on a split; resumable')
    .argument('<workspace>', 'workspace folder')
    .option('--stage <stage>', 'sft or rl')
    .option('--split <name>', 'split whose train part is used (its test part is evaluated at the end)')
    .option('--epochs <n>', `SFT epochs (default 20; early stopping may end sooner; at most ${TRAINING_LIMITS.maxEpochs})`)
    .option('--steps <n>', `optimizer steps (overrides --epochs; RL default 60; at most ${TRAINING_LIMITS.maxSteps})`)
    .option('--from <model>', 'RL: starting model id, or "latest": the newest trained model (default: the newest SFT model)')
    .option('--snapshot <id>', 'SFT on this frozen snapshot (less the split\'s test part) instead of the split\'s train part; --split defaults to the snapshot\'s')
    .option('--seed <s>', 'seed of initialisation, shuffling, augmentation and sampling', String(DEFAULT_RUN_SEED))
    .option('--resume <run>', 'continue a stopped or killed run from its last checkpoint')
    .option('--set <key=value...>', 'other settings, e.g. lr=1e-3 beta=0.04 lossType=dapo model.hidden=256')
    .option('--json', 'print {runId, modelId, backend, metrics} as JSON')
    .action(async (workspace: string, opts: TrainOpts) => {
      const resume = positiveInt('--resume', opts.resume);
      if (resume === undefined) {
        if (opts.stage !== 'sft' && opts.stage !== 'rl') throw new CliError('--stage must be sft or rl');
        if (!opts.split && opts.snapshot === undefined) throw new CliError('--split is required');
      }
      const seed = opts.seed === undefined ? undefined : Number(opts.seed);
      if (seed !== undefined && !Number.isInteger(seed)) throw new CliError(`--seed: "${opts.seed}" is not a whole number`);
      const epochs = positiveInt('--epochs', opts.epochs, TRAINING_LIMITS.maxEpochs);
      const steps = positiveInt('--steps', opts.steps, TRAINING_LIMITS.maxSteps);
      if (opts.from !== undefined) checkModelRef('--from', opts.from);
      const snapshot = positiveInt('--snapshot', opts.snapshot);
      const config = parseSets(opts.set);
      return withWorkspace(workspace, async (ctx) => {
        let split = opts.split;
        if (snapshot !== undefined && !split) {
          const { getSnapshot } = await import('../../db/repositories/snapshots');
          const snap = getSnapshot(ctx.ws.db, snapshot);
          if (!snap) throw new CliError(`--snapshot: snapshot ${snapshot} does not exist (see "fea snapshots")`, 1);
          if (!snap.split) throw new CliError(`snapshot ${snapshot} was made without a split: pass --split for the part that evaluates the model`);
          split = snap.split;
        }
        const { trainingService } = await import('../../services/training/service');
        const { trainingHandlers } = await import('../../services/training/handlers');
        // The service, not the training.start handler: the CLI waits for the run's result (`done`).
        const from = opts.from === undefined ? undefined : resolveModelRef(ctx.ws.db, '--from', opts.from);
        const svc = trainingService(ctx);
        let bar: ReturnType<typeof progressBar> | null = null;
        const unsubscribe = ctx.events.subscribe((e) => {
          if (e.type === 'job.progress' && e.job.kind === 'train' && e.job.total > 0) {
            if (!bar) bar = progressBar('train', e.job.total);
            bar.update(e.job.done, e.job.total);
          }
        });
        let runId: number | null = null;
        const stop = () => {
          if (runId !== null) svc.stop(runId);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        try {
          const started =
            resume !== undefined
              ? svc.resume(resume)
              : svc.start({ stage: opts.stage as 'sft' | 'rl', split: split!, epochs, steps, from: from ?? null, snapshot: snapshot ?? null, seed, config });
          runId = started.runId;
          if (svc.isQueued(runId)) {
            process.stderr.write(`fea train: run ${runId} is queued: ${svc.slots} training run(s) at a time in a workspace (FEA_TRAINING_SLOTS); it starts when one ends\n`);
          }
          const result = await started.done;
          (bar as ReturnType<typeof progressBar> | null)?.stop();
          if (result === null) {
            const { run } = await call(trainingHandlers(ctx), 'runs.get', { runId: started.runId });
            process.stderr.write(`fea train: run ${started.runId} stopped at step ${run.progress.step}; continue with "fea train ${workspace} --resume ${started.runId}"\n`);
            if (opts.json) printJson({ runId: started.runId, modelId: null, backend: run.backend, metrics: {}, stopped: true });
            process.exitCode = 130;
            return;
          }
          if (opts.json) printJson(result);
          else {
            const ev = result.metrics.eval as Parameters<typeof evalLine>[0] | undefined;
            process.stdout.write(`run ${result.runId} → model ${result.modelId} (backend ${result.backend})${ev ? `; test: ${evalLine(ev)}` : ''}\n`);
          }
        } catch (err) {
          (bar as ReturnType<typeof progressBar> | null)?.stop();
          // A refusal to start (no such split, model or run) is reported as it is; anything later failed the run.
          if (err instanceof CliError || (err instanceof ApiError && runId === null)) throw err;
          throw new CliError(`training failed${runId !== null ? ` (run ${runId})` : ''}: ${err instanceof Error ? err.message : String(err)}`, 1);
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          unsubscribe();
        }
      });
    });
}
