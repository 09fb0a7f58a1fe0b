/** The revision history of the record in the route, with its review decisions, read again on reload and when the record changes. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../../../contract/api';
import type { ReviewDecisionEntry, Revision } from '../../../contract/types';
import { useApiEvents } from '../api/ApiContext';
import { useLatest } from '../hooks/useLatest';

export interface RecordHistory {
  revisions: Revision[];
  /** Review decisions on the record's synthesis candidates (a rejection stays visible here). */
  reviews: ReviewDecisionEntry[];
}

export function useRecordHistory(api: Pick<ApiClient, 'records.history'>, recordId: string | null, reloadToken: number): RecordHistory | null {
  const [history, setHistory] = useState<RecordHistory | null>(null);
  const wanted = useLatest(recordId);
  const lastRequest = useRef(0);

  const load = useCallback(
    (id: string) => {
      const request = ++lastRequest.current;
      api['records.history']({ id }).then(
        // Only the newest request for the record in the route: a late answer for one left behind is dropped.
        // (Compared with the route, not with the record on screen, which may still be loading when this answers.)
        (h) => request === lastRequest.current && wanted.current === id && setHistory({ revisions: h.revisions, reviews: h.reviews ?? [] }),
        () => undefined,
      );
    },
    [api, wanted],
  );

  useEffect(() => {
    setHistory(null);
    if (recordId) load(recordId);
  }, [recordId, reloadToken, load]);

  useApiEvents((event) => {
    const id = wanted.current;
    if (event.type === 'records.changed' && id && (event.all || event.ids.includes(id))) load(id);
  });

  return history;
}
