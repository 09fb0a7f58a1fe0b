/** @jest-environment jsdom */
/** The conflict dialog's state: what it shows and what each way out asks the view to do. */
import { act, renderHook } from '@testing-library/react';
import type { SubmitConflict } from '../../contract/api';
import { EMPTY_FORM, type FormState } from '../../renderer/src/label/form';
import { CONFLICT_CHOICES, CONFLICT_KEYS, mergeAnswers, useSubmitConflict, type ConflictResolvers } from '../../renderer/src/label/useSubmitConflict';

const mine: FormState = { ...EMPTY_FORM, emotion: 'anger', aus: [{ au: 'AU4', intensity: 'C', side: null }, { au: 'AU23', intensity: null, side: null }], reasoning: 'my reasoning', parentPredictionId: 3 };
const details: SubmitConflict = {
  kind: 'submit_conflict',
  recordId: 'r1',
  baseRevisionId: 10,
  current: { id: 12, emotion: 'disgust', aus: [{ au: 'AU4', intensity: 'A', side: null }, { au: 'AU9', intensity: null, side: 'L' }], reasoning: 'their reasoning', author: 'bob', createdAt: '2026-12-01T10:00:00.000Z' },
};

function setup() {
  const resolvers: jest.Mocked<ConflictResolvers> = { resubmit: jest.fn(), showCurrent: jest.fn(), reopenWith: jest.fn() };
  const hook = renderHook(() => useSubmitConflict(resolvers));
  act(() => hook.result.current.raise(mine, details));
  return { hook, resolvers };
}

describe('useSubmitConflict', () => {
  test('a refused submit shows both answers: theirs from the details, mine as typed', () => {
    const { hook } = setup();
    expect(hook.result.current.conflict).toEqual({ recordId: 'r1', mine, theirs: details.current });
  });

  test('keep mine submits my answer again on their revision', () => {
    const { hook, resolvers } = setup();
    act(() => hook.result.current.resolve('keepMine'));
    expect(resolvers.resubmit).toHaveBeenCalledWith('r1', mine, 12);
    expect(resolvers.showCurrent).not.toHaveBeenCalled();
    expect(hook.result.current.conflict).toBeNull();
  });

  test('take theirs shows the record as it is, writing nothing', () => {
    const { hook, resolvers } = setup();
    act(() => hook.result.current.resolve('takeTheirs'));
    expect(resolvers.showCurrent).toHaveBeenCalledWith('r1');
    expect(resolvers.resubmit).not.toHaveBeenCalled();
    expect(hook.result.current.conflict).toBeNull();
  });

  test('merge reopens the form with every AU of both, my emotion, reasoning and marks, unsubmitted', () => {
    const { hook, resolvers } = setup();
    act(() => hook.result.current.resolve('merge'));
    expect(resolvers.reopenWith).toHaveBeenCalledWith('r1', {
      emotion: 'anger',
      aus: [
        { au: 'AU4', intensity: 'C', side: null },
        { au: 'AU9', intensity: null, side: 'L' },
        { au: 'AU23', intensity: null, side: null },
      ],
      reasoning: 'my reasoning',
      parentPredictionId: 3,
    });
    expect(resolvers.resubmit).not.toHaveBeenCalled();
    // With nothing current (undone meanwhile) there is nothing to merge in.
    expect(mergeAnswers(mine, null)).toBe(mine);
  });

  test('resolving twice does nothing more; each way out has its own key', () => {
    const { hook, resolvers } = setup();
    act(() => hook.result.current.resolve('keepMine'));
    act(() => hook.result.current.resolve('keepMine'));
    expect(resolvers.resubmit).toHaveBeenCalledTimes(1);
    expect(new Set(CONFLICT_CHOICES.map((c) => CONFLICT_KEYS[c])).size).toBe(CONFLICT_CHOICES.length);
  });
});
