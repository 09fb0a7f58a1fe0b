/** The annotator's actions, their default keys, conflict detection and the per-user keymap merge. */
import { KEYMAP_COMMANDS, type KeymapCommand } from '../../../contract/types';
import { bindingParts } from './keys';

export type Keymap = Record<string, string>;

export type ActionGroup = 'Record' | 'Form' | 'Image' | 'Emotion' | 'AU';

export interface ActionInfo {
  id: string;
  label: string;
  group: ActionGroup;
}

/** Each fixed command's label, group and default key; the contract's KEYMAP_COMMANDS names them, and the compiler checks both lists hold the same commands. */
const COMMAND_INFO = {
  submit: { label: 'Submit and next', group: 'Record', key: 'ctrl+enter' },
  skip: { label: 'Skip with a reason', group: 'Record', key: 's' },
  undo: { label: 'Undo last decision', group: 'Record', key: 'ctrl+z' },
  next: { label: 'Next record', group: 'Record', key: 'arrowright' },
  prev: { label: 'Previous record', group: 'Record', key: 'arrowleft' },
  help: { label: 'Key help', group: 'Record', key: '?' },
  accept: { label: 'Accept the model suggestion (replaces the form)', group: 'Form', key: 'a' },
  acceptMerge: { label: "Merge the suggestion's AUs into the form (keeps its AUs, marks, emotion, reasoning)", group: 'Form', key: 'shift+a' },
  compose: { label: 'Compose reasoning from the form', group: 'Form', key: 'ctrl+shift+space' },
  focusReasoning: { label: 'Edit the reasoning', group: 'Form', key: 'enter' },
  clear: { label: 'Clear the form', group: 'Form', key: 'shift+backspace' },
  overlay: { label: 'Toggle the analysis overlay (the letter O)', group: 'Image', key: 'o' },
  zoomIn: { label: 'Zoom in', group: 'Image', key: '+' },
  zoomOut: { label: 'Zoom out', group: 'Image', key: '-' },
  // Figma's pair: Shift+1 fits, Shift+0 is 100 %; a bare 0 read like the overlay's O.
  zoomReset: { label: 'Fit the image (reset zoom and pan)', group: 'Image', key: 'shift+1' },
  zoomActual: { label: 'Zoom to 100 % (1 image pixel = 1 screen pixel)', group: 'Image', key: 'shift+0' },
} as const satisfies Record<KeymapCommand, Omit<ActionInfo, 'id'> & { key: string }>;

/** The label view's fixed commands with their default keys, in the order Settings and the key help list them. */
export const LABEL_COMMANDS = KEYMAP_COMMANDS.map((id) => ({ id, ...COMMAND_INFO[id] }));

/** A fixed command's name: the keymap key it is saved under. */
export type CommandId = KeymapCommand;

export const COMMAND_ACTIONS: ActionInfo[] = LABEL_COMMANDS.map(({ id, label, group }) => ({ id, label, group }));

const COMMAND_DEFAULTS: Keymap = Object.fromEntries(LABEL_COMMANDS.map((c) => [c.id, c.key]));

/**
 * Default keys of the vocabulary's AUs: mnemonic letters (the commands' a, o, s left out), then, the letters being
 * spent, the punctuation keys right of them for the mouth and jaw AUs and AU43.
 */
const AU_MNEMONICS: Record<string, string> = {
  AU1: 'i', // inner brow
  AU2: 'u', // oUter brow
  AU4: 'b', // brow lowerer
  AU5: 'e', // upper lid: eyes wide
  AU6: 'c', // cheek raiser
  AU7: 't', // lid tightener
  AU9: 'n', // nose wrinkler
  AU10: 'r', // upper lip raiser
  AU11: 'f', // nasolabial furrow
  AU12: 'p', // lip corner puller
  AU13: 'y', // cheek puffer
  AU14: 'd', // dimpler
  AU15: 'w', // lip corner depressor: down
  AU16: 'v', // lower lip depressor
  AU17: 'h', // chin raiser
  AU18: 'k', // pucker: kiss
  AU19: 'g', // tongue
  AU20: 'x', // lip stretcher: eXtend
  AU22: 'q', // funneler
  AU23: 'z', // lip tightener
  AU24: 'm', // lip pressor
  AU25: 'l', // lips parted
  AU26: 'j', // jaw drop
  AU27: ',',
  AU28: '.',
  AU29: ';',
  AU30: "'",
  AU31: '[',
  AU32: ']',
  AU43: '\\',
};
/** Keys for AUs outside the vocabulary, once no mnemonic is left. */
const SPARE_KEYS = [...'abcdefghijklmnopqrstuvwxyz', '`', '9'];

export function emotionAction(emotion: string): string {
  return `emotion.${emotion}`;
}
export function auAction(au: string): string {
  return `au.${au}`;
}

/** All actions for a workspace: commands, one per emotion (1–9), one per AU. */
export function workspaceActions(emotions: string[], aus: { au: string; name: string }[]): ActionInfo[] {
  return [
    ...COMMAND_ACTIONS,
    ...emotions.map((e, i) => ({ id: emotionAction(e), label: `Emotion ${i + 1}: ${e}`, group: 'Emotion' as const })),
    ...aus.map((a) => ({ id: auAction(a.au), label: `${a.au} ${a.name}`, group: 'AU' as const })),
  ];
}

export function defaultKeymap(emotions: string[], aus: { au: string }[]): Keymap {
  const map: Keymap = { ...COMMAND_DEFAULTS };
  emotions.forEach((e, i) => {
    map[emotionAction(e)] = i < 9 ? String(i + 1) : '';
  });
  const used = new Set(Object.values(map));
  const spare = SPARE_KEYS.filter((l) => !used.has(l) && !Object.values(AU_MNEMONICS).includes(l));
  for (const { au } of aus) {
    const mnemonic = AU_MNEMONICS[au];
    if (mnemonic && !used.has(mnemonic)) {
      map[auAction(au)] = mnemonic;
      used.add(mnemonic);
    } else {
      const letter = spare.shift();
      map[auAction(au)] = letter ?? '';
      if (letter) used.add(letter);
    }
  }
  return map;
}

/** The user's saved keymap over the defaults; unknown actions are dropped. */
export function mergeKeymap(defaults: Keymap, saved: Keymap | null | undefined): Keymap {
  const map = { ...defaults };
  for (const [action, key] of Object.entries(saved ?? {})) if (action in map) map[action] = key;
  return map;
}

/** Keys an AU binding also claims: Shift cycles its intensity, Alt its side (single-key bindings only). */
export function derivedKeys(action: string, key: string): string[] {
  if (!action.startsWith('au.') || !key || bindingParts(key).length !== 1) return [];
  return [`shift+${key}`, `alt+${key}`];
}

/** Keys bound to more than one action: key → actions. */
export function findConflicts(map: Keymap): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  const claim = (key: string, action: string) => {
    if (!key) return;
    const list = byKey.get(key) ?? [];
    if (!list.includes(action)) list.push(action);
    byKey.set(key, list);
  };
  for (const [action, key] of Object.entries(map)) {
    claim(key, action);
    for (const d of derivedKeys(action, key)) claim(d, action);
  }
  for (const [key, actions] of [...byKey]) if (actions.length < 2) byKey.delete(key);
  return byKey;
}

/** The actions that clash with `action` in `map`. */
export function conflictsOf(map: Keymap, action: string): string[] {
  const out = new Set<string>();
  for (const actions of findConflicts(map).values()) {
    if (actions.includes(action)) for (const a of actions) if (a !== action) out.add(a);
  }
  return [...out];
}

/** Saved keymaps hold only what differs from the defaults, so new defaults reach old users. */
export function keymapOverrides(defaults: Keymap, map: Keymap): Keymap {
  const out: Keymap = {};
  for (const [action, key] of Object.entries(map)) if (defaults[action] !== key) out[action] = key;
  return out;
}
