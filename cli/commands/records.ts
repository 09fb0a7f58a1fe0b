/** `fea records <ws> [--status S] [--limit N] [--json]`: list records with their current labels. */
import type { Command } from 'commander';
import type { RecordRow } from '../../contract/types';
import { RECORD_STATUSES, type RecordStatus } from '../../pipelines/facs/vocabulary';
import { recordHandlers } from '../../services/records/handlers';
import { imagePath } from '../../services/records/query';
import { call, withWorkspace } from '../workspace';
import { CliError, escapeForTerminal, printJson } from '../output';

const PAGE = 1000;

export function register(program: Command): void {
  program
    .command('records')
    .description('list records (id, status, emotion, AUs, subject, image path)')
    .argument('<workspace>', 'workspace folder')
    .option('--status <status>', `only records with this status (${RECORD_STATUSES.join(', ')})`)
    .option('--limit <n>', 'at most N records', '100')
    .option('--offset <n>', 'skip the first N records', '0')
    .option('--json', 'print {records: [...]} as one JSON object on the last line')
    .action((workspace: string, opts: { status?: string; limit: string; offset: string; json?: boolean }) => {
      if (opts.status !== undefined && !(RECORD_STATUSES as readonly string[]).includes(opts.status)) {
        throw new CliError(`--status: "${opts.status}" is not one of ${RECORD_STATUSES.join(', ')}`);
      }
      if (!/^\d+$/.test(opts.limit) || Number(opts.limit) < 1) throw new CliError(`--limit: "${opts.limit}" is not a whole number ≥ 1`);
      if (!/^\d+$/.test(opts.offset)) throw new CliError(`--offset: "${opts.offset}" is not a whole number ≥ 0`);
      return withWorkspace(workspace, async (ctx) => {
        // The contract pages at most PAGE rows a call; --limit has no such bound, so larger lists take several pages.
        const filter = opts.status === undefined ? {} : { status: opts.status as RecordStatus };
        const limit = Number(opts.limit);
        const rows: RecordRow[] = [];
        let total = 0;
        for (let offset = Number(opts.offset); rows.length < limit; ) {
          const page = await call(recordHandlers(ctx), 'records.query', { filter, sort: { field: 'id', dir: 'asc' }, offset, limit: Math.min(PAGE, limit - rows.length) });
          total = page.total;
          rows.push(...page.rows);
          offset += page.rows.length;
          if (page.rows.length === 0 || offset >= total) break;
        }
        const records = rows.map((r) => ({
          id: r.id,
          status: r.status,
          emotion: r.emotion,
          aus: r.aus,
          subject: r.subject,
          image: imagePath(ctx.ws, r.imageKey),
          source: r.source,
          author: r.author,
        }));
        if (opts.json) printJson({ records, total });
        else for (const r of records) process.stdout.write(`${[r.id, r.status, r.emotion ?? '-', r.aus.join(',') || '-', r.subject ?? '-', r.image].map(escapeForTerminal).join('\t')}\n`);
      });
    });
}
