/** The review view's keyboard: its commands and rules over the shared key handling (keymap/useCommandKeys). */
import { useCommandKeys } from '../keymap/useCommandKeys';
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

const OWN_KEYS: readonly NonNullable<ReviewModal>[] = ['fix', 'reject', 'batch'];

export function useReviewKeys({ index, modal, hasCandidate, closeModal, run }: Options): void {
  useCommandKeys({
    index,
    modal,
    ownKeys: OWN_KEYS,
    help: 'help',
    canRun: (command) => hasCandidate || !CANDIDATE_COMMANDS.has(command.type),
    repeating: REPEATING_REVIEW_COMMANDS,
    closeModal,
    run,
  });
}
