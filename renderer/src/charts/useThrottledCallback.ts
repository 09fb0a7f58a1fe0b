import { useCallback, useEffect, useRef } from 'react';

/**
 * Returns a function that runs `fn` at most once per `ms`: immediately when idle, and once more
 * at the end of a burst so that the last event is never lost.
 */
export function useThrottledCallback(fn: () => void, ms: number): () => void {
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return useCallback(() => {
    const now = Date.now();
    const wait = last.current + ms - now;
    if (wait <= 0 && !timer.current) {
      last.current = now;
      fnRef.current();
      return;
    }
    if (timer.current) return;
    timer.current = setTimeout(
      () => {
        timer.current = null;
        last.current = Date.now();
        fnRef.current();
      },
      Math.max(wait, 0),
    );
  }, [ms]);
}
