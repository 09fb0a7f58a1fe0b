/** @jest-environment jsdom */
/** The label view's submit: the base it sends, its idempotency key across a lost reply, a conflict handed on. */
import { act, renderHook } from '@testing-library/react';
import type { ApiClient } from '../../contract/api';
import type { RecordDetail } from '../../contract/types';
import { ApiCallError } from '../../renderer/src/api/client';
import { EMPTY_FORM, type FormState } from '../../renderer/src/label/form';
import { useLabelActions } from '../../renderer/src/label/useLabelActions';

type SubmitInput = Parameters<ApiClient['annotations.submit']>[0];
type Options = Parameters<typeof useLabelActions>[0];

const answer: FormState = { ...EMPTY_FORM, emotion: 'anger', aus: [{ au: 'AU4', intensity: null, side: null }], reasoning: '<think>(AU4)</think><answer>anger</answer>' };

function setup(replies: (() => Promise<{ revisionId: number; decisionId: number }>)[]) {
  const sent: SubmitInput[] = [];
  const api = { 'annotations.submit': (input: SubmitInput) => (sent.push(input), replies.shift()!()) } as unknown as ApiClient;
  const detail = { row: { id: 'r1' }, current: { id: 5 } } as unknown as RecordDetail;
  const options = {
    api,
    cache: { forget: jest.fn(), invalidate: jest.fn() },
    userId: 7,
    detail,
    writer: { enqueue: <T,>(w: () => Promise<T>) => w(), flush: jest.fn(), cancel: jest.fn() },
    nav: { shownId: () => 'r2', reload: jest.fn(), goTo: jest.fn(async () => 'r2') },
    form: { current: () => answer, edit: jest.fn(), keepForReopen: jest.fn(), shownForMs: () => 1000 },
    open: jest.fn(),
    decided: jest.fn(),
    confirmSubmit: jest.fn(),
    closeModal: jest.fn(),
    conflicted: jest.fn(),
    toast: jest.fn(),
  } as unknown as Options;
  const hook = renderHook(() => useLabelActions(options));
  const submit = async () => {
    await act(async () => {
      hook.result.current.submit(true);
      await new Promise((r) => setTimeout(r, 0));
    });
  };
  return { sent, options, submit };
}

test('a submit whose reply was lost is sent again with the same key and base; a new attempt gets a new key', async () => {
  const ok = async () => ({ revisionId: 9, decisionId: 3 });
  const { sent, options, submit } = setup([() => Promise.reject(new TypeError('Failed to fetch')), ok, ok]);
  await submit();
  expect(options.open).toHaveBeenCalledWith('r1');
  await submit();
  expect(sent[0].baseRevisionId).toBe(5);
  expect(sent[0].idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
  expect(sent[1].idempotencyKey).toBe(sent[0].idempotencyKey);
  await submit();
  expect(sent[2].idempotencyKey).not.toBe(sent[0].idempotencyKey);
});

test('a conflict is handed to the dialog with the answer as typed, not toasted, and ends the attempt', async () => {
  const details = { kind: 'submit_conflict' as const, recordId: 'r1', baseRevisionId: 5, current: null };
  const { sent, options, submit } = setup([() => Promise.reject(new ApiCallError('conflict', 'changed', details)), async () => ({ revisionId: 9, decisionId: 3 })]);
  await submit();
  expect(options.conflicted).toHaveBeenCalledWith(answer, details);
  expect(options.toast).not.toHaveBeenCalled();
  await submit();
  expect(sent[1].idempotencyKey).not.toBe(sent[0].idempotencyKey);
});
