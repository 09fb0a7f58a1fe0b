/**
 * The export view's state: what to export (a snapshot or the current labels, a split), its preview (datasheet numbers
 * and the split's leakage report), the formats and output folder, the export jobs with their progress, and the
 * datasheet of each finished export.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../../../contract/api';
import type { ExportDatasheet, ExportPreview, Job, SnapshotSummary, SplitSummary } from '../../../contract/types';
import type { EngineFormat } from '../../../contract/training-choices';
import { useApiEvents } from '../api/ApiContext';

export type ExportApi = Pick<ApiClient, 'snapshots.list' | 'splits.list' | 'export.preview' | 'export.start' | 'export.datasheet' | 'jobs.cancel'>;

export interface ExportRun {
  format: EngineFormat;
  outDir: string;
  jobId: string;
  job: Job | null;
  datasheet: { datasheet: ExportDatasheet; markdown: string } | null;
  error: string | null;
}

/** One format goes into the folder itself; several each into a subfolder named after the format. */
export function outDirFor(outDir: string, format: EngineFormat, count: number): string {
  const base = outDir.trim().replace(/[\\/]+$/, '');
  return count > 1 ? `${base}/${format}` : base;
}

/** The renderer cannot resolve paths; it only asks for an absolute one (the server checks the rest). */
export function outDirProblem(outDir: string): string | null {
  const d = outDir.trim();
  if (d === '') return 'Name an output folder';
  if (!d.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(d)) return 'The output folder must be an absolute path';
  return null;
}

export interface ExportState {
  snapshots: SnapshotSummary[];
  splits: SplitSummary[];
  snapshot: number | null;
  split: string | null;
  setSnapshot(id: number | null): void;
  setSplit(name: string | null): void;
  preview: ExportPreview | null;
  previewError: string | null;
  formats: EngineFormat[];
  toggleFormat(f: EngineFormat): void;
  outDir: string;
  setOutDir(d: string): void;
  replace: boolean;
  setReplace(r: boolean): void;
  /** Why Export is disabled, or null. */
  blocked: string | null;
  busy: boolean;
  runs: ExportRun[];
  error: string | null;
  start(): Promise<void>;
  cancel(jobId: string): void;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const active = (r: ExportRun) => !r.job || r.job.status === 'running' || r.job.status === 'queued';

export function useExport(api: ExportApi, userId?: number): ExportState {
  const [snapshots, setSnapshots] = useState<SnapshotSummary[]>([]);
  const [splits, setSplits] = useState<SplitSummary[]>([]);
  const [snapshot, setSnapshot] = useState<number | null>(null);
  const [split, setSplit] = useState<string | null>(null);
  const [preview, setPreview] = useState<ExportPreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [formats, setFormats] = useState<EngineFormat[]>(['easyr1']);
  const [outDir, setOutDir] = useState('');
  const [replace, setReplace] = useState(false);
  const [started, setStarted] = useState<Pick<ExportRun, 'format' | 'outDir' | 'jobId'>[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  useEffect(() => {
    api['snapshots.list']({}).then((r) => setSnapshots(r.snapshots), (e) => setError(message(e)));
    api['splits.list']({}).then((r) => setSplits(r.splits), (e) => setError(message(e)));
  }, [api]);

  useEffect(() => {
    let live = true;
    setPreviewError(null);
    api['export.preview']({ split, snapshot }).then(
      (p) => live && setPreview(p),
      (e) => {
        if (!live) return;
        setPreview(null);
        setPreviewError(message(e));
      },
    );
    return () => {
      live = false;
    };
  }, [api, split, snapshot]);

  // Every export job's latest state, by id, whether or not its run is known yet: a small export can finish before
  // export.start's reply arrives, or between the reply and the next render.
  const [jobs, setJobs] = useState<ReadonlyMap<string, Job>>(new Map());
  useApiEvents((event) => {
    if (event.type !== 'job.progress' || event.job.kind !== 'export') return;
    setJobs((m) => new Map(m).set(event.job.id, event.job));
  });
  const [datasheets, setDatasheets] = useState<ReadonlyMap<string, ExportRun['datasheet'] | string>>(new Map());
  const runs = useMemo(
    () =>
      started.map((r): ExportRun => {
        const job = jobs.get(r.jobId) ?? null;
        const sheet = datasheets.get(r.jobId);
        const error = typeof sheet === 'string' ? sheet : job?.status === 'failed' ? job.message : null;
        return { ...r, job, datasheet: typeof sheet === 'string' ? null : sheet ?? null, error };
      }),
    [started, jobs, datasheets],
  );

  const fetched = useRef(new Set<string>());
  useEffect(() => {
    for (const r of runs) {
      if (r.job?.status !== 'done' || fetched.current.has(r.jobId)) continue;
      fetched.current.add(r.jobId);
      api['export.datasheet']({ outDir: r.outDir }).then(
        (d) => setDatasheets((m) => new Map(m).set(r.jobId, d)),
        (e) => setDatasheets((m) => new Map(m).set(r.jobId, message(e))),
      );
    }
  }, [api, runs]);

  const toggleFormat = useCallback((f: EngineFormat) => setFormats((fs) => (fs.includes(f) ? fs.filter((x) => x !== f) : [...fs, f])), []);
  const busy = starting || runs.some(active);
  const blocked = formats.length === 0 ? 'Choose a format' : outDirProblem(outDir) ?? (busy ? 'An export is running' : null);

  const start = useCallback(async () => {
    if (blocked) return;
    setError(null);
    setStarting(true);
    setStarted([]);
    try {
      for (const format of formats) {
        const dir = outDirFor(outDir, format, formats.length);
        const { jobId } = await api['export.start']({ format, outDir: dir, split, snapshot, force: replace, ...(userId === undefined ? {} : { userId }) });
        setStarted((rs) => [...rs, { format, outDir: dir, jobId }]);
      }
    } catch (e) {
      setError(message(e));
    } finally {
      setStarting(false);
    }
  }, [api, blocked, formats, outDir, replace, snapshot, split, userId]);

  const cancel = useCallback((jobId: string) => void api['jobs.cancel']({ jobId }).catch((e: unknown) => setError(message(e))), [api]);

  return {
    snapshots,
    splits,
    snapshot,
    split,
    setSnapshot,
    setSplit,
    preview,
    previewError,
    formats,
    toggleFormat,
    outDir,
    setOutDir,
    replace,
    setReplace,
    blocked,
    busy,
    runs,
    error,
    start,
    cancel,
  };
}
