import type { ApiHandlers } from '../../contract/api';
import { ApiError } from '../../contract/dispatch';
import { getUser } from '../../db/repositories';
import type { ServiceContext } from '../context';
import { ensureImageHashes } from './image-hashes';
import { createSplit, listSplitSummaries } from './splits';

export type SplitMethods = 'splits.list' | 'splits.create';

export function splitHandlers(ctx: ServiceContext): Pick<ApiHandlers, SplitMethods> {
  const db = ctx.ws.db;
  return {
    'splits.list': () => listSplitSummaries(db),
    'splits.create': async ({ userId, ...req }) => {
      const user = userId === undefined ? undefined : getUser(db, userId);
      if (userId !== undefined && !user) throw new ApiError('not_found', `User ${userId} does not exist`);
      // the leakage report needs every image's pHash: hash the images no earlier split or import has
      await ensureImageHashes(ctx.ws);
      return user ? createSplit(db, req, user.name) : createSplit(db, req);
    },
  };
}
