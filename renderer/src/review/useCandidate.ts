/** The selected candidate's evidence (checks, attempts, reward, regions, decision history), read again when its round changes. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../../../contract/api';
import type { CandidateDetail } from '../../../contract/types';
import { useApiEvents } from '../api/ApiContext';
import { useLatest } from '../hooks/useLatest';

export function useCandidate(api: Pick<ApiClient, 'review.candidate'>, candidateId: number | null): CandidateDetail | null {
  const [detail, setDetail] = useState<CandidateDetail | null>(null);
  const wanted = useLatest(candidateId);
  const request = useRef(0);
  const load = useCallback(
    (id: number) => {
      const mine = ++request.current;
      api['review.candidate']({ candidateId: id }).then(
        // A late answer for a candidate left behind is dropped.
        (d) => mine === request.current && wanted.current === id && setDetail(d),
        () => undefined,
      );
    },
    [api, wanted],
  );
  useEffect(() => {
    if (candidateId === null) setDetail(null);
    else load(candidateId);
  }, [candidateId, load]);
  useApiEvents((event) => {
    const id = wanted.current;
    if (event.type === 'rounds.changed' && id !== null && detail?.roundId === event.roundId) load(id);
  });
  // What is shown is the detail of the candidate asked for, never a neighbour's while it loads.
  return detail && detail.id === candidateId ? detail : null;
}
