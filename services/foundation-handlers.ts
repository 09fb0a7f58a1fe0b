import type { ApiHandlers } from '../contract/api';
import type { ServiceContext } from './context';
import { discardDraftFor, listRecentDecisions, saveDraftFor, skipRecord, submitAnnotation, undoDecision } from './foundation/annotations';
import { getRecordDetail, queryRecords, queueNext, recordHistory, recordSources } from './foundation/records';
import { createSplit, listSplitSummaries } from './foundation/splits';
import { workspaceStats } from './foundation/stats';
import { saveUserKeymap, userKeymap, usersList, usersUpsert, workspaceInfo } from './foundation/workspace-info';

export type FoundationMethods =
  | 'workspace.info' | 'users.list' | 'users.upsert' | 'users.getSettings' | 'users.saveSettings'
  | 'records.query' | 'records.get' | 'records.history' | 'records.sources' | 'queue.next'
  | 'annotations.submit' | 'annotations.skip' | 'drafts.save' | 'drafts.discard'
  | 'decisions.recent' | 'decisions.undo' | 'stats.get' | 'splits.list' | 'splits.create';

export function foundationHandlers(ctx: ServiceContext): Pick<ApiHandlers, FoundationMethods> {
  const db = ctx.ws.db;
  const changed = (ids: string[]) => ctx.events.publish({ type: 'records.changed', ids });
  return {
    'workspace.info': () => workspaceInfo(ctx.ws),
    'users.list': () => usersList(db),
    'users.upsert': ({ name, role }) => usersUpsert(db, name, role),
    'users.getSettings': ({ userId }) => userKeymap(db, userId),
    'users.saveSettings': ({ userId, keymap }) => saveUserKeymap(db, userId, keymap),

    'records.query': (input) => queryRecords(db, input),
    'records.get': ({ id, userId }) => getRecordDetail(db, id, userId),
    'records.history': ({ id }) => recordHistory(db, id),
    'records.sources': () => recordSources(db),
    'queue.next': (input) => queueNext(db, input),

    'annotations.submit': (input) => {
      const { revisionId, decisionId } = submitAnnotation(db, input);
      changed([input.recordId]);
      return { revisionId, decisionId };
    },
    'annotations.skip': (input) => skipRecord(db, input),
    'drafts.save': (input) => saveDraftFor(db, input),
    'drafts.discard': ({ recordId, userId }) => discardDraftFor(db, recordId, userId),

    'decisions.recent': ({ userId, limit }) => ({ decisions: listRecentDecisions(db, userId, limit) }),
    'decisions.undo': (input) => {
      const out = undoDecision(db, input);
      changed([out.recordId]);
      return out;
    },

    'stats.get': () => workspaceStats(db),
    'splits.list': () => listSplitSummaries(db),
    'splits.create': (input) => createSplit(db, input),
  };
}
