import type { ApiHandlers } from '../../contract/api';
import type { ServiceContext } from '../context';
import { ensureImageHashes } from './image-hashes';
import { createSplit, listSplitSummaries } from './splits';

export type SplitMethods = 'splits.list' | 'splits.create';

export function splitHandlers(ctx: ServiceContext): Pick<ApiHandlers, SplitMethods> {
  const db = ctx.ws.db;
  return {
    'splits.list': () => listSplitSummaries(db),
    'splits.create': async (input) => {
      // the leakage report needs every image's pHash: hash the images no earlier split or import has
      await ensureImageHashes(ctx.ws);
      return createSplit(db, input);
    },
  };
}
