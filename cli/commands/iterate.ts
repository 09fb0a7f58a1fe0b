/**
 * `fea iterate <ws> --split NAME`: the data engine's loop — SFT on the latest approved snapshot, RL from it, a
 * synthesis round with the new model, then a stop until the lead approves the round. Run it again after approval for
 * the next iteration; after a kill it continues the step where it stopped.
 */
import type { Command } from 'commander';
import { getUserByName } from '../../db/repositories/users';
import { CliError, printJson, progressBar } from '../output';
import { parseSets, positiveInt } from '../settings';
import { withWorkspace } from '../workspace';

interface IterateOpts {
  split: string;
  rounds: string;
  sftSteps?: string;
  rlSteps?: string;
  synthLimit?: string;
  set?: string[];
  user?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('iterate')
    .description('one iteration of the data engine: SFT on the latest snapshot → RL → a synthesis round → wait for the lead\'s approval')
    .argument('<workspace>', 'workspace folder')
    .requiredOption('--split <name>', "the split: its training part is synthesized, its test part evaluates each model")
    .option('--rounds <k>', 'iterations in this series (each waits for approval before the next)', '1')
    .option('--sft-steps <n>', 'SFT optimizer steps')
    .option('--rl-steps <n>', 'RL steps')
    .option('--synth-limit <n>', 'at most this many records per round')
    .option('--set <key=value...>', 'training settings for both stages, as "fea train --set"')
    .option('--user <name>', 'who runs it (recorded with the round and snapshot)')
    .option('--json', 'print {iteration, step, runIds, roundId, waitingForApproval} as JSON')
    .action(async (workspace: string, opts: IterateOpts) => {
      const rounds = positiveInt('--rounds', opts.rounds) ?? 1;
      const config = {
        sftSteps: positiveInt('--sft-steps', opts.sftSteps),
        rlSteps: positiveInt('--rl-steps', opts.rlSteps),
        set: parseSets(opts.set),
        synth: { limit: positiveInt('--synth-limit', opts.synthLimit) },
        userId: null as number | null,
      };
      return withWorkspace(workspace, async (ctx) => {
        if (opts.user) {
          const u = getUserByName(ctx.ws.db, opts.user);
          if (!u) throw new CliError(`--user: no user "${opts.user}"`, 1);
          config.userId = u.id;
        }
        const { iterationService } = await import('../../services/synthesis/iterate');
        const svc = iterationService(ctx);
        const bars = new Map<string, ReturnType<typeof progressBar>>();
        const unsubscribe = ctx.events.subscribe((e) => {
          if (e.type !== 'job.progress' || e.job.total <= 0) return;
          let bar = bars.get(e.job.id);
          if (!bar) bars.set(e.job.id, (bar = progressBar(e.job.kind, e.job.total)));
          bar.update(e.job.done, e.job.total);
          if (e.job.status !== 'running') bar.stop();
        });
        const stop = () => svc.stop();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        try {
          const r = await svc.advance(opts.split, { rounds, config });
          for (const b of bars.values()) b.stop();
          const out = { iteration: r.iteration, step: r.step, runIds: r.runIds, roundId: r.roundId, waitingForApproval: r.waitingForApproval, finished: r.finished };
          if (r.stopped) process.exitCode = 130;
          if (opts.json) printJson(out);
          else if (r.waitingForApproval) {
            process.stdout.write(
              `iteration ${r.iteration}: runs ${r.runIds.join(', ')}, round ${r.roundId} waits for approval.\n` +
                `Review it in the app, or approve with "fea review ${workspace} --round ${r.roundId} --approve --user LEAD", then run "fea iterate ${workspace} --split ${opts.split}" again.\n`,
            );
          } else process.stdout.write(`iteration ${r.iteration}: ${r.stopped ? `stopped at ${r.step}; rerun to continue` : r.finished ? 'done' : r.step}\n`);
        } catch (err) {
          for (const b of bars.values()) b.stop();
          throw err;
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          unsubscribe();
        }
      });
    });
}
