/** @jest-environment jsdom */
/** The review dialogs: reject by a number key or a typed reason; Fix & Accept prefilled with the candidate, a number key re-picks the emotion, Enter saves. */
import { act, fireEvent, render } from '@testing-library/react';
import { createElement } from 'react';
import type { CandidateDetail } from '../../contract/types';
import { REJECT_REASONS } from '../../pipelines/facs/vocabulary';
import { defaultKeymap } from '../../renderer/src/keymap/keymap';
import { FixForm } from '../../renderer/src/review/FixForm';
import { RejectPrompt } from '../../renderer/src/review/RejectPrompt';
import type { FixLabel } from '../../renderer/src/review/useReviewActions';
import { press } from '../support/keyboard';

/** A key pressed on the rendered prompt, its effects flushed. */
function pressOn(key: string, target: EventTarget = document.body): void {
  act(() => void press(key, {}, target));
}

test('reject: a number key picks that reason of the short list', () => {
  const onReject = jest.fn();
  render(createElement(RejectPrompt, { onReject, onCancel: jest.fn() }));
  pressOn('2');
  expect(onReject).toHaveBeenCalledWith(REJECT_REASONS[1]);
});

test('reject: a typed reason goes with Enter; digits typed into it are text, not picks', () => {
  const onReject = jest.fn();
  const { getByTestId } = render(createElement(RejectPrompt, { onReject, onCancel: jest.fn() }));
  const input = getByTestId('reject-typed') as HTMLInputElement;
  input.focus();
  pressOn('3', input);
  expect(onReject).not.toHaveBeenCalled();
  act(() => void fireEvent.change(input, { target: { value: 'blurred photo 3' } }));
  pressOn('Enter', input);
  expect(onReject).toHaveBeenCalledWith('blurred photo 3');
});

const EMOTIONS = ['anger', 'happiness', 'sadness'];
const AUS = [
  { au: 'AU6', name: 'Cheek raiser' },
  { au: 'AU12', name: 'Lip corner puller' },
  { au: 'AU15', name: 'Lip corner depressor' },
];

test('fix & accept opens on the candidate, a number key changes the emotion, Enter saves the fixed label', () => {
  const onSave = jest.fn<void, [FixLabel]>();
  const detail = {
    id: 4,
    emotion: 'happiness',
    aus: ['AU6', 'AU12'],
    output: '<think>Cheeks raised (AU6) and lip corners pulled (AU12).</think><answer>happiness</answer>',
    auEstimates: {},
    target: null,
  } as unknown as CandidateDetail;
  const { getByTestId } = render(
    createElement(FixForm, { detail, emotions: EMOTIONS, aus: AUS, keymap: defaultKeymap(EMOTIONS, AUS), onSave, onCancel: jest.fn() }),
  );
  expect(getByTestId('fix-form').querySelector('[aria-checked="true"]')?.textContent).toContain('happiness');
  pressOn('3');
  expect(getByTestId('fix-form').querySelector('[aria-checked="true"]')?.textContent).toContain('sadness');
  pressOn('Enter');
  expect(onSave).toHaveBeenCalledWith({
    emotion: 'sadness',
    aus: [
      { au: 'AU6', intensity: null, side: null },
      { au: 'AU12', intensity: null, side: null },
    ],
    reasoning: detail.output,
  });
});
