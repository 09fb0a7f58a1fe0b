/**
 * How far the suggestions can be trusted (suggestions.trust), read on arrival and again after records change — at most
 * once per `delayMs`, since every submit anywhere changes records and the measure spans all labeled ones.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../../../contract/api';
import type { SuggestionTrust } from '../../../contract/types';
import { useApiEvents } from '../api/ApiContext';

export function useSuggestionTrust(api: Pick<ApiClient, 'suggestions.trust'>, delayMs = 3000): SuggestionTrust | null {
  const [trust, setTrust] = useState<SuggestionTrust | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const load = useCallback(() => {
    timer.current = null;
    api['suggestions.trust']({}).then(setTrust, () => undefined);
  }, [api]);
  useEffect(() => {
    load();
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [load]);
  useApiEvents((event) => {
    if (event.type === 'records.changed' && !timer.current) timer.current = setTimeout(load, delayMs);
  });
  return trust;
}
