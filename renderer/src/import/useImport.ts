/**
 * The import view's state: the input (a path on the service's machine, typed or picked, and its format), the preview
 * of what importing it would add, the import job with its progress and final report, and face analysis of the
 * images still without one (start with a worker count, live progress, cancel). Jobs are kept by id from every
 * job.progress event, and a running job found by jobs.list is picked up again after a reload.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../../../contract/api';
import { IMPORT_INPUT_KINDS, type AnalysisStatus, type ImportFormat, type ImportSummary, type Job } from '../../../contract/types';
import type { PathPicker } from '../api/pathPicker';
import { useApiEvents } from '../api/ApiContext';

export type ImportApi = Pick<ApiClient, 'import.preview' | 'import.start' | 'analysis.start' | 'analysis.status' | 'jobs.list' | 'jobs.cancel'>;

/** The renderer cannot resolve paths; it only asks for an absolute one (the service checks the rest). */
export function importPathProblem(p: string): string | null {
  const d = p.trim();
  if (d === '') return 'Name a file or folder to import';
  if (!d.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(d)) return 'The path must be absolute';
  return null;
}

export const isActive = (job: Job | null | undefined): boolean => !!job && (job.status === 'running' || job.status === 'queued');

/** The newest job of a kind that is still running, if any. */
export function runningJob(jobs: Iterable<Job>, kind: Job['kind']): Job | null {
  let best: Job | null = null;
  for (const j of jobs) if (j.kind === kind && isActive(j) && (!best || j.startedAt > best.startedAt)) best = j;
  return best;
}

export interface ImportState {
  path: string;
  setPath(p: string): void;
  format: ImportFormat;
  setFormat(f: ImportFormat): void;
  recursive: boolean;
  setRecursive(r: boolean): void;
  /** What the path of this format names. */
  inputKind: 'file' | 'folder' | 'either';
  canBrowse: boolean;
  browse(): Promise<void>;
  pathProblem: string | null;
  /** The preview of the current input (null once the input changes). */
  preview: ImportSummary | null;
  previewing: boolean;
  previewError: string | null;
  runPreview(): Promise<void>;
  /** Why Import is disabled, or null. */
  importBlocked: string | null;
  startImport(): Promise<void>;
  importJob: Job | null;
  /** The import job's final report (done or stopped). */
  report: ImportSummary | null;
  analysis: AnalysisStatus | null;
  workers: number;
  setWorkers(n: number): void;
  analysisJob: Job | null;
  analysisBlocked: string | null;
  startAnalysis(): Promise<void>;
  cancel(jobId: string): void;
  error: string | null;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const inputKey = (path: string, format: ImportFormat, recursive: boolean) => JSON.stringify([path.trim(), format, format === 'folders' && recursive]);

export function useImport(api: ImportApi, options: { userId?: number; picker?: PathPicker | null } = {}): ImportState {
  const { userId, picker = null } = options;
  const [path, setPath] = useState('');
  const [format, setFormat] = useState<ImportFormat>('facial-r1');
  const [recursive, setRecursive] = useState(false);
  const [previewed, setPreviewed] = useState<{ key: string; summary: ImportSummary } | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [importId, setImportId] = useState<string | null>(null);
  const [analysisId, setAnalysisId] = useState<string | null>(null);
  const [starting, setStarting] = useState<'import' | 'analysis' | null>(null);
  const [analysis, setAnalysis] = useState<AnalysisStatus | null>(null);
  const [workers, setWorkers] = useState(1);

  // Every import and analysis job's latest state, by id, whether or not this view started it yet: a small import
  // can finish before import.start's reply arrives, or between the reply and the next render.
  const [jobs, setJobs] = useState<ReadonlyMap<string, Job>>(new Map());
  useApiEvents((event) => {
    if (event.type !== 'job.progress' || (event.job.kind !== 'import' && event.job.kind !== 'analyze')) return;
    setJobs((m) => new Map(m).set(event.job.id, event.job));
  });

  const refreshAnalysis = useCallback(() => {
    api['analysis.status']({}).then(setAnalysis, (e: unknown) => setError(message(e)));
  }, [api]);

  // After a reload: the jobs still running on the service are this view's again.
  useEffect(() => {
    refreshAnalysis();
    api['jobs.list']({}).then(
      (r) => {
        const listed = r.jobs.filter((j) => j.kind === 'import' || j.kind === 'analyze');
        // an event newer than the list wins
        setJobs((m) => new Map([...listed.map((j) => [j.id, j] as const), ...m]));
        const imp = runningJob(listed, 'import');
        const ana = runningJob(listed, 'analyze');
        if (imp) setImportId((id) => id ?? imp.id);
        if (ana) setAnalysisId((id) => id ?? ana.id);
      },
      (e: unknown) => setError(message(e)),
    );
  }, [api, refreshAnalysis]);

  const importJob = importId ? (jobs.get(importId) ?? null) : null;
  const analysisJob = analysisId ? (jobs.get(analysisId) ?? null) : null;
  const report = importJob?.result?.kind === 'import' ? importJob.result.report : null;

  // Coverage moves with a running analysis (an image at a time) and changes when an import or an analysis ends.
  const analysedSoFar = isActive(analysisJob) ? analysisJob!.done : null;
  useEffect(() => {
    if (analysedSoFar !== null && analysedSoFar > 0) refreshAnalysis();
  }, [analysedSoFar, refreshAnalysis]);
  // Coverage changes when an import or an analysis ends.
  const ended = useRef(new Set<string>());
  useEffect(() => {
    for (const j of [importJob, analysisJob]) {
      if (!j || isActive(j) || ended.current.has(j.id)) continue;
      ended.current.add(j.id);
      refreshAnalysis();
    }
  }, [importJob, analysisJob, refreshAnalysis]);

  const key = inputKey(path, format, recursive);
  const preview = previewed && previewed.key === key ? previewed.summary : null;
  const pathProblem = importPathProblem(path);

  const runPreview = useCallback(async () => {
    if (pathProblem) return;
    setPreviewError(null);
    setPreviewing(true);
    try {
      const summary = await api['import.preview']({ path: path.trim(), format, recursive: format === 'folders' && recursive });
      setPreviewed({ key, summary });
    } catch (e) {
      setPreviewed(null);
      setPreviewError(message(e));
    } finally {
      setPreviewing(false);
    }
  }, [api, format, key, path, pathProblem, recursive]);

  const importRunning = starting === 'import' || isActive(importJob);
  const importBlocked =
    pathProblem ??
    (importRunning ? 'An import is running' : !preview ? 'Preview first' : preview.imported === 0 ? 'Nothing new to import' : null);

  const startImport = useCallback(async () => {
    if (importBlocked) return;
    setError(null);
    setStarting('import');
    try {
      const { jobId } = await api['import.start']({ path: path.trim(), format, recursive: format === 'folders' && recursive, ...(userId === undefined ? {} : { userId }) });
      setImportId(jobId);
      // What the preview said no longer holds once the import ran.
      setPreviewed(null);
    } catch (e) {
      setError(message(e));
    } finally {
      setStarting(null);
    }
  }, [api, format, importBlocked, path, recursive, userId]);

  const analysisBlocked =
    starting === 'analysis' || isActive(analysisJob)
      ? 'Analysis is running'
      : analysis && analysis.pending === 0
        ? 'Every image has an analysis'
        : !Number.isInteger(workers) || workers < 1
          ? 'Workers: a whole number from 1'
          : null;

  const startAnalysis = useCallback(async () => {
    if (analysisBlocked) return;
    setError(null);
    setStarting('analysis');
    try {
      const { jobId } = await api['analysis.start']({ workers });
      setAnalysisId(jobId);
    } catch (e) {
      setError(message(e));
    } finally {
      setStarting(null);
    }
  }, [analysisBlocked, api, workers]);

  const cancel = useCallback((jobId: string) => void api['jobs.cancel']({ jobId }).catch((e: unknown) => setError(message(e))), [api]);

  const inputKind = IMPORT_INPUT_KINDS[format];
  const browse = useCallback(async () => {
    if (!picker) return;
    const picked = await picker(inputKind === 'folder' ? 'folder' : 'file');
    if (picked) setPath(picked);
  }, [inputKind, picker]);

  return useMemo(
    () => ({
      path,
      setPath,
      format,
      setFormat,
      recursive,
      setRecursive,
      inputKind,
      canBrowse: picker !== null,
      browse,
      pathProblem,
      preview,
      previewing,
      previewError,
      runPreview,
      importBlocked,
      startImport,
      importJob,
      report,
      analysis,
      workers,
      setWorkers,
      analysisJob,
      analysisBlocked,
      startAnalysis,
      cancel,
      error,
    }),
    [analysis, analysisBlocked, analysisJob, browse, cancel, error, format, importBlocked, importJob, inputKind, path, pathProblem, picker, preview, previewError, previewing, recursive, report, runPreview, startAnalysis, startImport, workers],
  );
}
