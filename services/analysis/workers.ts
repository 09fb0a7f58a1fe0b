/** How many analysis workers a run may have: each holds its own face-api models, and more than cores only slows all. */
import { ApiError } from '../../contract/dispatch';
import { defaultWorkerCount } from '../../pipelines/vision/pool';

/** The most workers one analysis may start: this machine's parallelism (os.availableParallelism()). */
export function maxAnalysisWorkers(): number {
  return defaultWorkerCount();
}

/** The requested count, or an invalid_input error naming the limit when it is over this machine's cores. */
export function checkWorkerCount(workers: number | undefined): number | undefined {
  if (workers === undefined) return undefined;
  const max = maxAnalysisWorkers();
  if (!Number.isInteger(workers) || workers < 1 || workers > max) {
    throw new ApiError('invalid_input', `workers must be a whole number from 1 to ${max} (this machine's cores), got ${workers}`);
  }
  return workers;
}
