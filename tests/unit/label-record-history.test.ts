/** @jest-environment jsdom */
/**
 * useRecordHistory shows the history of the record in the route: an answer that comes back while that record's
 * detail is still loading is kept (it was dropped, leaving "loading…"), and a late answer for a record left behind
 * is dropped.
 */
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ApiClient } from '../../contract/api';
import type { ApiEvent, ReviewDecisionEntry, Revision } from '../../contract/types';
import { useRecordHistory } from '../../renderer/src/label/useRecordHistory';
import { apiListeners as listeners } from '../support/fake-api-events';

jest.mock('../../renderer/src/api/ApiContext', () => jest.requireActual('../support/fake-api-events'));

function revision(id: number, recordId: string): Revision {
  return { id, recordId } as unknown as Revision;
}

function setup() {
  const pending = new Map<string, ((h: { revisions: Revision[] }) => void)[]>();
  const api: Pick<ApiClient, 'records.history'> = {
    'records.history': ({ id }) => new Promise((resolve) => pending.set(id, [...(pending.get(id) ?? []), resolve])),
  };
  const answer = (id: string, revisions: Revision[]) => act(async () => pending.get(id)?.shift()?.({ revisions }));
  const emit = (e: ApiEvent) => act(async () => listeners.forEach((l) => l(e)));
  return { api, answer, emit };
}

test('the answer for the record in the route is shown, and a late one for a record left behind is dropped', async () => {
  const { api, answer } = setup();
  const { result, rerender } = renderHook(({ id }) => useRecordHistory(api, id, 0), { initialProps: { id: 'a' as string | null } });
  expect(result.current).toBeNull();
  rerender({ id: 'b' });
  await answer('b', [revision(2, 'b')]);
  await waitFor(() => expect(result.current?.revisions).toEqual([revision(2, 'b')]));
  await answer('a', [revision(1, 'a')]);
  expect(result.current?.revisions).toEqual([revision(2, 'b')]);
});

test('a records.changed event for the record in the route reads its history again', async () => {
  const { api, answer, emit } = setup();
  const { result } = renderHook(() => useRecordHistory(api, 'a', 0));
  await answer('a', [revision(1, 'a')]);
  await emit({ type: 'records.changed', ids: ['a'] });
  await answer('a', [revision(2, 'a'), revision(1, 'a')]);
  await waitFor(() => expect(result.current?.revisions.map((r) => r.id)).toEqual([2, 1]));
});

test('the record\'s review decisions come with its revisions (none when the answer has no reviews)', async () => {
  const pending: ((h: { revisions: Revision[]; reviews?: ReviewDecisionEntry[] }) => void)[] = [];
  const api: Pick<ApiClient, 'records.history'> = { 'records.history': () => new Promise((resolve) => pending.push(resolve)) };
  const { result, rerender } = renderHook(({ token }) => useRecordHistory(api, 'a', token), { initialProps: { token: 0 } });
  const rejected: ReviewDecisionEntry = { id: 9, candidateId: 3, roundId: 1, user: 'lea', decision: 'rejected', reason: 'wrong emotion', createdAt: '2026-01-01T00:00:00Z' };
  await act(async () => pending.shift()?.({ revisions: [revision(1, 'a')], reviews: [rejected] }));
  await waitFor(() => expect(result.current?.reviews).toEqual([rejected]));
  rerender({ token: 1 });
  await act(async () => pending.shift()?.({ revisions: [revision(1, 'a')] }));
  await waitFor(() => expect(result.current?.reviews).toEqual([]));
});
