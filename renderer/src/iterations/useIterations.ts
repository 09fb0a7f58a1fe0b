/** The data engine's iterations, kept fresh from round and job events; `advance` runs the next step of a split's loop. */
import { useCallback, useEffect, useState } from 'react';
import type { ApiEvent, IterationSummary } from '../../../contract/types';
import { useApi, useApiEvents } from '../api/ApiContext';
import { useThrottledCallback } from '../charts/useThrottledCallback';

export interface IterationsData {
  iterations: IterationSummary[];
  loaded: boolean;
  error: string | null;
  reload: () => Promise<void>;
  /** Starts (or continues) the split's iteration; its runs and round show as jobs. */
  advance: (split: string, rounds: number, userId?: number) => Promise<void>;
}

export function useIterations(): IterationsData {
  const api = useApi();
  const [iterations, setIterations] = useState<IterationSummary[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      setIterations((await api['iterations.list']({})).iterations);
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setLoaded(true);
    }
  }, [api]);
  const refresh = useThrottledCallback(() => void reload(), 1000);
  useEffect(() => {
    void reload();
  }, [reload]);
  useApiEvents(
    useCallback(
      (e: ApiEvent) => {
        if (e.type === 'rounds.changed' || (e.type === 'job.progress' && e.job.status !== 'running')) refresh();
      },
      [refresh],
    ),
  );
  const advance = useCallback(
    async (split: string, rounds: number, userId?: number) => {
      await api['iterations.advance']({ split, rounds, userId });
      await reload();
    },
    [api, reload],
  );
  return { iterations, loaded, error, reload, advance };
}

/** Chart rows: one per iteration, with the provenance mix flattened into columns (human, import, synthesis round n). */
export function provenanceRows(iterations: readonly IterationSummary[]): { rows: Record<string, number | string>[]; keys: string[] } {
  const keys = new Set<string>();
  const rows = iterations.map((it) => {
    const row: Record<string, number | string> = { iteration: `#${it.number}` };
    for (const p of it.provenance) {
      const key = p.kind === 'synthesis' && p.round !== null ? `synthesis r${p.round}` : p.kind;
      keys.add(key);
      row[key] = ((row[key] as number | undefined) ?? 0) + p.n;
    }
    return row;
  });
  return { rows, keys: [...keys].sort() };
}

/** Per emotion and iteration: kept and accepted rates of the iteration's round. */
export function rateRows(iterations: readonly IterationSummary[]): { rows: Record<string, number | string>[]; emotions: string[] } {
  const emotions = [...new Set(iterations.flatMap((it) => Object.keys(it.round?.byEmotion ?? {})))].filter(Boolean).sort();
  const rows = emotions.map((e) => {
    const row: Record<string, number | string> = { emotion: e };
    for (const it of iterations) {
      const c = it.round?.byEmotion[e];
      if (!c) continue;
      row[`kept #${it.number}`] = c.keptRate;
      row[`accepted #${it.number}`] = c.acceptedRate;
    }
    return row;
  });
  return { rows, emotions };
}
