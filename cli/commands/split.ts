/** `fea split <ws> --name NAME --ratios train=0.8,test=0.2 [--stratify emotion] [--group subject] [--seed S] [--json]`. */
import type { Command } from 'commander';
import { parseRatios } from '../../pipelines/splits/stratified';
import { splitHandlers } from '../../services/splits/handlers';
import { call, withWorkspace } from '../workspace';
import { CliError, countOf, printJson } from '../output';

export function register(program: Command): void {
  program
    .command('split')
    .description('create a named, seeded split: stratified by emotion, subjects kept within one part')
    .argument('<workspace>', 'workspace folder')
    .requiredOption('--name <name>', 'split name')
    .requiredOption('--ratios <ratios>', 'parts and their fractions, e.g. train=0.8,test=0.2')
    .option('--stratify <field>', 'emotion, or none', 'emotion')
    .option('--group <field>', 'subject, or none', 'subject')
    .option('--seed <s>', 'seed (same seed, same split)', '0')
    .option('--json', 'print the summary as one JSON object on the last line')
    .action((workspace: string, opts: { name: string; ratios: string; stratify: string; group: string; seed: string; json?: boolean }) => {
      let ratios: Record<string, number>;
      try {
        ratios = parseRatios(opts.ratios);
      } catch (err) {
        throw new CliError(`--ratios: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (opts.stratify !== 'emotion' && opts.stratify !== 'none') throw new CliError(`--stratify: "${opts.stratify}" is not one of emotion, none`);
      if (opts.group !== 'subject' && opts.group !== 'none') throw new CliError(`--group: "${opts.group}" is not one of subject, none`);
      if (!/^-?\d+$/.test(opts.seed.trim())) throw new CliError(`--seed: "${opts.seed}" is not a whole number`);
      const name = opts.name.trim();
      if (!name || name.length > 64) throw new CliError('--name must be 1–64 characters');
      return withWorkspace(workspace, async (ctx) => {
        const summary = await call(splitHandlers(ctx), 'splits.create', {
          name,
          ratios,
          stratify: opts.stratify === 'emotion' ? 'emotion' : null,
          group: opts.group === 'subject' ? 'subject' : null,
          seed: Number(opts.seed),
        });
        if (opts.json) printJson(summary);
        else {
          for (const [part, s] of Object.entries(summary.parts)) process.stdout.write(`${part}: ${countOf(s.n, 'record')} ${JSON.stringify(s.byEmotion)}\n`);
          process.stdout.write(`max stratification deviation ${summary.maxStratDeviation}, shared subjects ${summary.sharedSubjects}\n`);
        }
      });
    });
}
