import type { ApiHandlers } from '../../contract/api';
import type { ServiceContext } from '../context';
import { discardDraftFor, listRecentDecisions, saveDraftFor, skipRecord, submitAnnotation, undoDecision } from './annotations';

export type AnnotationMethods = 'annotations.submit' | 'annotations.skip' | 'drafts.save' | 'drafts.discard' | 'decisions.recent' | 'decisions.undo';

export function annotationHandlers(ctx: ServiceContext): Pick<ApiHandlers, AnnotationMethods> {
  const db = ctx.ws.db;
  const changed = (ids: string[]) => ctx.events.publish({ type: 'records.changed', ids });
  return {
    'annotations.submit': (input) => {
      const { revisionId, decisionId } = submitAnnotation(db, input);
      changed([input.recordId]);
      return { revisionId, decisionId };
    },
    'annotations.skip': (input) => {
      const out = skipRecord(db, input);
      // the dashboard's skipped count and the queue's skipped filter change
      changed([input.recordId]);
      return out;
    },
    'drafts.save': (input) => saveDraftFor(db, input),
    'drafts.discard': ({ recordId, userId }) => discardDraftFor(db, recordId, userId),
    'decisions.recent': ({ userId, limit }) => ({ decisions: listRecentDecisions(db, userId, limit) }),
    'decisions.undo': (input) => {
      const out = undoDecision(db, input);
      changed([out.recordId]);
      return out;
    },
  };
}
