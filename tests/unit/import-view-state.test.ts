/** @jest-environment jsdom */
/**
 * The import view's state against a fake typed client: a path must be absolute before a preview; Import waits for a
 * preview of the current input (a changed input drops it); a started import follows its job by id, also when the
 * job ends before import.start replies, and shows the job's final report; face analysis starts with its worker
 * count, shows faces found so far and cancels through jobs.cancel; after a reload the running jobs are picked up
 * from jobs.list; Browse… asks the picker for a file or a folder as the format reads.
 */
import { act, renderHook, waitFor } from '@testing-library/react';
import type { Input } from '../../contract/api';
import type { AnalysisStatus, ApiEvent, ImportSummary, Job } from '../../contract/types';
import { importPathProblem, runningJob, useImport, type ImportApi } from '../../renderer/src/import/useImport';
import { apiListeners as listeners } from '../support/fake-api-events';

jest.mock('../../renderer/src/api/ApiContext', () => jest.requireActual('../support/fake-api-events'));
const emit = (e: ApiEvent) => act(async () => listeners.forEach((l) => l(e)));
const progress = (job: Job) => emit({ type: 'job.progress', job });

const summary = (over: Partial<ImportSummary> = {}): ImportSummary => ({
  dryRun: true,
  format: 'facial-r1',
  input: '/data/faces.jsonl',
  imported: 4,
  duplicates: 0,
  skipped: 0,
  skippedBy: {},
  labeled: 2,
  weak: 2,
  unlabeled: 0,
  byEmotion: { happiness: 2, sadness: 2 },
  images: { new: 4, reused: 0 },
  normalised: 0,
  vocabularyAdded: [],
  nestedFolders: [],
  conflicts: 0,
  split: null,
  errorCount: 1,
  errors: [{ file: 'faces.jsonl', line: 3, field: 'labels', reason: 'label "bogus" is outside the vocabulary' }],
  cancelled: false,
  ...over,
});
const job = (id: string, kind: Job['kind'], status: Job['status'], done: number, over: Partial<Job> = {}): Job => ({
  id,
  kind,
  status,
  done,
  total: 10,
  message: `${done} of 10`,
  startedAt: '2026-01-01T00:00:00Z',
  ...over,
});

function fakeApi(opts: { running?: Job[]; beforeReply?: (jobId: string) => Promise<void>; refusePreview?: string } = {}) {
  let n = 0;
  let status: AnalysisStatus = { images: 10, analysed: 6, pending: 4, failed: 0, facesFound: 5 };
  const calls = { preview: [] as Input<'import.preview'>[], start: [] as Input<'import.start'>[], analysis: [] as Input<'analysis.start'>[], cancel: [] as string[], status: 0 };
  const api: ImportApi = {
    'import.preview': async (i) => {
      calls.preview.push(i);
      if (opts.refusePreview) throw new Error(opts.refusePreview);
      return summary({ input: i.path });
    },
    'import.start': async (i) => {
      calls.start.push(i);
      const jobId = `import-${++n}`;
      await opts.beforeReply?.(jobId);
      return { jobId };
    },
    'analysis.start': async (i) => {
      calls.analysis.push(i);
      return { jobId: `analyze-${++n}` };
    },
    'analysis.status': async () => {
      calls.status++;
      return status;
    },
    'jobs.list': async () => ({ jobs: opts.running ?? [] }),
    'jobs.cancel': async ({ jobId }) => {
      calls.cancel.push(jobId);
      return { cancelled: true };
    },
  };
  return { api, calls, setStatus: (s: AnalysisStatus) => (status = s) };
}

/** Renders the hook and lets its first reads (coverage, jobs.list) land. */
async function mount(api: ImportApi, options?: Parameters<typeof useImport>[1]) {
  const { result } = renderHook(() => useImport(api, options));
  await act(async () => undefined);
  await waitFor(() => expect(result.current.analysis).not.toBeNull());
  return result;
}

test('a path must be absolute; the newest running job of a kind is found', () => {
  expect(importPathProblem('')).toMatch(/Name a file or folder/);
  expect(importPathProblem('data/faces.jsonl')).toMatch(/absolute/);
  expect(importPathProblem(' /data/faces.jsonl ')).toBeNull();
  expect(importPathProblem('C:\\data\\faces.jsonl')).toBeNull();
  const jobs = [job('a', 'import', 'running', 1), job('b', 'import', 'running', 1, { startedAt: '2026-01-02T00:00:00Z' }), job('c', 'import', 'done', 10, { startedAt: '2026-01-03T00:00:00Z' })];
  expect(runningJob(jobs, 'import')?.id).toBe('b');
  expect(runningJob(jobs, 'analyze')).toBeNull();
});

test('Import waits for a preview of the current input; a changed input drops the preview; a refusal is shown', async () => {
  const { api, calls } = fakeApi();
  const result = await mount(api);
  expect(result.current.importBlocked).toMatch(/Name a file/);
  act(() => result.current.setPath('/data/faces.jsonl'));
  expect(result.current.importBlocked).toBe('Preview first');
  await act(() => result.current.runPreview());
  expect(calls.preview).toEqual([{ path: '/data/faces.jsonl', format: 'facial-r1', recursive: false }]);
  expect(result.current.preview?.errors[0]).toMatchObject({ file: 'faces.jsonl', line: 3, field: 'labels' });
  expect(result.current.importBlocked).toBeNull();

  act(() => result.current.setFormat('folders'));
  expect(result.current.preview).toBeNull();
  act(() => result.current.setFormat('facial-r1'));
  expect(result.current.preview).not.toBeNull(); // the same input as previewed
  act(() => result.current.setPath('/data/tree'));
  act(() => {
    result.current.setFormat('folders');
    result.current.setRecursive(true);
  });
  await act(() => result.current.runPreview());
  expect(calls.preview.at(-1)).toEqual({ path: '/data/tree', format: 'folders', recursive: true });

  const refused = fakeApi({ refusePreview: '/data/x.jsonl does not exist' });
  const r2 = await mount(refused.api);
  act(() => r2.current.setPath('/data/x.jsonl'));
  await act(() => r2.current.runPreview());
  expect(r2.current.previewError).toMatch(/does not exist/);
  expect(r2.current.importBlocked).toBe('Preview first');
});

test('an import that ends before import.start replies still shows its report; coverage is read again after it', async () => {
  const done = (jobId: string) => progress(job(jobId, 'import', 'done', 10, { result: { kind: 'import', report: summary({ dryRun: false }) } }));
  const { api, calls, setStatus } = fakeApi({ beforeReply: done });
  const result = await mount(api, { userId: 7 });
  await waitFor(() => expect(result.current.analysis?.pending).toBe(4));
  act(() => result.current.setPath('/data/faces.jsonl'));
  await act(() => result.current.runPreview());
  setStatus({ images: 14, analysed: 6, pending: 8, failed: 0, facesFound: 5 });
  await act(() => result.current.startImport());
  expect(calls.start).toEqual([{ path: '/data/faces.jsonl', format: 'facial-r1', recursive: false, userId: 7 }]);
  expect(result.current.importJob?.status).toBe('done');
  expect(result.current.report).toMatchObject({ dryRun: false, imported: 4, errorCount: 1 });
  expect(result.current.preview).toBeNull(); // what it said no longer holds
  await waitFor(() => expect(result.current.analysis?.pending).toBe(8));
});

test('import progress follows its own job only; analysis starts with its workers, shows faces found, cancels', async () => {
  const { api, calls } = fakeApi();
  const result = await mount(api);
  act(() => result.current.setPath('/data/faces.jsonl'));
  await act(() => result.current.runPreview());
  await act(() => result.current.startImport());
  await progress(job('import-1', 'import', 'running', 3));
  await progress(job('someone-else', 'import', 'running', 9));
  expect(result.current.importJob).toMatchObject({ id: 'import-1', done: 3 });
  expect(result.current.importBlocked).toMatch(/running/);

  act(() => result.current.setWorkers(2));
  await act(() => result.current.startAnalysis());
  expect(calls.analysis).toEqual([{ workers: 2 }]);
  await progress(job('analyze-2', 'analyze', 'running', 2, { counters: { analysed: 2, facesFound: 1, skipped: 0, failed: 0 } }));
  expect(result.current.analysisJob?.counters?.facesFound).toBe(1);
  expect(result.current.analysisBlocked).toMatch(/running/);
  act(() => result.current.cancel('analyze-2'));
  await waitFor(() => expect(calls.cancel).toEqual(['analyze-2']));
  await progress(job('analyze-2', 'analyze', 'stopped', 4));
  expect(result.current.analysisBlocked).toBeNull();
});

test('after a reload, the running import and analysis are picked up from jobs.list and their progress continues', async () => {
  const running = [job('imp-9', 'import', 'running', 2), job('ana-9', 'analyze', 'running', 5), job('train-1', 'train', 'running', 1)];
  const { api } = fakeApi({ running });
  const result = await mount(api);
  await waitFor(() => expect(result.current.analysisJob?.id).toBe('ana-9'));
  expect(result.current.importJob?.id).toBe('imp-9');
  await progress(job('ana-9', 'analyze', 'running', 6));
  expect(result.current.analysisJob?.done).toBe(6);
});

test('Browse… asks for a folder for folder trees and a file otherwise; cancelling keeps the path', async () => {
  const picker = jest.fn(async (kind: 'file' | 'folder') => (kind === 'folder' ? '/picked/tree' : null));
  const { api } = fakeApi();
  const result = await mount(api, { picker });
  expect(result.current.canBrowse).toBe(true);
  act(() => result.current.setPath('/typed.jsonl'));
  await act(() => result.current.browse());
  expect(picker).toHaveBeenLastCalledWith('file');
  expect(result.current.path).toBe('/typed.jsonl');
  act(() => result.current.setFormat('folders'));
  await act(() => result.current.browse());
  expect(picker).toHaveBeenLastCalledWith('folder');
  expect(result.current.path).toBe('/picked/tree');
  expect((await mount(api)).current.canBrowse).toBe(false);
});
