import type { ApiHandlers } from '../contract/api';
import { ApiError } from '../contract/dispatch';
import type { ServiceContext } from './context';
import { runAnalysis } from './analysis/run';

/** analysis.start runs one analysis job at a time per workspace; progress and cancellation go through the job registry. */
export function analysisHandlers(ctx: ServiceContext): Pick<ApiHandlers, 'analysis.start'> {
  let running: string | null = null;
  return {
    'analysis.start': ({ workers }) => {
      if (running && ctx.jobs.get(running)?.status === 'running') {
        throw new ApiError('conflict', `an analysis job (${running}) is already running`);
      }
      const job = ctx.jobs.start('analyze', 0, 'starting analysis workers');
      running = job.id;
      void runAnalysis(ctx.ws, {
        workers,
        signal: job.signal,
        onProgress: (p) => job.progress(p.done, p.total, `${p.analyzed} analysed, ${p.skipped} skipped, ${p.failed} failed`),
      }).then(
        (s) => {
          const msg = `${s.analyzed} analysed (${s.facesFound} faces found), ${s.skipped} skipped, ${s.failed} failed on ${s.backend}`;
          if (s.stopped) job.stopped(`stopped: ${msg}, ${s.remaining} left`);
          else job.finish(msg);
          if (s.analyzed > 0) ctx.events.publish({ type: 'records.changed', ids: [] });
        },
        (err) => job.fail(err),
      );
      return { jobId: job.id };
    },
  };
}
