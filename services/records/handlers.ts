import type { ApiHandlers } from '../../contract/api';
import { recordReviews } from '../synthesis/review';
import type { ServiceContext } from '../context';
import { getRecordDetail, queryRecords, queueNext, recordHistory, recordSources } from './query';
import { workspaceStats } from './stats';

export type RecordMethods = 'records.query' | 'records.get' | 'records.history' | 'records.sources' | 'queue.next' | 'stats.get';

export function recordHandlers(ctx: ServiceContext): Pick<ApiHandlers, RecordMethods> {
  const db = ctx.ws.db;
  return {
    'records.query': (input) => queryRecords(db, input),
    'records.get': ({ id, userId }) => getRecordDetail(db, id, userId),
    'records.history': ({ id }) => ({ ...recordHistory(db, id), reviews: recordReviews(ctx, id) }),
    'records.sources': () => recordSources(db),
    'queue.next': (input) => queueNext(db, input),
    'stats.get': () => workspaceStats(db),
  };
}
