import { createContext, useContext, useEffect, useEffectEvent, useMemo, type ReactNode } from 'react';
import type { ApiClient } from '../../../contract/api';
import type { ApiEvent } from '../../../contract/types';
import { createClient, createTransport, type Transport } from './client';

interface ApiContextValue {
  api: ApiClient;
  transport: Transport;
}

const ApiContext = createContext<ApiContextValue | null>(null);

export function ApiProvider({ children, transport }: { children: ReactNode; transport?: Transport }) {
  const value = useMemo(() => {
    const t = transport ?? createTransport();
    return { api: createClient(t), transport: t };
  }, [transport]);
  return <ApiContext.Provider value={value}>{children}</ApiContext.Provider>;
}

function useApiContext(): ApiContextValue {
  const ctx = useContext(ApiContext);
  if (!ctx) throw new Error('useApi must be used inside <ApiProvider>');
  return ctx;
}

export function useApi(): ApiClient {
  return useApiContext().api;
}

export function useMediaUrl(): (imageKey: string) => string {
  return useApiContext().transport.mediaUrl;
}

/**
 * Subscribes to API events for the lifetime of the component; each event reaches the listener of the latest
 * render, so the subscription stays put while the listener changes.
 * @param _deps no longer needed (kept so existing callers compile).
 */
export function useApiEvents(listener: (event: ApiEvent) => void, _deps?: readonly unknown[]): void {
  const { transport } = useApiContext();
  const onEvent = useEffectEvent(listener);
  useEffect(() => transport.subscribe((event) => onEvent(event)), [transport]);
}
