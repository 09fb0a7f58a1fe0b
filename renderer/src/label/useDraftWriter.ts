/**
 * The label view's writes: edits are saved as a draft after a pause, and every write (draft, submit, skip,
 * undo, discard) goes out one after another, so a late draft save never lands after the submit it preceded.
 * A pending draft is saved at once when another record opens, when the page is hidden or closed, and on unmount.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../../../contract/api';
import { errorText } from '../components/Toasts';
import type { FormState } from './form';

export const DRAFT_DEBOUNCE_MS = 300;

export type DraftState = 'idle' | 'pending' | 'saving' | 'saved' | 'error';

export interface DraftWriterOptions {
  api: Pick<ApiClient, 'drafts.save'>;
  userId: number;
  /** A draft of `recordId` was stored (the record's cached detail is now stale). */
  onSaved(recordId: string): void;
  onError(message: string): void;
  debounceMs?: number;
}

export interface DraftWriter {
  /** The draft state of the record on screen. */
  state: DraftState;
  /** A record opened: its draft state starts as 'saved' when its draft was restored, 'idle' otherwise. */
  open(recordId: string, draftRestored: boolean): void;
  /** The form of `recordId` changed: a draft save is scheduled, replacing any pending one. */
  schedule(recordId: string, form: FormState): void;
  /** Saves the pending draft now, if any. */
  flush(): void;
  /** Drops the pending draft unsaved (a submit or discard replaces it). */
  cancel(): void;
  /** Queues a write behind every write before it. */
  enqueue<T>(write: () => Promise<T>): Promise<T>;
}

export function useDraftWriter({ api, userId, onSaved, onError, debounceMs = DRAFT_DEBOUNCE_MS }: DraftWriterOptions): DraftWriter {
  const [state, setState] = useState<DraftState>('idle');
  /** The record whose draft state is shown: writes for another record leave the state alone. */
  const shown = useRef<string | null>(null);
  const pending = useRef<{ recordId: string; form: FormState; timer: ReturnType<typeof setTimeout> } | null>(null);
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const inFlight = useRef(0);

  const enqueue = useCallback(<T,>(write: () => Promise<T>): Promise<T> => {
    // With nothing queued the request leaves now, before the next record renders.
    const p = inFlight.current === 0 ? write() : chain.current.then(write, write);
    inFlight.current++;
    chain.current = p.then(
      () => void inFlight.current--,
      () => void inFlight.current--,
    );
    return p;
  }, []);

  const flush = useCallback(() => {
    const p = pending.current;
    if (!p) return;
    clearTimeout(p.timer);
    pending.current = null;
    setState('saving');
    const { recordId, form: f } = p;
    enqueue(() => api['drafts.save']({ recordId, userId, emotion: f.emotion, aus: f.aus, reasoning: f.reasoning, parentPredictionId: f.parentPredictionId })).then(
      () => {
        onSaved(recordId);
        if (shown.current === recordId && !pending.current) setState('saved');
      },
      (err: unknown) => {
        if (shown.current === recordId) setState('error');
        onError(`Draft not saved: ${errorText(err)}`);
      },
    );
  }, [api, userId, onSaved, onError, enqueue]);

  const cancel = useCallback(() => {
    if (pending.current) clearTimeout(pending.current.timer);
    pending.current = null;
  }, []);

  const schedule = useCallback(
    (recordId: string, form: FormState) => {
      if (pending.current) clearTimeout(pending.current.timer);
      pending.current = { recordId, form, timer: setTimeout(flush, debounceMs) };
      setState('pending');
    },
    [flush, debounceMs],
  );

  const open = useCallback((recordId: string, draftRestored: boolean) => {
    shown.current = recordId;
    setState(draftRestored ? 'saved' : 'idle');
  }, []);

  // Save what is pending when the page goes away (reload, close, crash of the tab's owner).
  useEffect(() => {
    const onHide = () => flush();
    const onVisibility = () => document.visibilityState === 'hidden' && flush();
    window.addEventListener('pagehide', onHide);
    window.addEventListener('beforeunload', onHide);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('pagehide', onHide);
      window.removeEventListener('beforeunload', onHide);
      document.removeEventListener('visibilitychange', onVisibility);
      flush();
    };
  }, [flush]);

  return useMemo(() => ({ state, open, schedule, flush, cancel, enqueue }), [state, open, schedule, flush, cancel, enqueue]);
}
