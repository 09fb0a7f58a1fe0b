/** The label view's key index: keymap bindings → typed commands. */
import { defaultKeymap } from '../../renderer/src/keymap/keymap';
import { buildKeyIndex, runCommand, type LabelCommandHandlers, type LabelCommand } from '../../renderer/src/label/commands';

const EMOTIONS = ['anger', 'happiness'];
const AUS = [{ au: 'AU6' }, { au: 'AU12' }];

test('default keys name commands, emotions, AUs and their Shift/Alt variants; Meta stands in for Ctrl; "=" zooms in', () => {
  const index = buildKeyIndex(defaultKeymap(EMOTIONS, AUS), EMOTIONS, AUS);
  expect(index.get('ctrl+enter')).toEqual({ type: 'submit' });
  expect(index.get('meta+enter')).toEqual({ type: 'submit' });
  expect(index.get('2')).toEqual({ type: 'emotion', emotion: 'happiness' });
  expect(index.get('p')).toEqual({ type: 'au', au: 'AU12' });
  expect(index.get('shift+p')).toEqual({ type: 'intensity', au: 'AU12' });
  expect(index.get('alt+c')).toEqual({ type: 'side', au: 'AU6' });
  expect(index.get('=')).toEqual({ type: 'zoomIn' });
  expect(index.get('x')).toBeUndefined();
});

test('a key bound twice goes to the first action (commands before emotions before AUs); unbound actions claim nothing', () => {
  const keymap = { ...defaultKeymap(EMOTIONS, AUS), 'au.AU12': 's', 'emotion.anger': '' };
  const index = buildKeyIndex(keymap, EMOTIONS, AUS);
  expect(index.get('s')).toEqual({ type: 'skip' });
  expect(index.get('shift+s')).toEqual({ type: 'intensity', au: 'AU12' });
  expect(index.get('1')).toBeUndefined();
});

test('runCommand hands each command to its own handler', () => {
  const seen: LabelCommand[] = [];
  const record = (c: LabelCommand) => void seen.push(c);
  const handlers: LabelCommandHandlers = {
    submit: record, skip: record, undo: record, next: record, prev: record, help: record, accept: record, acceptMerge: record, compose: record,
    focusReasoning: record, clear: record, overlay: record, zoomIn: record, zoomOut: record, zoomReset: record, zoomActual: record,
    emotion: (c) => void seen.push({ type: 'emotion', emotion: c.emotion.toUpperCase() }),
    au: record, intensity: record, side: record,
  };
  runCommand(handlers, { type: 'emotion', emotion: 'fear' });
  runCommand(handlers, { type: 'zoomIn' });
  expect(seen).toEqual([{ type: 'emotion', emotion: 'FEAR' }, { type: 'zoomIn' }]);
});
