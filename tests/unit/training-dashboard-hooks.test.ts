/** @jest-environment jsdom */
/**
 * The training form and the dashboard against a fake typed client: the form asks training.check for the chosen split
 * and refuses one that cannot train with the service's reason before submitting, shows the seed a run will use and
 * the one it used; the dashboard's data reloads on record changes and job ends, not on every training step.
 */
import { createElement } from 'react';
import { act, fireEvent, render, renderHook, screen, waitFor } from '@testing-library/react';
import type { ApiClient, Input } from '../../contract/api';
import { DEFAULT_RUN_SEED } from '../../contract/training-choices';
import type { ApiEvent, Job, SplitSummary, TrainingCheck, WorkspaceStats } from '../../contract/types';
import { useTrainingCheck } from '../../renderer/src/training/useTrainingCheck';
import { StartRunForm } from '../../renderer/src/training/StartRunForm';
import { changesDashboard, useDashboardData } from '../../renderer/src/dashboard/useDashboardData';
import { apiListeners as listeners } from '../support/fake-api-events';

let fakeApi: unknown = null;
jest.mock('../../renderer/src/api/ApiContext', () => ({ ...jest.requireActual('../support/fake-api-events'), useApi: () => fakeApi }));
const emit = (e: ApiEvent) => act(async () => listeners.forEach((l) => l(e)));
afterEach(() => {
  listeners.clear();
  document.body.innerHTML = '';
});

const job = (kind: Job['kind'], status: Job['status']): Job => ({ id: 'j1', kind, status, done: 1, total: 2, message: '', startedAt: '2026-01-01T00:00:00Z' });
const split = (name: string, parts: string[]): SplitSummary => ({
  name,
  parts: Object.fromEntries(parts.map((p) => [p, { n: 3, byEmotion: {} }])),
  maxStratDeviation: 0,
  sharedSubjects: 0,
  seed: 1,
  createdAt: '2026-01-01',
});

/** The service's answer for each split: heldout has no train part. */
function checkOf(input: Input<'training.check'>): TrainingCheck {
  const seed = input.seed ?? DEFAULT_RUN_SEED;
  if (input.split === 'heldout')
    return { ok: false, reason: 'split "heldout" has no trainable records in part "train": …', stage: input.stage, split: input.split, part: 'train', labeled: 0, withReasoning: 0, seed, from: null };
  return { ok: true, reason: null, stage: input.stage, split: input.split, part: 'train', labeled: 12, withReasoning: 10, seed, from: null };
}

function trainingApi() {
  const check = jest.fn(async (input: Input<'training.check'>) => checkOf(input));
  const start = jest.fn(async (input: Input<'training.start'>) => ({ jobId: 'j', runId: 4, queued: false, seed: input.seed ?? DEFAULT_RUN_SEED }));
  return { check, start, api: { 'training.check': check, 'training.start': start } as unknown as ApiClient };
}

describe('useTrainingCheck', () => {
  test('answers the check of the current input only; asks again when labels change or a job ends', async () => {
    const { api, check } = trainingApi();
    const { result, rerender } = renderHook(({ input }: { input: Input<'training.check'> | null }) => useTrainingCheck(api, input), {
      initialProps: { input: { stage: 'sft', split: 'heldout' } as Input<'training.check'> | null },
    });
    await waitFor(() => expect(result.current.check?.ok).toBe(false));
    expect(result.current.check?.reason).toMatch(/no trainable records/);
    rerender({ input: { stage: 'sft', split: 'main', seed: 5 } });
    // the old answer is never shown for the new choice
    expect(result.current.check).toBeNull();
    await waitFor(() => expect(result.current.check).toMatchObject({ ok: true, split: 'main', seed: 5 }));
    const asked = check.mock.calls.length;
    await emit({ type: 'records.changed', ids: ['r1'] });
    await waitFor(() => expect(check.mock.calls.length).toBe(asked + 1));
    await emit({ type: 'job.progress', job: job('train', 'running') });
    await emit({ type: 'job.progress', job: job('train', 'done') });
    await waitFor(() => expect(check.mock.calls.length).toBe(asked + 2));
    rerender({ input: null });
    expect(result.current.check).toBeNull();
  });
});

describe('StartRunForm', () => {
  test('a split that cannot train is refused in the form with the reason; a trainable one starts and says its seed', async () => {
    const { api, start } = trainingApi();
    fakeApi = api;
    const onStarted = jest.fn();
    render(createElement(StartRunForm, { splits: [split('heldout', ['val', 'test']), split('main', ['train', 'test'])], models: [], onStarted }));
    const submit = screen.getByTestId('start-submit') as HTMLButtonElement;
    await waitFor(() => expect(screen.getByTestId('start-refusal').textContent).toMatch(/split "heldout" has no trainable records in part "train"/));
    expect(submit.disabled).toBe(true);
    expect((screen.getByTestId('start-seed') as HTMLInputElement).placeholder).toBe(String(DEFAULT_RUN_SEED));

    fireEvent.change(screen.getByTestId('start-split'), { target: { value: 'main' } });
    await waitFor(() => expect(screen.getByTestId('start-check').textContent).toBe(`12 labeled records in train, 10 with a reasoning · seed ${DEFAULT_RUN_SEED}`));
    expect(screen.queryByTestId('start-refusal')).toBeNull();
    expect(submit.disabled).toBe(false);
    fireEvent.click(submit);
    await waitFor(() => expect(screen.getByTestId('start-notice').textContent).toBe(`Run #4 started with seed ${DEFAULT_RUN_SEED}`));
    expect(start).toHaveBeenCalledWith({ stage: 'sft', split: 'main' });
    expect(onStarted).toHaveBeenCalledWith(4);
  });
});

describe('useDashboardData', () => {
  test('which events refresh the dashboard: record changes, import and analysis progress, job ends', () => {
    expect(changesDashboard({ type: 'records.changed', ids: ['r1'] })).toBe(true);
    expect(changesDashboard({ type: 'job.progress', job: job('analyze', 'running') })).toBe(true);
    expect(changesDashboard({ type: 'job.progress', job: job('import', 'running') })).toBe(true);
    expect(changesDashboard({ type: 'job.progress', job: job('train', 'running') })).toBe(false);
    expect(changesDashboard({ type: 'job.progress', job: job('train', 'done') })).toBe(true);
    expect(changesDashboard({ type: 'run.metrics', runId: 1, point: { step: 1, values: { loss: 1 } } })).toBe(false);
  });

  test('reloads on a change, once for a burst, with the last change of the burst shown', async () => {
    jest.useFakeTimers();
    try {
      let skipped = 0;
      const stats = jest.fn(async () => ({ records: 1, skipped: { records: skipped, reasons: [] } }) as unknown as WorkspaceStats);
      const api = { 'stats.get': stats, 'splits.list': async () => ({ splits: [] }), 'workspace.info': async () => null } as unknown as ApiClient;
      const { result } = renderHook(() => useDashboardData(api));
      await act(async () => {
        await jest.advanceTimersByTimeAsync(10);
      });
      expect(result.current.data?.stats.skipped.records).toBe(0);
      await act(async () => {
        await jest.advanceTimersByTimeAsync(5000);
      });
      skipped = 1;
      await emit({ type: 'records.changed', ids: ['r1'] });
      await act(async () => {
        await jest.advanceTimersByTimeAsync(10);
      });
      expect(result.current.data?.stats.skipped.records).toBe(1);
      const calls = stats.mock.calls.length;
      skipped = 3;
      for (let i = 0; i < 5; i++) await emit({ type: 'records.changed', ids: [`r${i}`] });
      await act(async () => {
        await jest.advanceTimersByTimeAsync(2500);
      });
      expect(stats.mock.calls.length).toBe(calls + 1);
      expect(result.current.data?.stats.skipped.records).toBe(3);
    } finally {
      jest.useRealTimers();
    }
  });
});
