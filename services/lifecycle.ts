/** Orderly shutdown: running jobs are cancelled, training runs checkpoint and are marked stopped, then the db closes. */
import type { ServiceContext } from './context';
import { synthesisService } from './synthesis/rounds';
import { trainingService } from './training/service';

export async function shutdownServices(ctx: ServiceContext): Promise<void> {
  for (const job of ctx.jobs.list()) if (job.status === 'running') ctx.jobs.cancel(job.id);
  await Promise.all([trainingService(ctx).stopAll(), synthesisService(ctx).stopAll()]);
  ctx.ws.close();
}
