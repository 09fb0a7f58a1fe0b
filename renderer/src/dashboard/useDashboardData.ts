/**
 * The dashboard's numbers (stats, splits, workspace info), kept fresh: reloaded when records change (labels, skips,
 * analysis results, imports) and when a job ends, at most once per REFRESH_THROTTLE_MS with the last change of a burst
 * never lost; one request at a time.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../../../contract/api';
import type { ApiEvent, SplitSummary, WorkspaceInfo, WorkspaceStats } from '../../../contract/types';
import { useApiEvents } from '../api/ApiContext';
import { useThrottledCallback } from '../charts/useThrottledCallback';

/** Events that can change the numbers arrive in bursts (a whole import); refresh at most this often. */
export const REFRESH_THROTTLE_MS = 2000;

export interface DashboardData {
  info: WorkspaceInfo | null;
  stats: WorkspaceStats;
  splits: SplitSummary[];
  loadedAt: number;
}

/** Whether an event can change what the dashboard shows. */
export function changesDashboard(event: ApiEvent): boolean {
  if (event.type === 'records.changed') return true;
  if (event.type !== 'job.progress') return false;
  // Imports and analysis add records, weak labels and analyses as they go; other jobs (training, eval) change
  // no counts while they run, so only their end is worth a refresh.
  const { kind, status } = event.job;
  return kind === 'import' || kind === 'analyze' || (status !== 'running' && status !== 'queued');
}

export function useDashboardData(api: ApiClient): { data: DashboardData | null; error: string | null; loading: boolean; load: () => Promise<void> } {
  const [data, setData] = useState<DashboardData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const inFlight = useRef(false);
  const again = useRef(false);

  const load = useCallback(async () => {
    // One request at a time; a refresh asked for meanwhile runs once when it finishes.
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    setLoading(true);
    try {
      do {
        again.current = false;
        const [stats, splits, info] = await Promise.all([
          api['stats.get']({}),
          api['splits.list']({}).then((r) => r.splits),
          api['workspace.info']({}).catch(() => null),
        ]);
        setData({ stats, splits, info, loadedAt: Date.now() });
        setError(null);
      } while (again.current);
    } catch (e) {
      setError(`Could not load the dashboard: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      inFlight.current = false;
      setLoading(false);
    }
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  const refresh = useThrottledCallback(() => void load(), REFRESH_THROTTLE_MS);
  useApiEvents((event) => {
    if (changesDashboard(event)) refresh();
  });

  return { data, error, loading, load };
}
