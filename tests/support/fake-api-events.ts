/**
 * Stands in for renderer/src/api/ApiContext in hook tests: `useApiEvents` subscribes the hook's listener to
 * `apiListeners`, and the test sends the events. Use as
 * `jest.mock('../../renderer/src/api/ApiContext', () => jest.requireActual('../support/fake-api-events'))`.
 */
import { useEffect } from 'react';
import type { ApiEvent } from '../../contract/types';

export const apiListeners = new Set<(e: ApiEvent) => void>();

export function useApiEvents(listener: (e: ApiEvent) => void): void {
  useEffect(() => {
    apiListeners.add(listener);
    return () => void apiListeners.delete(listener);
  });
}
