/** `fea stats <ws> [--json]`: counts by status, emotion and AU, progress and throughput. */
import type { Command } from 'commander';
import * as path from 'node:path';
import type { ServiceContext } from '../../services/context';
import { recordHandlers } from '../../services/records/handlers';
import { isCorruption } from '../../services/workspace/check';
import { damagedError } from '../../services/workspace/damage';
import { call, withWorkspace } from '../workspace';
import { printJson } from '../output';

/**
 * Counts read from a damaged database can look normal while other queries fail: the workspace is checked first
 * (withWorkspace's `sound`, trusting a stamped clean check of these very files), and damage that stops even the open
 * (the file header, the schema page) is named as damage too.
 */
async function statsOf(workspace: string, work: (ctx: ServiceContext) => Promise<void>): Promise<void> {
  try {
    await withWorkspace(workspace, work, { sound: true });
  } catch (err) {
    if (isCorruption(err)) throw damagedError({ dir: path.resolve(workspace), problems: [(err as Error).message] });
    throw err;
  }
}

export function register(program: Command): void {
  program
    .command('stats')
    .description('workspace statistics')
    .argument('<workspace>', 'workspace folder')
    .option('--json', 'print the statistics as one JSON object on the last line')
    .action((workspace: string, opts: { json?: boolean }) =>
      statsOf(workspace, async (ctx) => {
        const s = await call(recordHandlers(ctx), 'stats.get', {});
        if (opts.json) printJson(s);
        else {
          process.stdout.write(`${s.records} records, ${s.images} images: ${s.labeled} labeled, ${s.weak} weak, ${s.unlabeled} unlabeled, ${s.reviewed} reviewed\n`);
          process.stdout.write(`emotions: ${Object.entries(s.byEmotion).map(([k, v]) => `${k} ${v}`).join(', ') || '-'}\n`);
          process.stdout.write(`AUs: ${Object.entries(s.byAU).map(([k, v]) => `${k} ${v}`).join(', ') || '-'}\n`);
        }
      }),
    );
}
