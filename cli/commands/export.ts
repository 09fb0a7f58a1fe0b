/**
 * `fea export <ws> --format facial-r1|llama-factory|trl|verl|easyr1 --out DIR [--split NAME] [--link] [--json]`
 * (and `--format csv`).
 */
import type { Command } from 'commander';
import { exportCsv } from '../../services/export/csv';
import { ExportError, OutputExistsError, exportFacialR1 } from '../../services/export/export';
import { ENGINE_FORMATS, exportEngine, type EngineFormat } from '../../services/export/engines';
import { withWorkspace } from '../workspace';
import { CliError, countOf, printJson, progressBar, type Progress } from '../output';

export function register(program: Command): void {
  program
    .command('export')
    .description('export Facial-R1 JSONL (one file per split part) with images and the config.json registry, or a CSV table')
    .argument('<workspace>', 'workspace folder')
    .requiredOption('--format <format>', `facial-r1, csv, or a training engine's format: ${ENGINE_FORMATS.join(', ')}`)
    .requiredOption('--out <dir>', 'output folder')
    .option('--split <name>', "write one file (set) per part of this split (csv: the split whose part each row names; default the newest)")
    .option('--snapshot <id>', `engine formats: the records of this frozen snapshot, with the labels it froze`)
    .option('--link', 'hard-link images instead of copying them (the workspace media files are made read-only)')
    .option('--force', 'replace what is in the way: a previous export in --out is removed first, other files are overwritten')
    .option('--json', 'print the report as one JSON object on the last line')
    .action(async (workspace: string, opts: { format: string; out: string; split?: string; snapshot?: string; force?: boolean; link?: boolean; json?: boolean }) => {
      const engine = (ENGINE_FORMATS as readonly string[]).includes(opts.format);
      if (opts.snapshot !== undefined && !engine) throw new CliError(`--snapshot applies to the engine formats (${ENGINE_FORMATS.join(', ')})`);
      if (opts.snapshot !== undefined && !(Number.isInteger(Number(opts.snapshot)) && Number(opts.snapshot) > 0)) throw new CliError(`--snapshot: "${opts.snapshot}" is not a snapshot id`);
      if (opts.format !== 'facial-r1' && opts.format !== 'csv' && !engine) throw new CliError(`--format: "${opts.format}" is not one of facial-r1, csv, ${ENGINE_FORMATS.join(', ')}`);
      return withWorkspace(workspace, async ({ ws }) => {
        try {
          if (opts.format === 'csv') {
            const result = await exportCsv(ws, opts.out, { force: opts.force, split: opts.split });
            if (opts.json) printJson(result);
            else process.stdout.write(`${result.rows} rows written to ${result.file}\n`);
            return;
          }
          if (engine) return await runEngineExport(ws, opts.format as EngineFormat, opts);
          let bar: Progress | null = null;
          const report = exportFacialR1(ws, opts.out, {
            split: opts.split,
            force: opts.force,
            link: opts.link,
            onProgress: (done, total) => {
              bar ??= progressBar('export', total);
              bar.update(done, total);
            },
          });
          (bar as Progress | null)?.stop();
          if (opts.json) printJson(report);
          else {
            for (const f of report.files) process.stdout.write(`${f.file}: ${countOf(f.records, 'record')}\n`);
            process.stdout.write(`${report.images} images (${report.linked} linked, ${report.copied} copied); registry in ${report.config}\n`);
          }
        } catch (err) {
          if (err instanceof OutputExistsError) throw new CliError(err.message, 1, 'exists');
          if (err instanceof ExportError) throw new CliError(err.message);
          throw err;
        }
      });
    });
}

async function runEngineExport(
  ws: Parameters<typeof exportEngine>[0],
  format: EngineFormat,
  opts: { out: string; split?: string; snapshot?: string; force?: boolean; link?: boolean; json?: boolean },
): Promise<void> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  let bar: Progress | null = null;
  try {
    const report = await exportEngine(ws, opts.out, format, {
      split: opts.split,
      snapshot: opts.snapshot === undefined ? undefined : Number(opts.snapshot),
      force: opts.force,
      link: opts.link,
      signal: controller.signal,
      onProgress: (done, total) => {
        bar ??= progressBar('export', total);
        bar.update(done, total);
      },
    });
    (bar as Progress | null)?.stop();
    if (opts.json) printJson(report);
    else if (report.cancelled) process.stdout.write('export cancelled; nothing complete was left in the output folder\n');
    else {
      for (const f of report.files) process.stdout.write(`${f.file}: ${f.records} records\n`);
      process.stdout.write(`${report.images} images (${report.linked} linked, ${report.copied} copied); manifest in ${report.manifest}\n`);
    }
    if (report.cancelled) process.exitCode = 130;
  } finally {
    (bar as Progress | null)?.stop();
    process.off('SIGINT', stop);
  }
}
