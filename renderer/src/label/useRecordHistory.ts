/** The revision history of the record in the route, read again on reload and when the record changes. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../../../contract/api';
import type { Revision } from '../../../contract/types';
import { useApiEvents } from '../api/ApiContext';
import { useLatest } from '../hooks/useLatest';

export function useRecordHistory(api: Pick<ApiClient, 'records.history'>, recordId: string | null, reloadToken: number): Revision[] | null {
  const [history, setHistory] = useState<Revision[] | null>(null);
  const wanted = useLatest(recordId);
  const lastRequest = useRef(0);

  const load = useCallback(
    (id: string) => {
      const request = ++lastRequest.current;
      api['records.history']({ id }).then(
        // Only the newest request for the record in the route: a late answer for one left behind is dropped.
        // (Compared with the route, not with the record on screen, which may still be loading when this answers.)
        (h) => request === lastRequest.current && wanted.current === id && setHistory(h.revisions),
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
