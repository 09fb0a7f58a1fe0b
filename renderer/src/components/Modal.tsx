/** A small modal dialog: Enter confirms, Esc cancels (views behind ignore other keys while it is open). */
import { useEffect, useRef, type ReactNode } from 'react';

interface Props {
  title: string;
  testId?: string;
  children: ReactNode;
  confirmLabel?: string;
  cancelLabel?: string;
  danger?: boolean;
  confirmDisabled?: boolean;
  onConfirm(): void;
  onCancel(): void;
}

export function Modal({ title, testId, children, confirmLabel = 'Confirm', cancelLabel = 'Cancel', danger, confirmDisabled, onConfirm, onCancel }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    const focusable = el?.querySelector<HTMLElement>('[data-autofocus]') ?? el;
    focusable?.focus();
  }, []);
  useEffect(() => {
    // Capture phase, so Enter/Esc are the dialog's before any view handler sees them.
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopImmediatePropagation();
        onCancel();
      } else if (e.key === 'Enter' && !e.shiftKey && !(e.target instanceof HTMLTextAreaElement && !(e.ctrlKey || e.metaKey))) {
        e.preventDefault();
        e.stopImmediatePropagation();
        if (!confirmDisabled) onConfirm();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onConfirm, onCancel, confirmDisabled]);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <div className="modal" role="dialog" aria-modal="true" aria-label={title} data-testid={testId} ref={ref} tabIndex={-1}>
        <div className="modal-title">{title}</div>
        <div className="modal-body">{children}</div>
        <div className="modal-actions">
          <button type="button" onClick={onCancel}>
            {cancelLabel} <kbd>Esc</kbd>
          </button>
          <button type="button" className={danger ? 'danger' : 'primary'} disabled={confirmDisabled} onClick={onConfirm} data-testid={testId ? `${testId}-confirm` : undefined}>
            {confirmLabel} <kbd>Enter</kbd>
          </button>
        </div>
      </div>
    </div>
  );
}
