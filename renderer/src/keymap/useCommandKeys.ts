/**
 * A view's keyboard: a window keydown listener (keys work on arrival, no click needed) that turns keys into the
 * view's typed commands, with the rules every view shares — dialogs that own their keys, the help closing with Esc
 * or ?, text fields keeping plain keys and their own Ctrl+Z, held keys repeating only where the view says so.
 */
import { useEffect, useEffectEvent } from 'react';
import { eventKey, isCommandCombo, isTypingTarget } from './keys';

export interface CommandKeysOptions<C extends { type: string }, M extends string> {
  index: ReadonlyMap<string, C>;
  modal: M | null;
  /** Dialogs that handle their own keys while open. */
  ownKeys: readonly M[];
  /** The dialog that the view's keys close (Esc or ?). */
  help: M;
  /** Whether the command may run now (e.g. it needs a record on screen). */
  canRun(command: C): boolean;
  /** Commands a held key repeats. */
  repeating: ReadonlySet<C['type']>;
  /** A key no command has. */
  onUnbound?(key: string): void;
  closeModal(): void;
  run(command: C): void;
}

export function useCommandKeys<C extends { type: string }, M extends string>(o: CommandKeysOptions<C, M>): void {
  const onKeyDown = useEffectEvent((e: KeyboardEvent) => {
    if (e.defaultPrevented || (o.modal !== null && o.ownKeys.includes(o.modal))) return;
    const key = eventKey(e);
    if (!key) return;
    if (o.modal === o.help) {
      if (key === 'escape' || key === '?') {
        e.preventDefault();
        o.closeModal();
      }
      return;
    }
    const typing = isTypingTarget(e.target);
    if (typing && !isCommandCombo(key)) return;
    const command = o.index.get(key);
    if (!command) {
      o.onUnbound?.(key);
      return;
    }
    // Ctrl+Z in a text field is the field's own undo.
    if (typing && command.type === 'undo') return;
    if (!o.canRun(command)) return;
    e.preventDefault();
    if (e.repeat && !o.repeating.has(command.type)) return;
    o.run(command);
  });
  useEffect(() => {
    const handler = (e: KeyboardEvent) => onKeyDown(e);
    window.addEventListener('keydown', handler);
    return () => window.removeEventListener('keydown', handler);
  }, []);
}
