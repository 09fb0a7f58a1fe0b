/** `fea snapshots <ws>` lists the frozen training sets; `fea snapshot <ws> --name N` freezes one on demand. */
import type { Command } from 'commander';
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
    .option('--json', 'print {snapshots: [...]} as JSON')
    .action(async (workspace: string, opts: { json?: boolean }) =>
      withWorkspace(workspace, async (ctx) => {
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
