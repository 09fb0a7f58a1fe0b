/** `fea synth <ws>`: a synthesis round over the records without a complete label; resumable, Ctrl+C stops it. */
import type { Command } from 'commander';
import { pendingImages } from '../../db/repositories/analysis';
import { getUserByName } from '../../db/repositories/users';
import { parseQuota } from '../../pipelines/synthesis/balance';
import type { RoundSummary } from '../../contract/synthesis';
import { CliError, escapeForTerminal, printJson, progressBar } from '../output';
import { withWorkspace } from '../workspace';

interface SynthOpts {
  model?: string;
  split?: string;
  limit: string;
  retries: string;
  samples: string;
  minAgreement: string;
  quota?: string;
  user?: string;
  resume?: string;
  seed: string;
  temperature: string;
  analyze: boolean;
  json?: boolean;
}

function wholeNumber(name: string, v: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new CliError(`${name}: "${v}" is not a whole number ≥ ${min}`);
  return n;
}

function positiveNumber(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 5) throw new CliError(`${name}: "${v}" is not a number above 0 and at most 5`);
  return n;
}

function share(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new CliError(`${name}: "${v}" is not a number from 0 to 1`);
  return n;
}

function quotaOf(text: string | undefined): Record<string, number> {
  if (!text) return {};
  try {
    return parseQuota(text);
  } catch (err) {
    throw new CliError(`--quota: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function roundJson(r: RoundSummary) {
  return {
    roundId: r.id,
    candidates: r.candidates,
    kept: r.kept,
    byEmotion: r.report?.byEmotion ?? {},
    flaggedClasses: r.report?.flaggedClasses ?? [],
    inReview: r.inReview,
    status: r.status,
  };
}

export function register(program: Command): void {
  program
    .command('synth')
    .description('a synthesis round: the model (or, without --model, the face analysis: round 0) writes candidates for weak and unlabeled records')
    .argument('<workspace>', 'workspace folder')
    .option('--model <id>', 'trained policy id, or "latest"; without it: round 0 from face analysis')
    .option('--split <name>', "only this split's training part (test records are never synthesized)")
    .option('--limit <n>', 'at most this many records (0 = all)', '0')
    .option('--retries <n>', 'conditioned generation: retries after a failed filter', '5')
    .option('--samples <g>', 'self-consistency: samples per unlabeled face', '8')
    .option('--min-agreement <x>', 'self-consistency: share of samples that must agree on emotion and AUs', '0.75')
    .option('--quota <emotion=N,...>', 'cap what goes to review per class, most confident first')
    .option('--seed <s>', 'sampling seed', '1')
    .option('--temperature <t>', 'sampling temperature of retries and self-consistency samples', '1')
    .option('--user <name>', 'who starts the round (recorded)')
    .option('--resume <round>', 'continue a stopped or killed round')
    .option('--no-analyze', 'round 0: do not analyse images that have no analysis yet first')
    .option('--json', 'print {roundId, candidates, kept, byEmotion, flaggedClasses} as JSON')
    .action(async (workspace: string, opts: SynthOpts) => {
      const quota = quotaOf(opts.quota);
      return withWorkspace(workspace, async (ctx) => {
        const { synthesisService, latestPolicyId } = await import('../../services/synthesis/rounds');
        const svc = synthesisService(ctx);
        let modelId: number | null = null;
        if (opts.model === 'latest') {
          modelId = latestPolicyId(ctx);
          if (modelId === null) throw new CliError('--model latest: no trained policy yet (train one with "fea train", or run round 0 without --model)', 1);
        } else if (opts.model !== undefined) modelId = wholeNumber('--model', opts.model, 1);
        let userId: number | null = null;
        if (opts.user) {
          const u = getUserByName(ctx.ws.db, opts.user);
          if (!u) throw new CliError(`--user: no user "${opts.user}" (add one with "fea users ${workspace} add NAME --role ROLE")`, 1);
          userId = u.id;
        }
        if (opts.resume === undefined && modelId === null && opts.analyze && pendingImages(ctx.ws.db).length > 0) {
          const { runAnalysis } = await import('../../services/analysis/run');
          let bar: ReturnType<typeof progressBar> | null = null;
          await runAnalysis(ctx.ws, {
            onProgress: (p) => {
              if (!bar && p.total > 0) bar = progressBar('analyze', p.total);
              bar?.update(p.done, p.total);
            },
          });
          (bar as ReturnType<typeof progressBar> | null)?.stop();
        }
        let bar: ReturnType<typeof progressBar> | null = null;
        const unsubscribe = ctx.events.subscribe((e) => {
          if (e.type === 'job.progress' && e.job.kind === 'synth' && e.job.total > 0) {
            if (!bar) bar = progressBar('synth', e.job.total);
            bar.update(e.job.done, e.job.total);
          }
        });
        let roundId: number | null = null;
        const stop = () => {
          if (roundId !== null) svc.stop(roundId);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        try {
          const started =
            opts.resume !== undefined
              ? svc.resume(wholeNumber('--resume', opts.resume, 1))
              : svc.start({
                  modelId,
                  split: opts.split ?? null,
                  limit: wholeNumber('--limit', opts.limit, 0),
                  retries: wholeNumber('--retries', opts.retries, 0),
                  samples: wholeNumber('--samples', opts.samples, 1),
                  minAgreement: share('--min-agreement', opts.minAgreement),
                  quota,
                  seed: wholeNumber('--seed', opts.seed, 0),
                  temperature: positiveNumber('--temperature', opts.temperature),
                  userId,
                });
          roundId = started.roundId;
          const summary = await started.done;
          (bar as ReturnType<typeof progressBar> | null)?.stop();
          if (summary === null) {
            process.stderr.write(`fea synth: round ${roundId} stopped; continue with "fea synth ${workspace} --resume ${roundId}"\n`);
            if (opts.json) printJson({ ...roundJson(svc.get(roundId)), stopped: true });
            process.exitCode = 130;
            return;
          }
          if (opts.json) printJson(roundJson(summary));
          else {
            const rows = Object.entries(summary.report?.byEmotion ?? {}).map(
              ([e, c]) => `  ${escapeForTerminal(e || '(none)').padEnd(12)} ${String(c.input).padStart(6)} in ${String(c.kept).padStart(6)} kept  ${(c.keptRate * 100).toFixed(1)} %`,
            );
            process.stdout.write(
              `round ${summary.id}: ${summary.kept} of ${summary.candidates} candidates kept, ${summary.inReview} in review\n${rows.join('\n')}\n` +
                (summary.report?.flaggedClasses.length ? `flagged (kept rate below half the overall): ${summary.report.flaggedClasses.join(', ')}\n` : '') +
                `review it in the app, or with "fea review ${workspace} --round ${summary.id} …"\n`,
            );
          }
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          unsubscribe();
        }
      });
    });
}
