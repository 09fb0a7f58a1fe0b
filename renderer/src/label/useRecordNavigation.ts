/**
 * Which record the label view shows: the one in the route (without one, the queue's first), and moving to the
 * next or previous record of the queue. What comes next is prefetched, so "next" usually shows a cached record
 * in the same task as the keypress, before the route changes.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { RecordDetail } from '../../../contract/types';
import { errorText } from '../components/Toasts';
import { useLatest } from '../hooks/useLatest';
import { queueKey, type QueueSpec } from '../queue/queueState';
import type { RecordCache } from './recordCache';

/** The record last open in the label view: the Label tab returns to it. */
export const LAST_RECORD_KEY = 'fea.lastRecord';
export const PREFETCH_AHEAD = 3;

export type RecordSource = Pick<RecordCache, 'nextIds' | 'peek' | 'get' | 'prefetch'>;

export interface RecordNavigationOptions {
  /** The record in the route; null opens the queue's first record. */
  recordId: string | null;
  queue: QueueSpec;
  userId: number;
  cache: RecordSource;
  /** Changes the route to `id` (replacing the history entry when `replace`). */
  open(id: string, replace?: boolean): void;
  /** A record is about to be shown in place of the current one (save its pending draft). */
  onLeave(): void;
  /** A record is shown: fill the form from it. */
  onShow(detail: RecordDetail): void;
  /** There is nothing further in that direction. */
  notify(message: string): void;
}

export interface RecordNavigation {
  detail: RecordDetail | null;
  loadError: string | null;
  /** No record id in the route and the queue is empty. */
  queueEmpty: boolean;
  /** Bumped by reload(): effects that read the record's data run again. */
  reloadToken: number;
  /** The id of the record on screen (it lags the route while a record loads). */
  shownId(): string | null;
  /** Reads the record on screen again, fresh from the API. */
  reload(): void;
  /** Moves to the record after (or before) `from` in the queue; resolves to it, or null at the queue's end. */
  goTo(from: string, backward: boolean): Promise<string | null>;
}

export function useRecordNavigation(options: RecordNavigationOptions): RecordNavigation {
  const { recordId, queue, userId, cache } = options;
  const latest = useLatest(options);
  const [detail, setDetail] = useState<RecordDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [queueEmpty, setQueueEmpty] = useState(false);
  const [reloadToken, setReloadToken] = useState(0);
  const reloadRef = useLatest(reloadToken);
  const shown = useRef<string | null>(null);
  /** What follows `from` in the queue `key`, as last prefetched. */
  const nextIds = useRef<{ from: string; key: string; ids: string[] } | null>(null);
  /** A record shown ahead of the route change (same render), so the route effect need not show it again. */
  const preShown = useRef<{ id: string; token: number } | null>(null);

  const show = useCallback(
    (d: RecordDetail) => {
      shown.current = d.row.id;
      localStorage.setItem(LAST_RECORD_KEY, d.row.id);
      setDetail(d);
      setLoadError(null);
      latest.current.onShow(d);
    },
    [latest],
  );

  // Open the record in the route; without one, the first record of the queue.
  useLayoutEffect(() => {
    latest.current.onLeave();
    let live = true;
    if (!recordId) {
      setQueueEmpty(false);
      cache.nextIds(latest.current.queue, null, 1).then(
        (ids) => {
          if (!live) return;
          if (ids[0]) latest.current.open(ids[0], true);
          else setQueueEmpty(true);
        },
        (err: unknown) => live && setLoadError(errorText(err)),
      );
      return () => {
        live = false;
      };
    }
    setQueueEmpty(false);
    if (preShown.current?.id === recordId && preShown.current.token === reloadToken) {
      preShown.current = null;
      return;
    }
    preShown.current = null;
    // A reload of the record on screen reads it fresh; anything else may show what was prefetched.
    const cached = reloadToken === 0 || shown.current !== recordId ? cache.peek(recordId, userId) : undefined;
    if (cached) show(cached);
    else {
      cache.get(recordId, userId, true).then(
        (d) => live && show(d),
        (err: unknown) => live && setLoadError(errorText(err)),
      );
    }
    return () => {
      live = false;
    };
  }, [recordId, reloadToken, userId, cache, show, latest]);

  // Prefetch what comes next (and the one before), details and images; again after a reload.
  const qKey = queueKey(queue);
  useEffect(() => {
    if (!recordId) return;
    let live = true;
    const from = recordId;
    const spec = latest.current.queue;
    cache.nextIds(spec, from, PREFETCH_AHEAD).then(
      (ids) => {
        if (!live) return;
        nextIds.current = { from, key: qKey, ids };
        cache.prefetch(ids, userId);
      },
      () => undefined,
    );
    cache.nextIds(spec, from, 1, true).then(
      (ids) => live && cache.prefetch(ids, userId),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [recordId, qKey, userId, reloadToken, cache, latest]);

  const goTo = useCallback(
    async (from: string, backward: boolean) => {
      const known = !backward && nextIds.current && nextIds.current.from === from && nextIds.current.key === qKey ? nextIds.current.ids : null;
      const ids = known ?? (await cache.nextIds(queue, from, backward ? 1 : PREFETCH_AHEAD, backward));
      const target = ids.find((id) => id !== from);
      if (target && !backward) {
        // What follows the target is already known: the next submit need not wait for the prefetch.
        const rest = ids.slice(ids.indexOf(target) + 1);
        if (rest.length) nextIds.current = { from: target, key: qKey, ids: rest };
      }
      if (target) {
        const cached = cache.peek(target, userId);
        if (cached) {
          latest.current.onLeave();
          show(cached);
          preShown.current = { id: target, token: reloadRef.current };
        }
        latest.current.open(target);
      } else latest.current.notify(backward ? 'This is the first record of the queue' : 'No more records in this queue');
      return target ?? null;
    },
    [cache, queue, qKey, userId, show, latest, reloadRef],
  );

  const shownId = useCallback(() => shown.current, []);
  const reload = useCallback(() => setReloadToken((t) => t + 1), []);

  return { detail, loadError, queueEmpty, reloadToken, shownId, reload, goTo };
}
