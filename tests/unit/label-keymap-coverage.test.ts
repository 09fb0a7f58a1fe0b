/**
 * The label view's default keys: every AU of the vocabulary has its own key (AU27–AU43 on the punctuation keys), with
 * its Shift (intensity) and Alt (side) variants reaching it from a real key press; no key does two things; the overlay
 * and the zoom keys cannot be mistaken for each other; accepting and merging a suggestion are two commands.
 */
import { DEFAULT_AUS, DEFAULT_EMOTIONS, OPTIONAL_EMOTIONS } from '../../pipelines/facs/vocabulary';
import { LABEL_COMMANDS, auAction, defaultKeymap, findConflicts } from '../../renderer/src/keymap/keymap';
import { displayKey, eventKey } from '../../renderer/src/keymap/keys';
import { buildKeyIndex } from '../../renderer/src/label/commands';

const EMOTIONS = [...DEFAULT_EMOTIONS, ...OPTIONAL_EMOTIONS];
const AUS = DEFAULT_AUS.map((au) => ({ au }));
const keymap = defaultKeymap(EMOTIONS, AUS);
const index = buildKeyIndex(keymap, EMOTIONS, AUS);

/** A key press as Chromium reports it on a US layout. */
function press(code: string, key: string, mods: { shiftKey?: boolean; altKey?: boolean } = {}): string | null {
  return eventKey({ code, key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods } as KeyboardEvent);
}

test('every AU of the vocabulary has a key of its own, and no key is bound twice', () => {
  const keys = DEFAULT_AUS.map((au) => keymap[auAction(au)]);
  expect(keys.every((k) => typeof k === 'string' && k.length > 0)).toBe(true);
  expect(new Set(keys).size).toBe(DEFAULT_AUS.length);
  expect([...findConflicts(keymap).keys()]).toEqual([]);
  for (const au of DEFAULT_AUS) expect(index.get(keymap[auAction(au)])).toEqual({ type: 'au', au });
});

test('AU27–AU43 are on the punctuation keys, and Shift/Alt on them step intensity and side', () => {
  const punctuation: Record<string, [string, string, string]> = {
    AU27: [',', 'Comma', '<'],
    AU28: ['.', 'Period', '>'],
    AU29: [';', 'Semicolon', ':'],
    AU30: ["'", 'Quote', '"'],
    AU31: ['[', 'BracketLeft', '{'],
    AU32: [']', 'BracketRight', '}'],
    AU43: ['\\', 'Backslash', '|'],
  };
  for (const [au, [key, code, shifted]] of Object.entries(punctuation)) {
    expect(keymap[auAction(au)]).toBe(key);
    expect(index.get(press(code, key)!)).toEqual({ type: 'au', au });
    expect(index.get(press(code, shifted, { shiftKey: true })!)).toEqual({ type: 'intensity', au });
    expect(index.get(press(code, key, { altKey: true })!)).toEqual({ type: 'side', au });
  }
});

test('"?" and "+" keep their own meaning with Shift', () => {
  expect(index.get(press('Slash', '?', { shiftKey: true })!)).toEqual({ type: 'help' });
  expect(index.get(press('Equal', '+', { shiftKey: true })!)).toEqual({ type: 'zoomIn' });
});

test('the overlay is O, fit is Shift+1 and 100 % is Shift+0: no bare 0 beside the O', () => {
  expect(displayKey(keymap.overlay)).toBe('O');
  expect(displayKey(keymap.zoomReset)).toBe('Shift+1');
  expect(displayKey(keymap.zoomActual)).toBe('Shift+0');
  expect(Object.values(keymap)).not.toContain('0');
  expect(index.get(press('Digit1', '!', { shiftKey: true })!)).toEqual({ type: 'zoomReset' });
  expect(index.get(press('Digit0', ')', { shiftKey: true })!)).toEqual({ type: 'zoomActual' });
  expect(index.get(press('KeyO', 'o')!)).toEqual({ type: 'overlay' });
});

test('accept (A) replaces the form, Shift+A merges the AUs; the key help lists both', () => {
  expect(index.get('a')).toEqual({ type: 'accept' });
  expect(index.get(press('KeyA', 'A', { shiftKey: true })!)).toEqual({ type: 'acceptMerge' });
  const labels = Object.fromEntries(LABEL_COMMANDS.map((c) => [c.id, c.label]));
  expect(labels.acceptMerge).toMatch(/Merge/);
  expect(labels.zoomActual).toMatch(/100 %/);
  expect(labels.zoomReset).toMatch(/Fit/);
});
