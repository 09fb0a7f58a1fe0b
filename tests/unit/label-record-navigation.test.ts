/** @jest-environment jsdom */
/** Which record the label view shows, moving through the queue, and prefetching what comes next; against a fake cache. */
import { act, renderHook, waitFor } from '@testing-library/react';
import type { RecordDetail } from '../../contract/types';
import { DEFAULT_QUEUE } from '../../renderer/src/queue/queueState';
import { LAST_RECORD_KEY, PREFETCH_AHEAD, useRecordNavigation, type RecordSource } from '../../renderer/src/label/useRecordNavigation';

const detailOf = (id: string) => ({ row: { id }, image: { key: `${id}.png` } }) as unknown as RecordDetail;

/** A queue of ids in order; `cached` ids (and whatever gets prefetched) are ready to peek. */
function fakeCache(ids: string[], cached: string[] = []) {
  const ready = new Set(cached);
  const gets: { id: string; fresh: boolean }[] = [];
  const prefetched: string[][] = [];
  const cache: RecordSource = {
    nextIds: async (_spec, afterId, count, backward = false) => {
      const i = afterId === null ? -1 : ids.indexOf(afterId);
      return backward ? ids.slice(Math.max(0, i - count), i).reverse() : ids.slice(i + 1, i + 1 + count);
    },
    peek: (id) => (ready.has(id) ? detailOf(id) : undefined),
    get: async (id, _userId, fresh = false) => {
      gets.push({ id, fresh });
      if (!ids.includes(id)) throw new Error(`no record ${id}`);
      return detailOf(id);
    },
    prefetch: (list) => {
      prefetched.push(list);
      for (const id of list) ready.add(id);
    },
  };
  return { cache, gets, prefetched };
}

function setup(ids: string[], recordId: string | null, cached: string[] = []) {
  const fake = fakeCache(ids, cached);
  const events: string[] = [];
  const open = jest.fn((id: string, replace?: boolean) => void events.push(`open ${id}${replace ? ' (replace)' : ''}`));
  const onLeave = jest.fn(() => void events.push('leave'));
  const onShow = jest.fn((d: RecordDetail) => void events.push(`show ${d.row.id}`));
  const notify = jest.fn();
  const hook = renderHook((props: { recordId: string | null }) => useRecordNavigation({ recordId: props.recordId, queue: DEFAULT_QUEUE, userId: 1, cache: fake.cache, open, onLeave, onShow, notify }), {
    initialProps: { recordId },
  });
  return { ...fake, events, open, onLeave, onShow, notify, hook };
}

beforeEach(() => localStorage.clear());

test('without a record in the route, the queue\'s first record is opened in place of the route', async () => {
  const { open } = setup(['r1', 'r2'], null);
  await waitFor(() => expect(open).toHaveBeenCalledWith('r1', true));
});

test('an empty queue says so', async () => {
  const { hook, open } = setup([], null);
  await waitFor(() => expect(hook.result.current.queueEmpty).toBe(true));
  expect(open).not.toHaveBeenCalled();
});

test('the record in the route is read fresh, shown and remembered; what follows it and the one before are prefetched', async () => {
  const { hook, gets, prefetched, onShow } = setup(['r1', 'r2', 'r3', 'r4', 'r5', 'r6'], 'r2');
  await waitFor(() => expect(hook.result.current.detail?.row.id).toBe('r2'));
  expect(gets).toEqual([{ id: 'r2', fresh: true }]);
  expect(onShow).toHaveBeenCalledTimes(1);
  expect(hook.result.current.shownId()).toBe('r2');
  expect(localStorage.getItem(LAST_RECORD_KEY)).toBe('r2');
  await waitFor(() => expect(prefetched).toHaveLength(2));
  expect(prefetched).toEqual(expect.arrayContaining([['r3', 'r4', 'r5'].slice(0, PREFETCH_AHEAD), ['r1']]));
});

test('a record that cannot be read shows the error', async () => {
  const { hook, onShow } = setup(['r1'], 'nope');
  await waitFor(() => expect(hook.result.current.loadError).toBe('no record nope'));
  expect(onShow).not.toHaveBeenCalled();
});

test('next shows a prefetched record at once, before the route changes, and the route change does not show it again', async () => {
  const { hook, events, open, onShow, gets } = setup(['r1', 'r2', 'r3'], 'r1');
  await waitFor(() => expect(hook.result.current.detail?.row.id).toBe('r1'));
  // Let the prefetch land.
  await act(async () => undefined);
  events.length = 0;
  let target: string | null = null;
  await act(async () => {
    target = await hook.result.current.goTo('r1', false);
  });
  expect(target).toBe('r2');
  // The pending draft is saved before the next record replaces the form.
  expect(events).toEqual(['leave', 'show r2', 'open r2']);
  expect(hook.result.current.detail?.row.id).toBe('r2');
  hook.rerender({ recordId: 'r2' });
  expect(onShow).toHaveBeenCalledTimes(2);
  expect(gets.map((g) => g.id)).toEqual(['r1']);
  expect(open).toHaveBeenCalledWith('r2');
});

test('previous goes back one; at either end of the queue the user is told', async () => {
  const { hook, open, notify } = setup(['r1', 'r2'], 'r2');
  await waitFor(() => expect(hook.result.current.detail?.row.id).toBe('r2'));
  await act(async () => void (await hook.result.current.goTo('r2', true)));
  expect(open).toHaveBeenLastCalledWith('r1');
  let target: string | null = 'unset';
  await act(async () => {
    target = await hook.result.current.goTo('r2', false);
  });
  expect(target).toBeNull();
  expect(notify).toHaveBeenLastCalledWith('No more records in this queue');
  await act(async () => void (await hook.result.current.goTo('r1', true)));
  expect(notify).toHaveBeenLastCalledWith('This is the first record of the queue');
});

test('reload reads the record on screen fresh, not from the prefetch cache, after saving the pending draft', async () => {
  const { hook, gets, onLeave, onShow } = setup(['r1', 'r2'], 'r1', ['r1']);
  await waitFor(() => expect(hook.result.current.detail?.row.id).toBe('r1'));
  expect(gets).toEqual([]); // it was cached
  const leaves = onLeave.mock.calls.length;
  act(() => hook.result.current.reload());
  await waitFor(() => expect(onShow).toHaveBeenCalledTimes(2));
  expect(gets).toEqual([{ id: 'r1', fresh: true }]);
  expect(onLeave.mock.calls.length).toBe(leaves + 1);
});
