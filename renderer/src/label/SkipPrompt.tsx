/** Asks why a record is skipped; quick reasons on 1–4, or free text. */
import { useState } from 'react';
import { Modal } from '../components/Modal';

const QUICK = ['image unusable', 'no face / face cut off', 'ambiguous expression', 'needs a second opinion'];

export function SkipPrompt({ onSkip, onCancel }: { onSkip(reason: string): void; onCancel(): void }) {
  const [reason, setReason] = useState('');
  return (
    <Modal title="Skip this record" testId="skip-modal" confirmLabel="Skip" confirmDisabled={!reason.trim()} onConfirm={() => onSkip(reason.trim())} onCancel={onCancel}>
      <div className="quick-reasons">
        {QUICK.map((q, i) => (
          <button key={q} type="button" className={reason === q ? 'chip on' : 'chip'} onClick={() => setReason(q)}>
            <kbd>{i + 1}</kbd> {q}
          </button>
        ))}
      </div>
      <input
        data-autofocus
        data-testid="skip-reason"
        placeholder="Reason (type, or pick with 1–4)"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        onKeyDown={(e) => {
          const n = Number(e.key);
          if (!reason && n >= 1 && n <= QUICK.length) {
            e.preventDefault();
            setReason(QUICK[n - 1]);
          }
        }}
      />
    </Modal>
  );
}
