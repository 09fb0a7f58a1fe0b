/** Runs, models and splits for the training view, kept live from job.progress and run.metrics events. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiEvent, MetricPoint, ModelSummary, RunSummary, SplitSummary } from '../../../contract/types';
import { useApi, useApiEvents } from '../api/ApiContext';
import { ApiCallError } from '../api/client';
import { useThrottledCallback } from '../charts/useThrottledCallback';
import { mergePoints } from './metricPanels';

const RELOAD_THROTTLE_MS = 1500;
/** Safety net while a run is live, in case an event was missed (e.g. the event stream reconnected). */
const POLL_WHILE_RUNNING_MS = 10_000;

export interface TrainingData {
  runs: RunSummary[];
  models: ModelSummary[];
  splits: SplitSummary[];
  loaded: boolean;
  error: string | null;
  reload: () => Promise<void>;
  selectedRunId: number | null;
  selectRun: (id: number | null) => void;
  /** Metrics of the selected run, live. */
  metrics: MetricPoint[];
  metricsLoading: boolean;
}

function runStatusFromJob(status: string): RunSummary['status'] {
  if (status === 'done') return 'done';
  if (status === 'failed') return 'failed';
  if (status === 'stopped') return 'stopped';
  if (status === 'queued') return 'queued';
  return 'running';
}

export function useTrainingData(): TrainingData {
  const api = useApi();
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [models, setModels] = useState<ModelSummary[]>([]);
  const [splits, setSplits] = useState<SplitSummary[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [selectedRunId, setSelectedRunId] = useState<number | null>(null);
  const [metrics, setMetrics] = useState<MetricPoint[]>([]);
  const [metricsLoading, setMetricsLoading] = useState(false);
  const userPicked = useRef(false);
  const selectedRef = useRef<number | null>(null);
  /** run.metrics events for the selected run that arrive while runs.get is in flight. */
  const pending = useRef<MetricPoint[] | null>(null);
  const runsRef = useRef<RunSummary[]>(runs);
  runsRef.current = runs;

  const reload = useCallback(async () => {
    // Each list on its own: a failing one (e.g. training not available) must not hide the others.
    const [r, m, s] = await Promise.allSettled([api['runs.list']({}), api['models.list']({}), api['splits.list']({})]);
    if (r.status === 'fulfilled') setRuns([...r.value.runs].sort((a, b) => b.id - a.id));
    if (m.status === 'fulfilled') setModels([...m.value.models].sort((a, b) => b.id - a.id));
    if (s.status === 'fulfilled') setSplits(s.value.splits);
    const failed = [
      ['runs', r],
      ['models', m],
      ['splits', s],
    ].filter(([, x]) => (x as PromiseSettledResult<unknown>).status === 'rejected') as [string, PromiseRejectedResult][];
    const notThere = failed.length > 0 && failed.every(([, x]) => x.reason instanceof ApiCallError && x.reason.code === 'not_implemented');
    setError(
      failed.length === 0
        ? null
        : notThere
          ? `Training is not available in this build yet (${failed.map(([n]) => n).join(', ')}).`
          : `Could not load ${failed.map(([n]) => n).join(', ')}: ${[...new Set(failed.map(([, x]) => (x.reason instanceof Error ? x.reason.message : String(x.reason))))].join('; ')}`,
    );
    setLoaded(true);
  }, [api]);

  useEffect(() => {
    void reload();
  }, [reload]);

  // Until the user picks one, follow the newest run (running first). A picked run that is not listed
  // yet (just started) stays picked: the next reload brings it.
  useEffect(() => {
    if (userPicked.current) return;
    const next = runs.find((r) => r.status === 'running') ?? runs[0];
    if (next && next.id !== selectedRunId) setSelectedRunId(next.id);
  }, [runs, selectedRunId]);

  useEffect(() => {
    selectedRef.current = selectedRunId;
    setMetrics([]);
    if (selectedRunId === null) return;
    let cancelled = false;
    pending.current = [];
    setMetricsLoading(true);
    api['runs.get']({ runId: selectedRunId })
      .then((res) => {
        if (cancelled) return;
        setMetrics(mergePoints(res.metrics, pending.current ?? []));
        setRuns((rs) => rs.map((r) => (r.id === res.run.id ? res.run : r)));
      })
      .catch((e) => {
        if (!cancelled) setError(`Could not load run ${selectedRunId}: ${e instanceof Error ? e.message : String(e)}`);
      })
      .finally(() => {
        if (!cancelled) {
          pending.current = null;
          setMetricsLoading(false);
        }
      });
    return () => {
      cancelled = true;
    };
  }, [api, selectedRunId]);

  const throttledReload = useThrottledCallback(() => void reload(), RELOAD_THROTTLE_MS);

  const onEvent = useCallback(
    (event: ApiEvent) => {
      if (event.type === 'run.metrics') {
        const { runId, point } = event;
        if (runId === selectedRef.current) {
          if (pending.current) pending.current.push(point);
          else setMetrics((ms) => mergePoints(ms, [point]));
        }
        setRuns((rs) =>
          rs.map((r) => (r.id === runId && point.step > r.progress.step ? { ...r, progress: { ...r.progress, step: point.step } } : r)),
        );
        return;
      }
      if (event.type === 'job.progress') {
        const { job } = event;
        if (job.kind === 'eval' && job.status !== 'running' && job.status !== 'queued') throttledReload();
        if (job.kind !== 'train' || job.runId === undefined) return;
        const runId = job.runId;
        const known = runsRef.current.some((r) => r.id === runId);
        setRuns((rs) =>
          rs.map((r) => {
            if (r.id !== runId) return r;
            return {
              ...r,
              status: runStatusFromJob(job.status),
              progress: job.total > 0 ? { step: job.done, totalSteps: job.total } : r.progress,
            };
          }),
        );
        // A new run, or a run that just ended (its model and eval now exist): fetch the lists again.
        if (!known || job.status === 'done' || job.status === 'failed' || job.status === 'stopped') throttledReload();
      }
    },
    [throttledReload],
  );
  useApiEvents(onEvent, [onEvent]);

  // a queued run starts on its own when a slot frees: keep the list fresh while one waits too
  const anyRunning = runs.some((r) => r.status === 'running' || r.status === 'queued');
  useEffect(() => {
    if (!anyRunning) return;
    const t = setInterval(() => void reload(), POLL_WHILE_RUNNING_MS);
    return () => clearInterval(t);
  }, [anyRunning, reload]);

  const selectRun = useCallback((id: number | null) => {
    userPicked.current = id !== null;
    setSelectedRunId(id);
  }, []);

  return { runs, models, splits, loaded, error, reload, selectedRunId, selectRun, metrics, metricsLoading };
}
