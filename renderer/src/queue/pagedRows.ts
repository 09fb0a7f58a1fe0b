/**
 * Windowed page fetching over records.query: pages load as their rows scroll into view,
 * a small LRU keeps recent pages, and a new filter/sort starts a fresh set.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../../../contract/api';
import type { RecordRow } from '../../../contract/types';
import { useLatest } from '../hooks/useLatest';
import { queueKey, type QueueSpec } from './queueState';

export const PAGE_SIZE = 100;
const MAX_PAGES = 30;

export interface PagedRows {
  total: number | null;
  error: string | null;
  /** The row at index i, or undefined while its page loads. */
  row(i: number): RecordRow | undefined;
  /** Ensures the pages covering [start, end] are loaded or loading. */
  ensure(start: number, end: number): void;
  reload(): void;
}

export function usePagedRows(api: ApiClient, spec: QueueSpec): PagedRows {
  const key = queueKey(spec);
  const pages = useRef(new Map<number, RecordRow[]>());
  const inflight = useRef(new Set<number>());
  const generation = useRef(0);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [, setVersion] = useState(0);
  const specRef = useLatest(spec);

  const fetchPage = useCallback(
    (page: number) => {
      if (pages.current.has(page) || inflight.current.has(page)) return;
      inflight.current.add(page);
      const gen = generation.current;
      const { filter, sort } = specRef.current;
      api['records.query']({ filter, sort, offset: page * PAGE_SIZE, limit: PAGE_SIZE }).then(
        (res) => {
          if (gen !== generation.current) return;
          inflight.current.delete(page);
          pages.current.set(page, res.rows);
          // Map order is insertion order: drop the oldest pages beyond the cap.
          while (pages.current.size > MAX_PAGES) pages.current.delete(pages.current.keys().next().value!);
          setTotal(res.total);
          setError(null);
          setVersion((v) => v + 1);
        },
        (err: unknown) => {
          if (gen !== generation.current) return;
          inflight.current.delete(page);
          setError(err instanceof Error ? err.message : String(err));
        },
      );
    },
    [api, specRef],
  );

  const reset = useCallback(() => {
    generation.current++;
    pages.current = new Map();
    inflight.current = new Set();
    setTotal(null);
    setVersion((v) => v + 1);
    fetchPage(0);
  }, [fetchPage]);

  useEffect(reset, [key, reset]);

  const row = useCallback((i: number) => {
    const page = Math.floor(i / PAGE_SIZE);
    const rows = pages.current.get(page);
    if (rows) {
      // Touch: keep the page recently used.
      pages.current.delete(page);
      pages.current.set(page, rows);
    }
    return rows?.[i % PAGE_SIZE];
  }, []);

  const ensure = useCallback(
    (start: number, end: number) => {
      if (end < start) return;
      for (let p = Math.floor(start / PAGE_SIZE); p <= Math.floor(end / PAGE_SIZE); p++) fetchPage(p);
    },
    [fetchPage],
  );

  return { total, error, row, ensure, reload: reset };
}
