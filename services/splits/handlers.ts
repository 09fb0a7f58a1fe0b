import type { ApiHandlers } from '../../contract/api';
import type { ServiceContext } from '../context';
import { createSplit, listSplitSummaries } from './splits';

export type SplitMethods = 'splits.list' | 'splits.create';

export function splitHandlers(ctx: ServiceContext): Pick<ApiHandlers, SplitMethods> {
  const db = ctx.ws.db;
  return {
    'splits.list': () => listSplitSummaries(db),
    'splits.create': (input) => createSplit(db, input),
  };
}
