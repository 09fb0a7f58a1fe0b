/**
 * Composes the contract's handlers from the service areas. Each area implements its own methods;
 * the type ensures that every contract method has exactly one implementation.
 */
import type { ApiHandlers } from '../contract/api';
import type { ServiceContext } from './context';
import { workspaceHandlers } from './workspace/handlers';
import { recordHandlers } from './records/handlers';
import { annotationHandlers } from './annotations/handlers';
import { splitHandlers } from './splits/handlers';
import { analysisHandlers } from './analysis/handlers';
import { trainingHandlers } from './training/handlers';
import { synthesisHandlers } from './synthesis/handlers';
import { suggestionHandlers } from './suggestions/handlers';
import { exportHandlers } from './export/handlers';
import { importHandlers } from './import/handlers';

export function createHandlers(ctx: ServiceContext): ApiHandlers {
  return {
    ...workspaceHandlers(ctx),
    ...recordHandlers(ctx),
    ...annotationHandlers(ctx),
    ...splitHandlers(ctx),
    ...analysisHandlers(ctx),
    ...trainingHandlers(ctx),
    ...synthesisHandlers(ctx),
    ...suggestionHandlers(ctx),
    ...exportHandlers(ctx),
    ...importHandlers(ctx),
    'jobs.list': () => ({ jobs: ctx.jobs.list() }),
    'jobs.cancel': ({ jobId }) => ({ cancelled: ctx.jobs.cancel(jobId) }),
  };
}
