/** Runs an import as a registered job (progress events, cancellation) for the UI and server mode. */
import type { ServiceContext } from '../context';
import { importDataset, type ImportOptions, type ImportReport } from './import';

export function startImportJob(ctx: ServiceContext, input: string, options: Omit<ImportOptions, 'onProgress' | 'signal'> = {}): { jobId: string; done: Promise<ImportReport> } {
  const job = ctx.jobs.start('import', 0, `importing ${input}`);
  const done = importDataset(ctx.ws, input, { ...options, signal: job.signal, onProgress: (d, t) => job.progress(d, t) }).then(
    (report) => {
      if (report.cancelled) job.stopped(`stopped after ${report.imported} records`);
      else job.finish(`${report.imported} imported, ${report.duplicates} duplicates, ${report.errors.length} errors`);
      ctx.events.publish({ type: 'records.changed', ids: [] });
      return report;
    },
    (err) => {
      job.fail(err);
      throw err;
    },
  );
  return { jobId: job.id, done };
}
