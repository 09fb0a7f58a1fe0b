/** The label view's keyboard: its commands and rules over the shared key handling (keymap/useCommandKeys). */
import { useCommandKeys } from '../keymap/useCommandKeys';
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

// The confirm, skip and conflict dialogs handle their own keys.
const OWN_KEYS: readonly NonNullable<LabelModal>[] = ['confirm', 'skip', 'conflict'];

export function useLabelKeys({ index, modal, hasRecord, closeModal, run }: Options): void {
  useCommandKeys({
    index,
    modal,
    ownKeys: OWN_KEYS,
    help: 'help',
    canRun: (command) => hasRecord || COMMANDS_WITHOUT_RECORD.has(command.type),
    repeating: REPEATING_COMMANDS,
    onUnbound: (key) => {
      if (key === 'escape') (document.activeElement as HTMLElement | null)?.blur?.();
    },
    closeModal,
    run,
  });
}
