import type { ApiHandlers } from '../../contract/api';
import { ApiError } from '../../contract/dispatch';
import { countAnalyses, countPendingImages, recordIdsOfImage } from '../../db/repositories/analysis';
import type { ServiceContext } from '../context';
import { FILL_WHAT, runAnalysis } from './run';
import { checkWorkerCount } from './workers';

/** Records whose suggestion/overlay changed are announced in batches, at most once a second. */
const CHANGED_FLUSH_MS = 1000;

/** analysis.start runs one analysis job at a time per workspace; progress and cancellation go through the job registry. */
export function analysisHandlers(ctx: ServiceContext): Pick<ApiHandlers, 'analysis.start' | 'analysis.status'> {
  let running: string | null = null;
  return {
    'analysis.status': () => {
      const { images, pending } = countPendingImages(ctx.ws.db);
      const done = countAnalyses(ctx.ws.db);
      return { images, analysed: done.total, pending, failed: done.failed, facesFound: done.facesFound };
    },
    'analysis.start': ({ workers, fillViews }) => {
      checkWorkerCount(workers);
      if (running && ctx.jobs.get(running)?.status === 'running') {
        throw new ApiError('conflict', `an analysis job (${running}) is already running`);
      }
      const job = ctx.jobs.start('analyze', 0, 'starting analysis workers');
      running = job.id;
      let changed: string[] = [];
      let lastFlush = Date.now();
      const flush = () => {
        if (changed.length) ctx.events.publish({ type: 'records.changed', ids: changed });
        changed = [];
        lastFlush = Date.now();
      };
      void runAnalysis(ctx.ws, {
        workers,
        fillViews,
        signal: job.signal,
        onFillProgress: (p) => job.progress(p.done, p.total, `giving earlier analyses their ${FILL_WHAT[p.fill]}: ${p.done} of ${p.total}`),
        onProgress: (p) =>
          job.progress(p.done, p.total, `${p.analyzed} analysed (${p.facesFound} faces found), ${p.skipped} skipped, ${p.failed} failed`, {
            analysed: p.analyzed,
            facesFound: p.facesFound,
            skipped: p.skipped,
            failed: p.failed,
          }),
        onResult: (imageId, ok) => {
          if (!ok) return;
          changed.push(...recordIdsOfImage(ctx.ws.db, imageId));
          if (Date.now() - lastFlush >= CHANGED_FLUSH_MS) flush();
        },
      }).then(
        (s) => {
          flush();
          const msg = `${s.analyzed} analysed (${s.facesFound} faces found), ${s.skipped} skipped, ${s.failed} failed on ${s.backend}`;
          const result = { kind: 'analyze' as const, analysed: s.analyzed, facesFound: s.facesFound, skipped: s.skipped, failed: s.failed, remaining: s.remaining, backend: s.backend };
          if (s.stopped) job.stopped(`stopped: ${msg}, ${s.remaining} left`, result);
          else job.finish(msg, result);
        },
        (err) => {
          flush();
          job.fail(err);
        },
      );
      return { jobId: job.id };
    },
  };
}
