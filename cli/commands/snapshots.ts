/** `fea snapshots <ws>` lists the frozen training sets; `fea snapshot <ws> --name N` freezes one on demand. */
import type { Command } from 'commander';
import { diffSnapshots, getSnapshot } from '../../db/repositories/snapshots';
import { getUserByName } from '../../db/repositories/users';
import { synthesisHandlers } from '../../services/synthesis/handlers';
import type { SnapshotSummary } from '../../contract/synthesis';
import { CliError, escapeForTerminal, printJson } from '../output';
import { call, withWorkspace } from '../workspace';

const json = (s: SnapshotSummary) => ({ id: s.id, name: s.name, records: s.records, parent: s.parent, split: s.split, part: s.part, lineage: s.lineage, provenance: s.provenance });

const line = (s: SnapshotSummary) =>
  `${String(s.id).padEnd(4)} ${escapeForTerminal(s.name).padEnd(20)} ${String(s.records).padStart(7)}  parent ${s.parent ?? '-'}  round ${s.lineage.round ?? '-'}  model ${s.lineage.model ?? '-'}  by ${escapeForTerminal(s.lineage.reviewer ?? '-')}  ${s.lineage.createdAt}`;

export function register(program: Command): void {
  program
    .command('snapshots')
    .description('list the immutable training-set snapshots with their lineage')
    .argument('<workspace>', 'workspace folder')
    .option('--diff <ids...>', 'list the records added, removed and relabeled from snapshot A to snapshot B')
    .option('--json', 'print {snapshots: [...]} (with --diff: {from, to, added, removed, relabeled}) as JSON')
    .action(async (workspace: string, opts: { json?: boolean; diff?: string[] }) =>
      withWorkspace(workspace, async (ctx) => {
        if (opts.diff) {
          const ids = opts.diff.map(Number);
          if (ids.length !== 2 || ids.some((n) => !Number.isInteger(n) || n < 1)) throw new CliError('--diff takes two snapshot ids: --diff A B');
          for (const id of ids) if (!getSnapshot(ctx.ws.db, id)) throw new CliError(`snapshot ${id} does not exist`, 1);
          const d = diffSnapshots(ctx.ws.db, ids[0], ids[1]);
          if (opts.json) {
            printJson({ from: ids[0], to: ids[1], ...d });
            return;
          }
          const lines = [
            `snapshot ${ids[0]} → ${ids[1]}: ${d.added.length} added, ${d.removed.length} removed, ${d.relabeled.length} relabeled`,
            ...d.added.map((id) => `+ ${escapeForTerminal(id)}`),
            ...d.removed.map((id) => `- ${escapeForTerminal(id)}`),
            ...d.relabeled.map((r) => `~ ${escapeForTerminal(r.recordId)} (revision ${r.from} → ${r.to})`),
          ];
          process.stdout.write(`${lines.join('\n')}\n`);
          return;
        }
        const { snapshots } = await call(synthesisHandlers(ctx), 'snapshots.list', {});
        if (opts.json) return printJson({ snapshots: snapshots.map(json) });
        process.stdout.write(`id   name                 records\n${snapshots.map(line).join('\n')}\n`);
      }),
    );
  program
    .command('snapshot')
    .description("freeze the labeled records of a split part (default: its training part) as a named, immutable snapshot")
    .argument('<workspace>', 'workspace folder')
    .requiredOption('--name <name>', 'the snapshot name (unique)')
    .option('--split <name>', 'the split')
    .option('--part <name>', 'the part (default train)')
    .option('--user <name>', 'who freezes it (recorded)')
    .option('--json', 'print the snapshot as JSON')
    .action(async (workspace: string, opts: { name: string; split?: string; part?: string; user?: string; json?: boolean }) =>
      withWorkspace(workspace, async (ctx) => {
        const user = opts.user ? getUserByName(ctx.ws.db, opts.user) : undefined;
        if (opts.user && !user) throw new CliError(`--user: no user "${opts.user}"`, 1);
        const s = await call(synthesisHandlers(ctx), 'snapshots.create', { name: opts.name, split: opts.split ?? null, part: opts.part ?? null, userId: user?.id });
        if (opts.json) printJson(json(s));
        else process.stdout.write(`${line(s)}\n`);
      }),
    );
}
