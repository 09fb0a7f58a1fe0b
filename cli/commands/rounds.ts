/** `fea rounds <ws>`: the synthesis rounds and where each stands. */
import type { Command } from 'commander';
import { synthesisHandlers } from '../../services/synthesis/handlers';
import { printJson } from '../output';
import { call, withWorkspace } from '../workspace';

export function register(program: Command): void {
  program
    .command('rounds')
    .description('list the synthesis rounds: status, model, candidates, kept, accepted, rejected')
    .argument('<workspace>', 'workspace folder')
    .option('--json', 'print {rounds: [...]} as JSON')
    .action(async (workspace: string, opts: { json?: boolean }) =>
      withWorkspace(workspace, async (ctx) => {
        const { rounds } = await call(synthesisHandlers(ctx), 'rounds.list', {});
        const out = rounds.map((r) => ({
          id: r.id,
          status: r.status,
          model: r.model,
          createdAt: r.createdAt,
          candidates: r.candidates,
          kept: r.kept,
          accepted: r.accepted + r.fixed,
          rejected: r.rejected,
          pending: r.pending,
          split: r.split,
          snapshotId: r.snapshotId,
        }));
        if (opts.json) return printJson({ rounds: out });
        const lines = ['round  status    model    candidates  kept  accepted  rejected  pending  created'];
        for (const r of out) {
          lines.push(
            `${String(r.id).padEnd(6)} ${r.status.padEnd(9)} ${(r.model === null ? 'round 0' : String(r.model)).padEnd(8)} ${String(r.candidates).padStart(10)}  ${String(r.kept).padStart(4)}  ${String(r.accepted).padStart(8)}  ${String(r.rejected).padStart(8)}  ${String(r.pending).padStart(7)}  ${r.createdAt}`,
          );
        }
        process.stdout.write(`${lines.join('\n')}\n`);
      }),
    );
}
