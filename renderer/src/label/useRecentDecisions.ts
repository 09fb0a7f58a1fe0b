/** The user's last decisions (submits and skips), newest first, for the Recent panel and its undo. */
import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from '../../../contract/api';
import type { Decision } from '../../../contract/types';

export function useRecentDecisions(api: Pick<ApiClient, 'decisions.recent'>, userId: number): { recent: Decision[]; reload(): void } {
  const [recent, setRecent] = useState<Decision[]>([]);
  const reload = useCallback(() => {
    api['decisions.recent']({ userId, limit: 10 }).then(
      (r) => setRecent(r.decisions),
      () => undefined,
    );
  }, [api, userId]);
  useEffect(reload, [reload]);
  return { recent, reload };
}
