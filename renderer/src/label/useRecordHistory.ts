/** The revision history of the record in the route, read again on reload and when the record changes. */
import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from '../../../contract/api';
import type { Revision } from '../../../contract/types';
import { useApiEvents } from '../api/ApiContext';

export function useRecordHistory(api: Pick<ApiClient, 'records.history'>, recordId: string | null, reloadToken: number, shownId: () => string | null): Revision[] | null {
  const [history, setHistory] = useState<Revision[] | null>(null);

  const load = useCallback(
    (id: string) => {
      api['records.history']({ id }).then(
        // Only the record on screen: a late answer for one left behind is dropped.
        (h) => shownId() === id && setHistory(h.revisions),
        () => undefined,
      );
    },
    [api, shownId],
  );

  useEffect(() => {
    setHistory(null);
    if (recordId) load(recordId);
  }, [recordId, reloadToken, load]);

  useApiEvents((event) => {
    const id = shownId();
    if (event.type === 'records.changed' && id && (event.all || event.ids.includes(id))) load(id);
  });

  return history;
}
