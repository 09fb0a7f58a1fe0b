/** @jest-environment jsdom */
/**
 * The export view's state against a fake typed client: the preview follows the selection, Export is blocked until a
 * format and an absolute folder are named, a started export follows its job's progress events (even ones that arrive
 * before export.start's reply) and fetches the datasheet once done, several formats go to subfolders, and a refusal
 * (a folder holding an export without "replace") is shown.
 */
import { act, renderHook, waitFor } from '@testing-library/react';
import type { Input, Output } from '../../contract/api';
import type { ApiEvent, ExportDatasheet, Job } from '../../contract/types';
import { outDirFor, outDirProblem, useExport, type ExportApi } from '../../renderer/src/export/useExport';
import { apiListeners as listeners } from '../support/fake-api-events';

jest.mock('../../renderer/src/api/ApiContext', () => jest.requireActual('../support/fake-api-events'));
const emit = (e: ApiEvent) => act(async () => listeners.forEach((l) => l(e)));

const sheet = (records: number): ExportDatasheet => ({
  format: 'easyr1',
  createdAt: '2026-01-01T00:00:00Z',
  records,
  parts: { train: { n: records, byEmotion: { happiness: records } } },
  byEmotion: { happiness: records },
  byAU: { AU12: records },
  provenance: [],
  annotators: [],
  split: null,
  snapshot: null,
  vocabulary: { emotions: ['happiness'], aus: ['AU12'] },
  auInventory: ['AU12'],
});
const job = (id: string, status: Job['status'], done: number, total = 10): Job => ({ id, kind: 'export', status, done, total, message: `${done} of ${total}`, startedAt: '2026-01-01T00:00:00Z' });

function fakeApi(opts: { refuse?: string; beforeReply?: (jobId: string) => Promise<void>; afterReply?: (jobId: string) => void } = {}) {
  let n = 0;
  const calls = { preview: [] as Input<'export.preview'>[], start: [] as Input<'export.start'>[], datasheet: [] as string[], cancel: [] as string[] };
  const api: ExportApi = {
    'snapshots.list': async () => ({ snapshots: [] }),
    'splits.list': async () => ({ splits: [] }),
    'export.preview': async (i) => {
      calls.preview.push(i);
      return { datasheet: sheet(i.split ? 4 : 6), leakage: null, images: {} } satisfies Output<'export.preview'>;
    },
    'export.start': async (i) => {
      calls.start.push(i);
      if (opts.refuse) throw new Error(opts.refuse);
      const jobId = `job-${++n}`;
      await opts.beforeReply?.(jobId);
      // Two ticks: after start() has taken the reply and queued its run, before React renders it.
      if (opts.afterReply) queueMicrotask(() => queueMicrotask(() => opts.afterReply!(jobId)));
      return { jobId };
    },
    'export.datasheet': async ({ outDir }) => {
      calls.datasheet.push(outDir);
      return { datasheet: sheet(6), markdown: '# Datasheet' };
    },
    'jobs.cancel': async ({ jobId }) => {
      calls.cancel.push(jobId);
      return { cancelled: true };
    },
  };
  return { api, calls };
}

test('the output folder must be absolute; several formats go to subfolders', () => {
  expect(outDirProblem('')).toMatch(/Name an output folder/);
  expect(outDirProblem('out/x')).toMatch(/absolute/);
  expect(outDirProblem('/tmp/x')).toBeNull();
  expect(outDirProblem('C:\\exports')).toBeNull();
  expect(outDirFor('/tmp/x/', 'easyr1', 1)).toBe('/tmp/x');
  expect(outDirFor('/tmp/x', 'trl', 2)).toBe('/tmp/x/trl');
});

test('the preview follows the snapshot and split', async () => {
  const { api, calls } = fakeApi();
  const { result } = renderHook(() => useExport(api));
  await waitFor(() => expect(result.current.preview?.datasheet.records).toBe(6));
  expect(calls.preview.at(-1)).toEqual({ split: null, snapshot: null });
  act(() => result.current.setSplit('main'));
  await waitFor(() => expect(result.current.preview?.datasheet.records).toBe(4));
  act(() => result.current.setSnapshot(3));
  await waitFor(() => expect(calls.preview.at(-1)).toEqual({ split: 'main', snapshot: 3 }));
});

test('Export is blocked without a format or an absolute folder', async () => {
  const { api, calls } = fakeApi();
  const { result } = renderHook(() => useExport(api));
  expect(result.current.formats).toEqual(['easyr1']);
  expect(result.current.blocked).toMatch(/output folder/);
  act(() => result.current.setOutDir('relative/dir'));
  expect(result.current.blocked).toMatch(/absolute/);
  act(() => result.current.toggleFormat('easyr1'));
  act(() => result.current.setOutDir('/tmp/out'));
  expect(result.current.blocked).toBe('Choose a format');
  await act(() => result.current.start());
  expect(calls.start).toHaveLength(0);
});

test('a started export follows its job to done, then shows the datasheet; cancel goes to jobs.cancel', async () => {
  const { api, calls } = fakeApi();
  const { result } = renderHook(() => useExport(api, 7));
  act(() => {
    result.current.setOutDir('/tmp/out');
    result.current.setSplit('main');
    result.current.setReplace(true);
  });
  await act(() => result.current.start());
  expect(calls.start).toEqual([{ format: 'easyr1', outDir: '/tmp/out', split: 'main', snapshot: null, force: true, userId: 7 }]);
  expect(result.current.runs.map((r) => r.jobId)).toEqual(['job-1']);
  expect(result.current.busy).toBe(true);
  expect(result.current.blocked).toMatch(/running/);
  await emit({ type: 'job.progress', job: job('job-1', 'running', 3) });
  expect(result.current.runs[0].job?.done).toBe(3);
  act(() => result.current.cancel('job-1'));
  await waitFor(() => expect(calls.cancel).toEqual(['job-1']));
  await emit({ type: 'job.progress', job: job('other', 'done', 10) });
  await emit({ type: 'job.progress', job: job('job-1', 'done', 10) });
  await waitFor(() => expect(result.current.runs[0].datasheet?.markdown).toBe('# Datasheet'));
  expect(calls.datasheet).toEqual(['/tmp/out']);
  expect(result.current.busy).toBe(false);
});

test('a job that finishes before export.start replies still gets its datasheet; several formats, one job each', async () => {
  const { api, calls } = fakeApi({ beforeReply: (jobId) => emit({ type: 'job.progress', job: job(jobId, 'done', 10) }) });
  const { result } = renderHook(() => useExport(api));
  act(() => {
    result.current.setOutDir('/tmp/out');
    result.current.toggleFormat('trl');
  });
  await act(() => result.current.start());
  expect(calls.start.map((c) => [c.format, c.outDir])).toEqual([
    ['easyr1', '/tmp/out/easyr1'],
    ['trl', '/tmp/out/trl'],
  ]);
  await waitFor(() => expect(result.current.runs.every((r) => r.datasheet !== null)).toBe(true));
  expect(calls.datasheet.sort()).toEqual(['/tmp/out/easyr1', '/tmp/out/trl']);
});

test('a done event that lands after the reply but before the next render is not lost (the CI race)', async () => {
  // Delivered outside act, in the same task as the reply: the view has not rendered the new run yet.
  const { api, calls } = fakeApi({ afterReply: (jobId) => listeners.forEach((l) => l({ type: 'job.progress', job: job(jobId, 'done', 10) })) });
  const { result } = renderHook(() => useExport(api));
  act(() => result.current.setOutDir('/tmp/out'));
  await act(() => result.current.start());
  await waitFor(() => expect(result.current.runs[0]?.job?.status).toBe('done'));
  await waitFor(() => expect(result.current.runs[0]?.datasheet).not.toBeNull());
  expect(calls.datasheet).toEqual(['/tmp/out']);
  expect(result.current.busy).toBe(false);
});

test('a refused export (the folder holds one, replace not ticked) shows the service\'s message', async () => {
  const { api } = fakeApi({ refuse: '/tmp/out already holds an export (manifest.json): tick "replace" to overwrite it' });
  const { result } = renderHook(() => useExport(api));
  act(() => result.current.setOutDir('/tmp/out'));
  await act(() => result.current.start());
  expect(result.current.error).toMatch(/tick "replace"/);
  expect(result.current.runs).toEqual([]);
  expect(result.current.busy).toBe(false);
});
