import { useLayoutEffect, useRef } from 'react';

/**
 * A ref that holds the value of the last commit: callbacks read it to call the caller's latest functions without
 * re-running the effects or re-creating the callbacks that depend on them. (`useEffectEvent` does this for code
 * that runs only inside effects; this is for callbacks that event handlers and timers call too.)
 */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}
