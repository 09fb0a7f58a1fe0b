/** The review view's keyboard: a window keydown listener (keys work on arrival, no click needed) that turns keys into commands. */
import { useEffect, useEffectEvent } from 'react';
import { eventKey, isCommandCombo, isTypingTarget } from '../keymap/keys';
import { CANDIDATE_COMMANDS, REPEATING_REVIEW_COMMANDS, type ReviewCommand, type ReviewKeyIndex } from './commands';

/** The fix form and the reject prompt own their keys while open; the help closes with Esc or ?. */
export type ReviewModal = null | 'fix' | 'reject' | 'help' | 'batch';

interface Options {
  index: ReviewKeyIndex;
  modal: ReviewModal;
  hasCandidate: boolean;
  closeModal(): void;
  run(command: ReviewCommand): void;
}

export function useReviewKeys({ index, modal, hasCandidate, closeModal, run }: Options): void {
  const onKeyDown = useEffectEvent((e: KeyboardEvent) => {
    if (e.defaultPrevented || modal === 'fix' || modal === 'reject' || modal === 'batch') return;
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
    if (!command) return;
    // Ctrl+Z in a text field is the field's own undo.
    if (typing && command.type === 'undo') return;
    if (!hasCandidate && CANDIDATE_COMMANDS.has(command.type)) return;
    e.preventDefault();
    if (e.repeat && !REPEATING_REVIEW_COMMANDS.has(command.type)) return;
    run(command);
  });
  useEffect(() => {
    const handler = (e: KeyboardEvent) => onKeyDown(e);
    window.addEventListener('keydown', handler);
    return () => window.removeEventListener('keydown', handler);
  }, []);
}
