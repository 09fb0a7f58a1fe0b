/** The label view's keyboard: a window keydown listener that turns keys into commands, with the view's rules. */
import { useEffect, useEffectEvent } from 'react';
import { eventKey, isCommandCombo, isTypingTarget } from '../keymap/keys';
import { COMMANDS_WITHOUT_RECORD, REPEATING_COMMANDS, type KeyIndex, type LabelCommand } from './commands';

export type LabelModal = null | 'confirm' | 'skip' | 'help' | 'conflict';

interface Options {
  index: KeyIndex;
  modal: LabelModal;
  /** A record is on screen: commands other than help and undo need one. */
  hasRecord: boolean;
  closeModal(): void;
  run(command: LabelCommand): void;
}

export function useLabelKeys({ index, modal, hasRecord, closeModal, run }: Options): void {
  const onKeyDown = useEffectEvent((e: KeyboardEvent) => {
    // The confirm, skip and conflict dialogs handle their own keys.
    if (e.defaultPrevented || modal === 'confirm' || modal === 'skip' || modal === 'conflict') return;
    const key = eventKey(e);
    if (!key) return;
    if (modal === 'help') {
      if (key === 'escape' || key === '?') {
        e.preventDefault();
        closeModal();
      }
      return;
    }
    const typing = isTypingTarget(e.target);
    if (typing && !isCommandCombo(key)) return;
    const command = index.get(key);
    if (!command) {
      if (key === 'escape') (document.activeElement as HTMLElement | null)?.blur?.();
      return;
    }
    // Ctrl+Z in the editor is the text's own undo.
    if (typing && command.type === 'undo') return;
    if (!hasRecord && !COMMANDS_WITHOUT_RECORD.has(command.type)) return;
    e.preventDefault();
    if (e.repeat && !REPEATING_COMMANDS.has(command.type)) return;
    run(command);
  });
  useEffect(() => {
    const handler = (e: KeyboardEvent) => onKeyDown(e);
    window.addEventListener('keydown', handler);
    return () => window.removeEventListener('keydown', handler);
  }, []);
}
