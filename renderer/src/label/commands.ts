/**
 * The label view's commands: every action a key or a button can ask for, named once as a typed union, and the
 * pressed-key → command index built from the user's keymap. Handlers are a `Record` over the union, so a new
 * command that nobody handles does not compile.
 */
import { LABEL_COMMANDS, auAction, derivedKeys, emotionAction, type CommandId, type Keymap } from '../keymap/keymap';

export type LabelCommand =
  | { [K in CommandId]: { type: K } }[CommandId]
  | { type: 'emotion'; emotion: string }
  /** Toggle an AU. */
  | { type: 'au'; au: string }
  /** Shift+AU key: step its intensity. */
  | { type: 'intensity'; au: string }
  /** Alt+AU key: step its side. */
  | { type: 'side'; au: string };

export type LabelCommandType = LabelCommand['type'];

/** One handler per command type. */
export type LabelCommandHandlers = { [K in LabelCommandType]: (command: Extract<LabelCommand, { type: K }>) => void };

export function runCommand(handlers: LabelCommandHandlers, command: LabelCommand): void {
  // The mapped type pairs each type with its handler; TypeScript cannot follow that through an index, hence the cast.
  (handlers[command.type] as (c: LabelCommand) => void)(command);
}

/** Held down, these repeat (moving through records, zooming); every other command fires once per press. */
export const REPEATING_COMMANDS: ReadonlySet<LabelCommandType> = new Set<LabelCommandType>(['next', 'prev', 'zoomIn', 'zoomOut']);
/** These work while no record is open. */
export const COMMANDS_WITHOUT_RECORD: ReadonlySet<LabelCommandType> = new Set<LabelCommandType>(['help', 'undo']);

export type KeyIndex = ReadonlyMap<string, LabelCommand>;

/**
 * Pressed key → command. The first action bound to a key wins (commands, then emotions, then AUs, in keymap
 * order); AU keys also claim Shift (intensity) and Alt (side); "=" zooms in unless bound, being "+" without Shift.
 */
export function buildKeyIndex(keymap: Keymap, emotions: readonly string[], aus: readonly { au: string }[]): KeyIndex {
  const index = new Map<string, LabelCommand>();
  const put = (key: string | undefined, command: LabelCommand) => {
    if (!key || index.has(key)) return;
    index.set(key, command);
    // Meta stands in for Ctrl (macOS).
    if (key.startsWith('ctrl+')) index.set(`meta+${key.slice(5)}`, command);
  };
  for (const { id } of LABEL_COMMANDS) put(keymap[id], { type: id });
  for (const emotion of emotions) put(keymap[emotionAction(emotion)], { type: 'emotion', emotion });
  for (const { au } of aus) put(keymap[auAction(au)], { type: 'au', au });
  for (const { au } of aus) {
    const [shift, alt] = derivedKeys(auAction(au), keymap[auAction(au)] ?? '');
    put(shift, { type: 'intensity', au });
    put(alt, { type: 'side', au });
  }
  put('=', { type: 'zoomIn' });
  return index;
}
