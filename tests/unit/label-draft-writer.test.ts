/** @jest-environment jsdom */
/** The label view's write queue and draft autosave, against a fake typed client. */
import { act, renderHook } from '@testing-library/react';
import type { ApiClient } from '../../contract/api';
import { EMPTY_FORM, type FormState } from '../../renderer/src/label/form';
import { DRAFT_DEBOUNCE_MS, useDraftWriter, type DraftWriterOptions } from '../../renderer/src/label/useDraftWriter';

type SaveInput = Parameters<ApiClient['drafts.save']>[0];

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A drafts.save whose every call waits until the test settles it. */
function fakeDrafts() {
  const calls: { input: SaveInput; reply: ReturnType<typeof deferred<{ savedAt: string }>> }[] = [];
  const api: Pick<ApiClient, 'drafts.save'> = {
    'drafts.save': (input) => {
      const reply = deferred<{ savedAt: string }>();
      calls.push({ input, reply });
      return reply.promise;
    },
  };
  return { api, calls };
}

const form = (reasoning: string): FormState => ({ ...EMPTY_FORM, emotion: 'happiness', reasoning });

function setup(overrides: Partial<DraftWriterOptions> = {}) {
  const drafts = fakeDrafts();
  const onSaved = jest.fn();
  const onError = jest.fn();
  const hook = renderHook(() => useDraftWriter({ api: drafts.api, userId: 7, onSaved, onError, ...overrides }));
  act(() => hook.result.current.open('r1', false));
  return { ...drafts, onSaved, onError, hook };
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test('edits are saved once, after a pause, with the latest form', async () => {
  const { calls, onSaved, hook } = setup();
  act(() => hook.result.current.schedule('r1', form('a')));
  expect(hook.result.current.state).toBe('pending');
  act(() => jest.advanceTimersByTime(DRAFT_DEBOUNCE_MS - 1));
  act(() => hook.result.current.schedule('r1', form('ab')));
  act(() => jest.advanceTimersByTime(DRAFT_DEBOUNCE_MS - 1));
  expect(calls).toHaveLength(0);
  act(() => jest.advanceTimersByTime(1));
  expect(hook.result.current.state).toBe('saving');
  expect(calls.map((c) => c.input)).toEqual([{ recordId: 'r1', userId: 7, emotion: 'happiness', aus: [], reasoning: 'ab', parentPredictionId: null }]);
  await act(async () => calls[0].reply.resolve({ savedAt: 'now' }));
  expect(hook.result.current.state).toBe('saved');
  expect(onSaved).toHaveBeenCalledWith('r1');
});

test('flush saves the pending draft at once; cancel drops it unsaved', () => {
  const { calls, hook } = setup();
  act(() => hook.result.current.schedule('r1', form('x')));
  act(() => hook.result.current.flush());
  expect(calls).toHaveLength(1);
  act(() => hook.result.current.schedule('r1', form('y')));
  act(() => hook.result.current.cancel());
  act(() => jest.advanceTimersByTime(DRAFT_DEBOUNCE_MS * 2));
  act(() => hook.result.current.flush());
  expect(calls).toHaveLength(1);
});

test('writes go out one after another: the first at once, a later one after the earlier settles, even when it failed', async () => {
  const { hook } = setup();
  const order: string[] = [];
  const first = deferred<string>();
  const second = deferred<string>();
  let a!: Promise<string>;
  let b!: Promise<string>;
  let c!: Promise<string>;
  act(() => {
    a = hook.result.current.enqueue(() => (order.push('a'), first.promise));
    b = hook.result.current.enqueue(() => (order.push('b'), second.promise));
    c = hook.result.current.enqueue(() => (order.push('c'), Promise.resolve('c')));
  });
  expect(order).toEqual(['a']);
  await act(async () => first.reject(new Error('offline')));
  await expect(a).rejects.toThrow('offline');
  expect(order).toEqual(['a', 'b']);
  await act(async () => second.resolve('b'));
  await expect(b).resolves.toBe('b');
  await expect(c).resolves.toBe('c');
  expect(order).toEqual(['a', 'b', 'c']);
});

test('a draft save queued behind a submit waits for it', async () => {
  const { calls, hook } = setup();
  const submit = deferred<void>();
  act(() => {
    void hook.result.current.enqueue(() => submit.promise);
    hook.result.current.schedule('r1', form('late'));
    hook.result.current.flush();
  });
  expect(calls).toHaveLength(0);
  await act(async () => submit.resolve());
  expect(calls).toHaveLength(1);
});

test('a failed save says so on the record shown, and names the error', async () => {
  const { calls, onError, onSaved, hook } = setup();
  act(() => hook.result.current.schedule('r1', form('x')));
  act(() => hook.result.current.flush());
  await act(async () => calls[0].reply.reject(new Error('disk full')));
  expect(hook.result.current.state).toBe('error');
  expect(onError).toHaveBeenCalledWith('Draft not saved: disk full');
  expect(onSaved).not.toHaveBeenCalled();
});

test('a save that lands after another record opened leaves that record\'s state alone', async () => {
  const { calls, onSaved, hook } = setup();
  act(() => hook.result.current.schedule('r1', form('x')));
  act(() => hook.result.current.flush());
  act(() => hook.result.current.open('r2', true));
  expect(hook.result.current.state).toBe('saved');
  act(() => hook.result.current.open('r3', false));
  await act(async () => calls[0].reply.resolve({ savedAt: 'now' }));
  expect(onSaved).toHaveBeenCalledWith('r1');
  expect(hook.result.current.state).toBe('idle');
});

test('a newer edit pending when a save lands keeps the state at pending', async () => {
  const { calls, hook } = setup();
  act(() => hook.result.current.schedule('r1', form('x')));
  act(() => hook.result.current.flush());
  act(() => hook.result.current.schedule('r1', form('xy')));
  await act(async () => calls[0].reply.resolve({ savedAt: 'now' }));
  expect(hook.result.current.state).toBe('pending');
});

test('a pending draft is saved when the page is hidden, and on unmount', async () => {
  const { calls, hook } = setup();
  act(() => hook.result.current.schedule('r1', form('x')));
  act(() => void window.dispatchEvent(new Event('pagehide')));
  expect(calls.map((c) => c.input.reasoning)).toEqual(['x']);
  await act(async () => calls[0].reply.resolve({ savedAt: 'now' }));
  act(() => hook.result.current.schedule('r1', form('xy')));
  hook.unmount();
  expect(calls.map((c) => c.input.reasoning)).toEqual(['x', 'xy']);
});
