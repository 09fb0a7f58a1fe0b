import type { ApiHandlers } from '../../contract/api';
import { ApiError } from '../../contract/dispatch';
import { getUser } from '../../db/repositories';
import type { ServiceContext } from '../context';
import { createSplit, listSplitSummaries } from './splits';

export type SplitMethods = 'splits.list' | 'splits.create';

export function splitHandlers(ctx: ServiceContext): Pick<ApiHandlers, SplitMethods> {
  const db = ctx.ws.db;
  return {
    'splits.list': () => listSplitSummaries(db),
    'splits.create': ({ userId, ...req }) => {
      if (userId === undefined) return createSplit(db, req);
      const user = getUser(db, userId);
      if (!user) throw new ApiError('not_found', `User ${userId} does not exist`);
      return createSplit(db, req, user.name);
    },
  };
}
