/** `fea init <ws> [--demo N] [--seed S]`: create a workspace, optionally with deterministic demo faces. */
import type { Command } from 'commander';
import { initWorkspace } from '../../services/workspace/init';
import { CliError, printJson, progressBar, type Progress } from '../output';

function wholeNumber(flag: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min) throw new CliError(`${flag}: "${raw}" is not a whole number${min > -Infinity ? ` ≥ ${min}` : ''}`);
  return n;
}

export function register(program: Command): void {
  program
    .command('init')
    .description('create a workspace (a folder with fea.sqlite and media/), optionally with N synthetic demo faces')
    .argument('<workspace>', 'workspace folder to create')
    .option('--demo <n>', 'generate N demo faces with known AUs, emotion and reasoning')
    .option('--seed <s>', 'seed of the demo generator (same seed, same bytes)', '1')
    .option('--json', 'print the result as one JSON object on the last line')
    .action(async (workspace: string, opts: { demo?: string; seed: string; json?: boolean }) => {
      const demo = wholeNumber('--demo', opts.demo, 0);
      const seed = wholeNumber('--seed', opts.seed, -Infinity);
      let bar: Progress | null = null;
      let phase = '';
      try {
        const result = await initWorkspace(workspace, {
          demo,
          seed,
          onProgress: (done, total, p) => {
            if (p !== phase) {
              bar?.stop();
              phase = p;
              bar = progressBar(p === 'render' ? 'render demo faces' : 'import demo faces', total);
            }
            bar?.update(done, total);
          },
        });
        (bar as Progress | null)?.stop();
        if (opts.json) printJson(result);
        else process.stdout.write(`created workspace ${result.dir}${result.demo ? ` with ${result.records} demo records (seed ${result.seed})` : ''}\n`);
      } catch (err) {
        (bar as Progress | null)?.stop();
        throw err;
      }
    });
}
