import type { ApiHandlers } from '../contract/api';
import { ApiError } from '../contract/dispatch';
import type { ServiceContext } from './context';

export type FoundationMethods =
  | 'workspace.info' | 'users.list' | 'users.upsert' | 'users.getSettings' | 'users.saveSettings'
  | 'records.query' | 'records.get' | 'records.history' | 'records.sources' | 'queue.next'
  | 'annotations.submit' | 'annotations.skip' | 'drafts.save' | 'drafts.discard'
  | 'decisions.recent' | 'decisions.undo' | 'stats.get' | 'splits.list' | 'splits.create';

const todo = (): never => {
  throw new ApiError('not_implemented', 'not implemented yet');
};

export function foundationHandlers(_ctx: ServiceContext): Pick<ApiHandlers, FoundationMethods> {
  return {
    'workspace.info': todo, 'users.list': todo, 'users.upsert': todo, 'users.getSettings': todo, 'users.saveSettings': todo,
    'records.query': todo, 'records.get': todo, 'records.history': todo, 'records.sources': todo, 'queue.next': todo,
    'annotations.submit': todo, 'annotations.skip': todo, 'drafts.save': todo, 'drafts.discard': todo,
    'decisions.recent': todo, 'decisions.undo': todo, 'stats.get': todo, 'splits.list': todo, 'splits.create': todo,
  };
}
