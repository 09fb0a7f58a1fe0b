/** `fea analyze <ws>`: face analysis and pre-annotation of every image not analysed yet; resumable. */
import type { Command } from 'commander';
import { DEFAULT_EXPRESSION_VIEWS, EXPRESSION_VIEWS } from '../../pipelines/vision/expression-views';
import { maxAnalysisWorkers } from '../../services/analysis/workers';
import type { AnalysisFill } from '../../services/analysis/run';
import { withWorkspace } from '../workspace';
import { CliError, escapeForTerminal, printJson, progressBar } from '../output';

export function register(program: Command): void {
  program
    .command('analyze')
    .description('detect faces, landmarks, expressions and AU estimates for every image without an analysis (resumes where it stopped)')
    .argument('<workspace>', 'workspace folder')
    .option('--workers <n>', 'worker threads (default and most: one per core)')
    .option('--max-pixels <n>', 'refuse images with more pixels than this, before decoding', '40000000')
    .option('--retry-failed', 'try images that were refused or undecodable in an earlier run again')
    .option('--descriptor', "also compute face-api's 128-d recognition descriptor, for these images and earlier ones without it (training computes the ones it needs itself)")
    .option('--no-descriptor', 'leave the recognition descriptor out (the default)')
    .option('--expression-views <n>', 'expression feature views per image for training augmentation (1 = the face only; at most 4: + mirror, + two rotated, scaled, relit views)', String(DEFAULT_EXPRESSION_VIEWS))
    .option('--fill-views', 'also give images analysed earlier with fewer than --expression-views views the rest (each is analysed again; analysis otherwise skips them)')
    .option('--json', 'print the summary as one JSON object on the last line')
    .action(async (workspace: string, opts: { workers?: string; maxPixels: string; retryFailed?: boolean; descriptor?: boolean; expressionViews: string; fillViews?: boolean; json?: boolean }) => {
      const workers = opts.workers === undefined ? undefined : Number(opts.workers);
      const maxWorkers = maxAnalysisWorkers();
      if (workers !== undefined && (!Number.isInteger(workers) || workers < 1 || workers > maxWorkers)) {
        throw new CliError(`--workers: "${opts.workers}" is not a whole number between 1 and ${maxWorkers} (this machine's cores)`);
      }
      const expressionViews = Number(opts.expressionViews);
      if (!Number.isInteger(expressionViews) || expressionViews < 1 || expressionViews > EXPRESSION_VIEWS.length) {
        throw new CliError(`--expression-views: "${opts.expressionViews}" is not a whole number between 1 and ${EXPRESSION_VIEWS.length}`);
      }
      const pixelLimit = Number(opts.maxPixels);
      if (!Number.isFinite(pixelLimit) || pixelLimit < 1) throw new CliError(`--max-pixels: "${opts.maxPixels}" is not a positive number`);
      return withWorkspace(workspace, async ({ ws }) => {
        const controller = new AbortController();
        const stop = () => controller.abort();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        let bar: ReturnType<typeof progressBar> | null = null;
        // one bar per fill, each stopped when the next one (or the analysis) starts
        let fillBar: { fill: AnalysisFill; bar: ReturnType<typeof progressBar> } | null = null;
        const endFill = () => {
          fillBar?.bar.stop();
          fillBar = null;
        };
        try {
          // face-api and TensorFlow.js load only for this command.
          const { runAnalysis } = await import('../../services/analysis/run');
          const summary = await runAnalysis(ws, {
            workers,
            pixelLimit,
            retryFailed: opts.retryFailed,
            descriptor: opts.descriptor,
            fillViews: opts.fillViews,
            expressionViews,
            signal: controller.signal,
            onFillProgress: (p) => {
              if (fillBar?.fill !== p.fill) {
                endFill();
                fillBar = { fill: p.fill, bar: progressBar(`fill ${p.fill}`, p.total) };
              }
              fillBar.bar.update(p.done, p.total);
            },
            onProgress: (p) => {
              if (!bar && p.total > 0) {
                endFill();
                bar = progressBar('analyze', p.total);
              }
              bar?.update(p.done, p.total);
            },
          });
          endFill();
          (bar as ReturnType<typeof progressBar> | null)?.stop();
          const { analyzed, skipped, failed, facesFound, facesBySource, alreadyAnalyzed, remaining, descriptorsFilled, viewsFilled, stopped, backend, workers: w, seconds, errors } = summary;
          if (opts.json) {
            // a failed image fails the command (exit 1): its JSON says so as every failure's does
            const error = !stopped && failed > 0 ? { code: 'analysis_errors', message: `${failed} image(s) failed to analyse` } : undefined;
            printJson({ analyzed, skipped, failed, facesFound, alreadyAnalyzed, remaining, descriptorsFilled, viewsFilled, stopped, backend, workers: w, seconds, errors, facesBySource, ...(error ? { error } : {}) });
          } else {
            for (const e of errors) process.stderr.write(`fea analyze: ${escapeForTerminal(`${e.image}: ${e.reason}`)}\n`);
            process.stdout.write(
              `${analyzed} analysed (${facesFound} with a detected face), ${skipped} skipped, ${failed} failed, ${alreadyAnalyzed} done before${descriptorsFilled ? ` (${descriptorsFilled} given their descriptor)` : ''}${viewsFilled ? ` (${viewsFilled} given ${expressionViews} expression views)` : ''}; backend ${backend}, ${w} workers, ${seconds}s${stopped ? `; stopped with ${remaining} left (rerun to continue)` : ''}\n`,
            );
          }
          if (stopped) process.exitCode = 130;
          else if (failed > 0) process.exitCode = 1;
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
        }
      });
    });
}
