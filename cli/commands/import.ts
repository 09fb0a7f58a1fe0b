/**
 * `fea import <ws> <path> [--format facial-r1|folders|fer2013|ferplus|affectnet|rafdb|disfa|au-csv] [--images DIR]
 * [--subject-pattern RE] [--au-threshold N] [--link] [--allow-outside] [--max-image-mb N] [--allow-errors] [--dry-run] [--json]`.
 * Exits 1 when any line failed, unless --allow-errors. --dry-run is the Import view's preview: the same report, nothing written.
 */
import type { Command } from 'commander';
import { IMPORT_FORMATS, ImportInputError, importDataset, type ImportFormat } from '../../services/import/import';
import { withWorkspace } from '../workspace';
import { CliError, escapeForTerminal, printJson, progressBar, type Progress } from '../output';

export function register(program: Command): void {
  program
    .command('import')
    .description('import a Facial-R1 / FEA-20K JSONL file or an emotion folder tree; re-importing changes nothing')
    .argument('<workspace>', 'workspace folder')
    .argument('<path>', 'JSONL file (facial-r1) or root folder (folders)')
    .option('--format <format>', IMPORT_FORMATS.join(', '), 'facial-r1')
    .option('--images <dir>', 'folder the image paths are relative to (default: the JSONL or table file\'s folder; affectnet: Manually_Annotated_Images, rafdb: Image/aligned or Image/original)')
    .option('--au-threshold <n>', 'au-csv, disfa: the intensity 1–5 from which an AU is present', '2')
    .option('--subject-pattern <regex>', 'folders: regex on the file name whose first capture group is the subject id')
    .option('--link', 'hard-link images into the workspace instead of copying them; the shared file (the source too) is made read-only')
    .option('--copy-media', 'copy images into the workspace (the default; kept for scripts written when linking was)')
    .option('--allow-outside', 'accept image paths outside the images folder (.., absolute paths, symbolic links out of it)')
    .option('--max-image-mb <n>', 'largest image file to read, in MB', '100')
    .option('--recursive', 'folders: also import images in subfolders of an emotion folder (under its label); without it they are reported')
    .option('--allow-errors', 'exit 0 even when some lines failed (they are still reported)')
    .option('--dry-run', 'read and check everything and report what would be imported; writes nothing')
    .option('--json', 'print the report as one JSON object on the last line (with "error" when lines failed)')
    .action(async (workspace: string, input: string, opts: { format: string; images?: string; auThreshold: string; subjectPattern?: string; link?: boolean; copyMedia?: boolean; allowOutside?: boolean; maxImageMb: string; allowErrors?: boolean; recursive?: boolean; dryRun?: boolean; json?: boolean }) => {
      if (!(IMPORT_FORMATS as readonly string[]).includes(opts.format)) throw new CliError(`--format: "${opts.format}" is not one of ${IMPORT_FORMATS.join(', ')}`);
      const auThreshold = Number(opts.auThreshold);
      if (!Number.isInteger(auThreshold) || auThreshold < 1 || auThreshold > 5) throw new CliError(`--au-threshold: "${opts.auThreshold}" is not an integer 1–5`);
      if (opts.link && opts.copyMedia) throw new CliError('--link and --copy-media contradict each other');
      const maxImageMb = Number(opts.maxImageMb);
      if (!Number.isFinite(maxImageMb) || maxImageMb <= 0) throw new CliError(`--max-image-mb: "${opts.maxImageMb}" is not a positive number`);
      if (opts.recursive && opts.format !== 'folders') throw new CliError('--recursive applies to --format folders only');
      if (opts.subjectPattern && opts.format !== 'folders') throw new CliError('--subject-pattern applies to --format folders only (JSONL subjects come from meta_info.subject)');
      if (opts.images && (opts.format === 'folders' || opts.format === 'fer2013' || opts.format === 'ferplus')) throw new CliError(`--images does not apply to --format ${opts.format}`);
      return withWorkspace(workspace, async ({ ws }) => {
        const controller = new AbortController();
        const stop = () => controller.abort();
        process.once('SIGINT', stop);
        let bar: Progress | null = null;
        try {
          const report = await importDataset(ws, input, {
            format: opts.format as ImportFormat,
            imagesDir: opts.images,
            subjectPattern: opts.subjectPattern,
            recursive: opts.recursive,
            media: opts.link ? 'link' : 'copy',
            allowOutside: opts.allowOutside ?? false,
            maxImageBytes: Math.round(maxImageMb * 1024 * 1024),
            auThreshold,
            dryRun: opts.dryRun ?? false,
            signal: controller.signal,
            onProgress: (done, total) => {
              bar ??= progressBar('import', total);
              bar.update(done, total);
            },
          });
          (bar as Progress | null)?.stop();
          // the lines that failed fail the command (what went through stays imported)
          const failed = report.errors.length > 0 && !opts.allowErrors && !report.cancelled;
          const failure = { code: 'import_errors', message: `${report.errors.length} line(s) of ${input} failed to import (--allow-errors to accept that)` };
          for (const n of report.nestedFolders ?? []) {
            if (!n.imported) process.stderr.write(`fea import: ${escapeForTerminal(n.folder)}: ${n.images} image(s) in a subfolder were not imported (--recursive imports them under the emotion folder's label)\n`);
          }
          if (opts.json) {
            printJson(failed ? { ...report, error: failure } : report);
          } else {
            for (const e of report.errors) process.stderr.write(`fea import: ${escapeForTerminal(`${e.file ?? input}:${e.line}: ${e.reason}`)}\n`);
            const why = report.skippedBy ? Object.entries(report.skippedBy).map(([k, n]) => `${n} ${k}`).join(', ') || 'none' : 'is_valid: false';
            process.stdout.write(
              `${report.dryRun ? 'dry run, nothing written: ' : ''}${report.imported}${report.dryRun ? ' would be' : ''} imported (${report.weak} weak), ${report.duplicates} duplicates, ${report.skipped} skipped (${why}), ${report.errors.length} errors, ${report.normalised} values normalised${report.cancelled ? '; cancelled' : ''}\n`,
            );
            if (report.split) process.stdout.write(`split ${report.split.name}: ${Object.entries(report.split.parts).map(([p, n]) => `${p} ${n}`).join(', ')}\n`);
          }
          if (report.cancelled) process.exitCode = 130;
          else if (failed) {
            process.stderr.write(`fea import: ${escapeForTerminal(failure.message)}\n`);
            process.exitCode = 1;
          }
        } catch (err) {
          (bar as Progress | null)?.stop();
          if (err instanceof ImportInputError || (err instanceof Error && err.message.startsWith('--subject-pattern'))) throw new CliError(err.message);
          throw err;
        } finally {
          process.off('SIGINT', stop);
        }
      });
    });
}
