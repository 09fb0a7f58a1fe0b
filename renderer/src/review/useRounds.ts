/** The workspace's synthesis rounds, newest first, read again whenever a round changes. */
import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from '../../../contract/api';
import type { RoundSummary } from '../../../contract/types';
import { useApiEvents } from '../api/ApiContext';

export interface RoundsState {
  rounds: RoundSummary[] | null;
  error: string | null;
  reload(): void;
}

export function useRounds(api: Pick<ApiClient, 'rounds.list'>): RoundsState {
  const [rounds, setRounds] = useState<RoundSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    api['rounds.list']({}).then(
      (r) => {
        setRounds([...r.rounds].sort((a, b) => b.id - a.id));
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  }, [api]);
  useEffect(reload, [reload]);
  useApiEvents((event) => event.type === 'rounds.changed' && reload());
  return { rounds, error, reload };
}

/** The round to open: the one asked for when it exists, else the newest in review, else the newest. */
export function defaultRound(rounds: readonly RoundSummary[], wanted: number | null): number | null {
  if (wanted !== null && rounds.some((r) => r.id === wanted)) return wanted;
  return (rounds.find((r) => r.status === 'review') ?? rounds[0])?.id ?? null;
}
