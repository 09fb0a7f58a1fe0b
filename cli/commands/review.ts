/** `fea review <ws> --round ID …`: the dataset lead's decisions on a round, and its approval, from a terminal. */
import type { Command } from 'commander';
import { getUserByName } from '../../db/repositories/users';
import { synthesisHandlers } from '../../services/synthesis/handlers';
import { CliError, printJson } from '../output';
import { call, withWorkspace } from '../workspace';

interface ReviewOpts {
  round?: string;
  accept?: string;
  reject?: string;
  reason?: string;
  acceptPassing?: boolean;
  minAgreement: string;
  approve?: boolean;
  user?: string;
  json?: boolean;
}

function ids(name: string, text: string): number[] {
  const out = text.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (!out.length || out.some((n) => !Number.isInteger(n) || n < 1)) throw new CliError(`${name}: "${text}" is not a comma-separated list of candidate ids`);
  return out;
}

export function register(program: Command): void {
  program
    .command('review')
    .description("accept or reject a round's candidates, accept the passing ones, or approve the round (lead role) and freeze its snapshot")
    .argument('<workspace>', 'workspace folder')
    .requiredOption('--round <id>', 'the round')
    .option('--accept <ids>', 'accept these candidates (comma-separated ids)')
    .option('--reject <ids>', 'reject these candidates (with --reason)')
    .option('--reason <text>', 'why they are rejected')
    .option('--accept-passing', 'accept every pending candidate whose checks pass at or above --min-agreement')
    .option('--min-agreement <x>', 'threshold for --accept-passing', '0.75')
    .option('--approve', 'approve the round: accepted candidates become revisions and a snapshot is frozen (lead role)')
    .requiredOption('--user <name>', 'who decides')
    .option('--json', 'print {round, accepted, rejected, pending, snapshotId?} as JSON')
    .action(async (workspace: string, opts: ReviewOpts) => {
      const roundId = Number(opts.round);
      if (!Number.isInteger(roundId) || roundId < 1) throw new CliError(`--round: "${opts.round}" is not a round id`);
      const actions = [opts.accept, opts.reject, opts.acceptPassing, opts.approve].filter((x) => x !== undefined && x !== false).length;
      if (actions !== 1) throw new CliError('give exactly one of --accept IDS, --reject IDS --reason TEXT, --accept-passing, --approve');
      if (opts.reject !== undefined && !opts.reason?.trim()) throw new CliError('--reject needs --reason TEXT');
      const minAgreement = Number(opts.minAgreement);
      if (!Number.isFinite(minAgreement) || minAgreement < 0 || minAgreement > 1) throw new CliError(`--min-agreement: "${opts.minAgreement}" is not a number from 0 to 1`);
      return withWorkspace(workspace, async (ctx) => {
        const user = getUserByName(ctx.ws.db, opts.user!);
        if (!user) throw new CliError(`--user: no user "${opts.user}" (add one with "fea users ${workspace} add NAME --role ROLE")`, 1);
        const h = synthesisHandlers(ctx);
        let snapshotId: number | undefined;
        let batch: number | undefined;
        if (opts.accept !== undefined) for (const id of ids('--accept', opts.accept)) await call(h, 'review.decide', { candidateId: id, userId: user.id, decision: 'accept' });
        if (opts.reject !== undefined) {
          for (const id of ids('--reject', opts.reject)) await call(h, 'review.decide', { candidateId: id, userId: user.id, decision: 'reject', reason: opts.reason });
        }
        if (opts.acceptPassing) batch = (await call(h, 'review.acceptPassing', { roundId, userId: user.id, minAgreement })).accepted;
        if (opts.approve) snapshotId = (await call(h, 'review.approve', { roundId, userId: user.id })).snapshotId;
        const r = await call(h, 'rounds.get', { roundId });
        const out = { round: roundId, accepted: r.accepted + r.fixed, rejected: r.rejected, pending: r.pending, ...(snapshotId === undefined ? {} : { snapshotId }) };
        if (opts.json) printJson(out);
        else {
          process.stdout.write(
            `round ${roundId}: ${out.accepted} accepted, ${out.rejected} rejected, ${out.pending} pending${batch !== undefined ? ` (${batch} accepted now)` : ''}${snapshotId !== undefined ? `; approved: snapshot ${snapshotId}` : ''}\n`,
          );
        }
      });
    });
}
