/** Reject with a reason: a number key picks one of REJECT_REASONS (and rejects), or type one and press Enter. */
import { useEffect, useState } from 'react';
import { REJECT_REASONS } from '../../../pipelines/facs/vocabulary';
import { Modal } from '../components/Modal';
import { eventKey, isTypingTarget } from '../keymap/keys';
import { reasonForKey } from './commands';

export function RejectPrompt({ onReject, onCancel }: { onReject(reason: string): void; onCancel(): void }) {
  const [typed, setTyped] = useState('');
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTypingTarget(e.target)) return;
      const reason = reasonForKey(eventKey(e) ?? '');
      if (!reason) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      onReject(reason);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onReject]);
  return (
    <Modal title="Reject: why?" testId="reject-prompt" confirmLabel="Reject" danger confirmDisabled={!typed.trim()} onConfirm={() => onReject(typed.trim())} onCancel={onCancel}>
      <ol className="reasons">
        {REJECT_REASONS.map((r, i) => (
          <li key={r}>
            <button type="button" className="small" data-testid="reject-reason" onClick={() => onReject(r)}>
              <kbd>{i + 1}</kbd> {r}
            </button>
          </li>
        ))}
      </ol>
      <input type="text" placeholder="…or type a reason, then Enter" value={typed} onChange={(e) => setTyped(e.target.value)} data-testid="reject-typed" maxLength={500} />
    </Modal>
  );
}
