/**
 * `fea split <ws> --name NAME --ratios train=0.7,val=0.1,test=0.2 [--stratify emotion] [--group subject] [--seed S]
 * [--near-dup-threshold T] [--fix] [--json]`: any number of parts; every split reports its leakage.
 */
import type { Command } from 'commander';
import { DEFAULT_NEAR_DUP_THRESHOLD, MAX_NEAR_DUP_THRESHOLD } from '../../pipelines/splits/limits';
import { parseRatios } from '../../pipelines/splits/stratified';
import { ensureImageHashes } from '../../services/splits/image-hashes';
import { splitHandlers } from '../../services/splits/handlers';
import { call, withWorkspace } from '../workspace';
import { CliError, countOf, escapeForTerminal, printJson, progressBar } from '../output';

export function register(program: Command): void {
  program
    .command('split')
    .description('create a named, seeded split: stratified by emotion, subjects kept within one part')
    .argument('<workspace>', 'workspace folder')
    .requiredOption('--name <name>', 'split name')
    .option('--snapshot <id>', "split this frozen snapshot's records, with the labels it froze")
    .requiredOption('--ratios <ratios>', 'parts and their fractions, adding up to 1, e.g. train=0.7,val=0.1,test=0.2')
    .option('--stratify <field>', 'emotion, or none', 'emotion')
    .option('--group <field>', 'subject, or none', 'subject')
    .option('--seed <s>', 'seed (same seed, same split)', '0')
    .option('--near-dup-threshold <bits>', `pHash distance (of 64 bits) at or below which two images are near-duplicates (0–${MAX_NEAR_DUP_THRESHOLD})`, String(DEFAULT_NEAR_DUP_THRESHOLD))
    .option('--fix', 'move every group leaking across parts (shared subject, same or near-duplicate image) into one part')
    .option('--json', 'print the summary as one JSON object on the last line')
    .action((workspace: string, opts: { name: string; ratios: string; stratify: string; group: string; seed: string; nearDupThreshold: string; fix?: boolean; snapshot?: string; json?: boolean }) => {
      let ratios: Record<string, number>;
      try {
        ratios = parseRatios(opts.ratios);
      } catch (err) {
        throw new CliError(`--ratios: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (opts.stratify !== 'emotion' && opts.stratify !== 'none') throw new CliError(`--stratify: "${opts.stratify}" is not one of emotion, none`);
      if (opts.group !== 'subject' && opts.group !== 'none') throw new CliError(`--group: "${opts.group}" is not one of subject, none`);
      if (!/^-?\d+$/.test(opts.seed.trim())) throw new CliError(`--seed: "${opts.seed}" is not a whole number`);
      const t = opts.nearDupThreshold.trim();
      if (!/^\d+$/.test(t) || Number(t) > MAX_NEAR_DUP_THRESHOLD) throw new CliError(`--near-dup-threshold: "${t}" is not a whole number 0–${MAX_NEAR_DUP_THRESHOLD}`);
      const fromSnapshot = opts.snapshot === undefined ? undefined : Number(opts.snapshot);
      if (fromSnapshot !== undefined && !(Number.isInteger(fromSnapshot) && fromSnapshot > 0)) throw new CliError(`--snapshot: "${opts.snapshot}" is not a snapshot id`);
      const name = opts.name.trim();
      if (!name || name.length > 64) throw new CliError('--name must be 1–64 characters');
      return withWorkspace(workspace, async (ctx) => {
        const bars: ReturnType<typeof progressBar>[] = [];
        await ensureImageHashes(ctx.ws, (done, total) => {
          if (bars.length === 0) bars.push(progressBar('hashing images', total));
          bars[0].update(done);
        });
        bars.forEach((b) => b.stop());
        const summary = await call(splitHandlers(ctx), 'splits.create', {
          name,
          ratios,
          stratify: opts.stratify === 'emotion' ? 'emotion' : null,
          group: opts.group === 'subject' ? 'subject' : null,
          seed: Number(opts.seed),
          nearDupThreshold: Number(t),
          fix: opts.fix === true,
          ...(fromSnapshot === undefined ? {} : { fromSnapshot }),
        });
        if (opts.json) printJson(summary);
        else {
          for (const [part, s] of Object.entries(summary.parts)) process.stdout.write(`${part}: ${countOf(s.n, 'record')} ${JSON.stringify(s.byEmotion)}\n`);
          process.stdout.write(`max stratification deviation ${summary.maxStratDeviation}, shared subjects ${summary.sharedSubjects}\n`);
          const l = summary.leakage;
          if (l) {
            process.stdout.write(`exact duplicate pairs across parts ${l.exactDuplicatePairs}, near-duplicate pairs (pHash distance ≤ ${l.nearDupThreshold}) ${l.nearDuplicatePairs}`);
            process.stdout.write(l.unhashed ? `, ${l.unhashed} records without a pHash not checked\n` : '\n');
            for (const p of [...l.examples.exactDuplicates, ...l.examples.nearDuplicates].slice(0, 10)) {
              process.stdout.write(`  ${escapeForTerminal(p.a)} (${escapeForTerminal(p.partA)}) ~ ${escapeForTerminal(p.b)} (${escapeForTerminal(p.partB)}) distance ${p.distance}\n`);
            }
          }
          const m = summary.moved;
          if (m) {
            process.stdout.write(`--fix moved ${m.records} records in ${m.groups} groups`);
            process.stdout.write(m.flows.length ? `: ${m.flows.map((f) => `${f.records} ${escapeForTerminal(f.from)} → ${escapeForTerminal(f.to)}`).join(', ')}\n` : '\n');
          }
        }
      });
    });
}
