/**
 * A round's in-review candidates in the service's order (lowest agreement first), filtered; the selected one; and
 * where the selection goes after a decision (the next pending candidate below it, else above it).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient, Input } from '../../../contract/api';
import type { CandidateSummary } from '../../../contract/types';
import { useApiEvents } from '../api/ApiContext';
import { useLatest } from '../hooks/useLatest';

export type ReviewFilter = NonNullable<Input<'review.queue'>['filter']>;

const PAGE = 500;
/** A round's queue is read whole (pages of PAGE) up to this many rows; the list is virtual, so it stays fast. */
const MAX_ROWS = 20_000;

export interface ReviewQueueState {
  rows: CandidateSummary[];
  total: number;
  loading: boolean;
  error: string | null;
  selectedId: number | null;
  selected: CandidateSummary | null;
  select(id: number | null): void;
  /** Moves the selection by `delta` rows (J/K), staying inside the list. */
  move(delta: number): void;
  /** Puts a decided candidate's new summary in its row and selects the next pending one. */
  decided(candidate: CandidateSummary): void;
  reload(): void;
}

/** The next pending row after `fromId` in list order, wrapping round; null when none is pending. */
export function nextPending(rows: readonly CandidateSummary[], fromId: number | null): number | null {
  const start = rows.findIndex((r) => r.id === fromId);
  for (let k = 1; k <= rows.length; k++) {
    const row = rows[(start + k + rows.length) % rows.length];
    if (row.decision === 'pending' && row.id !== fromId) return row.id;
  }
  return null;
}

export function useReviewQueue(api: Pick<ApiClient, 'review.queue'>, roundId: number | null, filter: ReviewFilter): ReviewQueueState {
  const [rows, setRows] = useState<CandidateSummary[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const request = useRef(0);
  const filterKey = JSON.stringify(filter);

  const load = useCallback(
    async (keepSelection: boolean) => {
      if (roundId === null) {
        setRows([]);
        setTotal(0);
        setSelectedId(null);
        return;
      }
      const mine = ++request.current;
      setLoading(true);
      try {
        const all: CandidateSummary[] = [];
        let count = 0;
        do {
          const page = await api['review.queue']({ roundId, filter: JSON.parse(filterKey) as ReviewFilter, offset: all.length, limit: PAGE });
          if (mine !== request.current) return;
          count = page.total;
          all.push(...page.rows);
          if (page.rows.length === 0) break;
        } while (all.length < count && all.length < MAX_ROWS);
        setRows(all);
        setTotal(count);
        setError(null);
        setSelectedId((id) => {
          if (keepSelection && id !== null && all.some((r) => r.id === id)) return id;
          return (all.find((r) => r.decision === 'pending') ?? all[0])?.id ?? null;
        });
      } catch (e) {
        if (mine === request.current) setError((e as Error).message);
      } finally {
        if (mine === request.current) setLoading(false);
      }
    },
    [api, roundId, filterKey],
  );

  useEffect(() => void load(false), [load]);
  useApiEvents((event) => event.type === 'rounds.changed' && event.roundId === roundId && void load(true));

  const move = useCallback(
    (delta: number) => {
      setSelectedId((id) => {
        if (rows.length === 0) return null;
        const at = rows.findIndex((r) => r.id === id);
        const next = Math.min(rows.length - 1, Math.max(0, (at < 0 ? (delta > 0 ? -1 : rows.length) : at) + delta));
        return rows[next].id;
      });
    },
    [rows],
  );

  const latestRows = useLatest(rows);
  const decided = useCallback(
    (candidate: CandidateSummary) => {
      const updated = latestRows.current.map((r) => (r.id === candidate.id ? candidate : r));
      setRows(updated);
      setSelectedId(nextPending(updated, candidate.id) ?? candidate.id);
    },
    [latestRows],
  );

  const selected = rows.find((r) => r.id === selectedId) ?? null;
  return { rows, total, loading, error, selectedId, selected, select: setSelectedId, move, decided, reload: () => void load(true) };
}
