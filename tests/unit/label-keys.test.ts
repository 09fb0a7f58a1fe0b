/** @jest-environment jsdom */
/** The label view's key rules: plain keys are text in the editor, held keys repeat only some commands, dialogs own their keys. */
import { renderHook } from '@testing-library/react';
import { defaultKeymap } from '../../renderer/src/keymap/keymap';
import { buildKeyIndex, type LabelCommand } from '../../renderer/src/label/commands';
import { useLabelKeys, type LabelModal } from '../../renderer/src/label/useLabelKeys';
import { press } from '../support/keyboard';

const EMOTIONS = ['anger', 'happiness'];
const AUS = [{ au: 'AU12' }];
const index = buildKeyIndex(defaultKeymap(EMOTIONS, AUS), EMOTIONS, AUS);

function setup(modal: LabelModal = null, hasRecord = true) {
  const run = jest.fn<void, [LabelCommand]>();
  const closeModal = jest.fn();
  const hook = renderHook((props: { modal: LabelModal }) => useLabelKeys({ index, modal: props.modal, hasRecord, closeModal, run }), { initialProps: { modal } });
  return { run, closeModal, hook };
}

afterEach(() => (document.body.innerHTML = ''));

test('a bound key runs its command and is consumed', () => {
  const { run } = setup();
  const e = press('p');
  expect(run).toHaveBeenCalledWith({ type: 'au', au: 'AU12' });
  expect(e.defaultPrevented).toBe(true);
  press('Enter', { ctrlKey: true });
  expect(run).toHaveBeenLastCalledWith({ type: 'submit' });
});

test('in the reasoning editor plain keys type text; Ctrl combos still act, except Ctrl+Z (the text\'s own undo)', () => {
  const { run } = setup();
  const editor = document.body.appendChild(document.createElement('textarea'));
  expect(press('p', {}, editor).defaultPrevented).toBe(false);
  expect(press('z', { ctrlKey: true }, editor).defaultPrevented).toBe(false);
  expect(run).not.toHaveBeenCalled();
  press('Enter', { ctrlKey: true }, editor);
  expect(run).toHaveBeenCalledWith({ type: 'submit' });
});

test('a held key repeats moving and zooming only', () => {
  const { run } = setup();
  press('ArrowRight', { repeat: true });
  const held = press('p', { repeat: true });
  expect(run.mock.calls).toEqual([[{ type: 'next' }]]);
  expect(held.defaultPrevented).toBe(true);
});

test('with no record open only help and undo work', () => {
  const { run } = setup(null, false);
  press('p');
  press('?');
  press('z', { ctrlKey: true });
  expect(run.mock.calls).toEqual([[{ type: 'help' }], [{ type: 'undo' }]]);
});

test('the key help closes on Esc or ?, and swallows nothing else; the confirm and skip dialogs get every key', () => {
  const { run, closeModal, hook } = setup('help');
  press('p');
  press('Escape');
  expect(closeModal).toHaveBeenCalledTimes(1);
  hook.rerender({ modal: 'skip' });
  press('p');
  press('Escape');
  expect(closeModal).toHaveBeenCalledTimes(1);
  expect(run).not.toHaveBeenCalled();
});
