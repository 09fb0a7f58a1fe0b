/** @jest-environment jsdom */
/**
 * The review view's hooks against a fake typed client: the keys (on arrival, not while a dialog or a text field has
 * them), the queue (service order, selection after a decision, reload on rounds.changed), the evidence of the
 * selected candidate, and the actions (decide, undo, batch accept's count first, approval refused with the service's message).
 */
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ApiClient, Input } from '../../contract/api';
import type { ApiEvent, CandidateDetail, CandidateSummary } from '../../contract/types';
import { buildReviewKeyIndex, type ReviewCommand } from '../../renderer/src/review/commands';
import { useCandidate } from '../../renderer/src/review/useCandidate';
import { useReviewActions } from '../../renderer/src/review/useReviewActions';
import { useReviewKeys, type ReviewModal } from '../../renderer/src/review/useReviewKeys';
import { useReviewQueue } from '../../renderer/src/review/useReviewQueue';
import { apiListeners as listeners } from '../support/fake-api-events';
import { press } from '../support/keyboard';

jest.mock('../../renderer/src/api/ApiContext', () => jest.requireActual('../support/fake-api-events'));
const emit = (e: ApiEvent) => act(async () => listeners.forEach((l) => l(e)));

afterEach(() => (document.body.innerHTML = ''));

describe('useReviewKeys', () => {
  const index = buildReviewKeyIndex();
  function setup(modal: ReviewModal = null, hasCandidate = true) {
    const run = jest.fn<void, [ReviewCommand]>();
    const closeModal = jest.fn();
    renderHook(() => useReviewKeys({ index, modal, hasCandidate, closeModal, run }));
    return { run, closeModal };
  }

  test('keys work on arrival: A, F, R, U, Ctrl+Z, J/K and the arrows', () => {
    const { run } = setup();
    for (const k of ['a', 'f', 'r', 'u', 'j', 'k', 'ArrowDown', 'ArrowUp']) expect(press(k).defaultPrevented).toBe(true);
    press('z', { ctrlKey: true });
    expect(run.mock.calls.map(([c]) => c.type)).toEqual(['accept', 'fix', 'reject', 'undo', 'next', 'prev', 'next', 'prev', 'undo']);
  });

  test('held keys repeat only the moves', () => {
    const { run } = setup();
    press('a', { repeat: true });
    press('j', { repeat: true });
    expect(run.mock.calls.map(([c]) => c.type)).toEqual(['next']);
  });

  test('decisions need a candidate; undo and moves do not', () => {
    const { run } = setup(null, false);
    press('a');
    press('u');
    press('j');
    expect(run.mock.calls.map(([c]) => c.type)).toEqual(['undo', 'next']);
  });

  test('in a text field plain keys type, and Ctrl+Z is the field\'s own undo', () => {
    const { run } = setup();
    const input = document.body.appendChild(document.createElement('input'));
    expect(press('a', {}, input).defaultPrevented).toBe(false);
    expect(press('z', { ctrlKey: true }, input).defaultPrevented).toBe(false);
    expect(run).not.toHaveBeenCalled();
  });

  test('the fix form and the reject prompt own their keys; the help closes with Esc', () => {
    const fix = setup('fix');
    press('a');
    expect(fix.run).not.toHaveBeenCalled();
    const help = setup('help');
    press('Escape');
    expect(help.closeModal).toHaveBeenCalled();
    expect(help.run).not.toHaveBeenCalled();
  });
});

const cand = (id: number, agreement: number, decision: CandidateSummary['decision'] = 'pending'): CandidateSummary =>
  ({ id, roundId: 1, recordId: `r${id}`, agreement, decision }) as CandidateSummary;

describe('useReviewQueue', () => {
  test('rows in the service order with the first pending selected; filters go to the service; J/K move', async () => {
    const calls: Input<'review.queue'>[] = [];
    let rows = [cand(1, 0.2, 'accepted'), cand(2, 0.5), cand(3, 0.9)];
    const api: Pick<ApiClient, 'review.queue'> = {
      'review.queue': async (input) => {
        calls.push(input);
        return { total: rows.length, rows };
      },
    };
    const { result, rerender } = renderHook(({ filter }) => useReviewQueue(api, 1, filter), { initialProps: { filter: {} } });
    await waitFor(() => expect(result.current.rows.map((r) => r.id)).toEqual([1, 2, 3]));
    expect(result.current.selectedId).toBe(2);
    act(() => result.current.move(1));
    expect(result.current.selectedId).toBe(3);
    act(() => result.current.move(1));
    expect(result.current.selectedId).toBe(3);
    act(() => result.current.move(-2));
    expect(result.current.selectedId).toBe(1);

    rows = [cand(3, 0.9)];
    rerender({ filter: { minAgreement: 0.8, minFlags: 1 } as never });
    await waitFor(() => expect(result.current.rows.map((r) => r.id)).toEqual([3]));
    expect(calls[calls.length - 1]).toMatchObject({ roundId: 1, filter: { minAgreement: 0.8, minFlags: 1 } });
  });

  test('a decision updates its row and selects the next pending; rounds.changed reads the queue again, keeping the selection', async () => {
    let rows = [cand(1, 0.2), cand(2, 0.5), cand(3, 0.9)];
    const api: Pick<ApiClient, 'review.queue'> = { 'review.queue': async () => ({ total: rows.length, rows }) };
    const { result } = renderHook(() => useReviewQueue(api, 1, {}));
    await waitFor(() => expect(result.current.selectedId).toBe(1));
    act(() => result.current.decided(cand(1, 0.2, 'accepted')));
    expect(result.current.rows[0].decision).toBe('accepted');
    expect(result.current.selectedId).toBe(2);
    act(() => result.current.decided(cand(2, 0.5, 'rejected')));
    expect(result.current.selectedId).toBe(3);
    rows = [cand(1, 0.2, 'accepted'), cand(2, 0.5, 'rejected'), cand(3, 0.9, 'fixed')];
    await emit({ type: 'rounds.changed', roundId: 1 });
    await waitFor(() => expect(result.current.rows[2].decision).toBe('fixed'));
    expect(result.current.selectedId).toBe(3);
  });

  test('a long queue is read in pages', async () => {
    const all = Array.from({ length: 1200 }, (_, i) => cand(i + 1, i / 1200));
    const api: Pick<ApiClient, 'review.queue'> = {
      'review.queue': async ({ offset = 0, limit = 100 }) => ({ total: all.length, rows: all.slice(offset, offset + limit) }),
    };
    const { result } = renderHook(() => useReviewQueue(api, 1, {}));
    await waitFor(() => expect(result.current.rows).toHaveLength(1200));
    expect(result.current.total).toBe(1200);
  });
});

describe('useCandidate', () => {
  test('shows the detail of the candidate asked for, never a late neighbour\'s', async () => {
    const pending = new Map<number, (d: CandidateDetail) => void>();
    const api: Pick<ApiClient, 'review.candidate'> = { 'review.candidate': ({ candidateId }) => new Promise((resolve) => pending.set(candidateId, resolve)) };
    const { result, rerender } = renderHook(({ id }) => useCandidate(api, id), { initialProps: { id: 1 as number | null } });
    rerender({ id: 2 });
    await act(async () => pending.get(2)?.({ id: 2, roundId: 1 } as CandidateDetail));
    await act(async () => pending.get(1)?.({ id: 1, roundId: 1 } as CandidateDetail));
    expect(result.current?.id).toBe(2);
    rerender({ id: null });
    expect(result.current).toBeNull();
  });
});

describe('useReviewActions', () => {
  function setup(overrides: Partial<ApiClient> = {}) {
    const api = {
      'review.decide': jest.fn(async (input: Input<'review.decide'>) => ({
        candidate: cand(input.candidateId, 0.5, input.decision === 'accept' ? 'accepted' : input.decision === 'fix' ? 'fixed' : 'rejected'),
        decisionId: 1,
      })),
      'review.undo': jest.fn(async () => ({ candidateId: 7 })),
      'review.acceptPassing': jest.fn(async (input: Input<'review.acceptPassing'>) => ({ count: 4, accepted: input.dryRun ? 0 : 4 })),
      'review.approve': jest.fn(async () => ({ round: 1, accepted: 2, fixed: 1, rejected: 1, pending: 0, skipped: [], snapshotId: 5 })),
      'snapshots.list': jest.fn(async () => ({
        snapshots: [{ id: 5, name: 'round-1', records: 9, parent: null, split: null, part: null, lineage: { model: null, round: 1, reviewer: 'lea', createdAt: 'now' }, provenance: [] }],
      })),
      ...overrides,
    };
    const decided = jest.fn();
    const reopened = jest.fn();
    const reload = jest.fn();
    const notify = jest.fn();
    const hook = renderHook(() => useReviewActions({ api: api as never, userId: 3, roundId: 1, decided, reopened, reload, notify }));
    return { api, decided, reopened, reload, notify, hook };
  }

  test('accept, fix and reject send review.decide as the user; the decided summary goes back to the queue', async () => {
    const { api, decided, hook } = setup();
    await act(() => hook.result.current.accept(4));
    const fix = { emotion: 'sadness', aus: [{ au: 'AU15', intensity: null, side: null }], reasoning: 'r' };
    await act(async () => void (await hook.result.current.fix(5, fix)));
    await act(async () => void (await hook.result.current.reject(6, 'wrong emotion')));
    expect((api['review.decide'] as jest.Mock).mock.calls.map(([i]) => i as unknown)).toEqual([
      { candidateId: 4, decision: 'accept', userId: 3 },
      { candidateId: 5, decision: 'fix', fix, userId: 3 },
      { candidateId: 6, decision: 'reject', reason: 'wrong emotion', userId: 3 },
    ]);
    expect(decided.mock.calls.map(([c]) => [c.id, c.decision])).toEqual([
      [4, 'accepted'],
      [5, 'fixed'],
      [6, 'rejected'],
    ]);
  });

  test('undo selects the reopened candidate; with nothing to undo it says so', async () => {
    const { reopened, reload, hook } = setup();
    await act(() => hook.result.current.undo());
    expect(reopened).toHaveBeenCalledWith(7);
    expect(reload).toHaveBeenCalled();
    const none = setup({ 'review.undo': async () => ({ candidateId: null }) });
    await act(() => none.hook.result.current.undo());
    expect(none.notify).toHaveBeenCalledWith('Nothing to undo');
  });

  test('batch accept: the count is a dry run, then the run accepts', async () => {
    const { api, hook } = setup();
    let n: number | null = null;
    await act(async () => void (n = await hook.result.current.countPassing(0.8)));
    expect(n).toBe(4);
    expect(api['review.acceptPassing']).toHaveBeenLastCalledWith({ roundId: 1, userId: 3, minAgreement: 0.8, dryRun: true });
    await act(async () => void (n = await hook.result.current.acceptPassing(0.8)));
    expect(api['review.acceptPassing']).toHaveBeenLastCalledWith({ roundId: 1, userId: 3, minAgreement: 0.8, dryRun: false });
    expect(n).toBe(4);
  });

  test('approval shows the snapshot and its lineage; a refusal shows the service\'s message', async () => {
    const { hook } = setup();
    await act(() => hook.result.current.approve());
    expect(hook.result.current.approval).toMatchObject({ snapshotId: 5, fixed: 1, snapshot: { lineage: { round: 1, reviewer: 'lea' } } });
    const refused = setup({
      'review.approve': async () => {
        throw new Error('approving a round needs the lead role: ann is an annotator');
      },
    });
    await act(() => refused.hook.result.current.approve());
    expect(refused.hook.result.current.approveError).toBe('approving a round needs the lead role: ann is an annotator');
    expect(refused.hook.result.current.approval).toBeNull();
  });

  test('a failed decision is shown as an error and selects nothing', async () => {
    const { decided, notify, hook } = setup({
      'review.decide': async () => {
        throw new Error('round 1 is approved: its decisions are final (snapshot 5)');
      },
    });
    await act(() => hook.result.current.accept(4));
    expect(decided).not.toHaveBeenCalled();
    expect(notify).toHaveBeenCalledWith('round 1 is approved: its decisions are final (snapshot 5)', 'error');
  });
});
