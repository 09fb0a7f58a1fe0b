/** "Accept passing ≥ X": the count is asked first (a dry run), shown, and only then accepted. */
import { useState } from 'react';
import { Modal } from '../components/Modal';

interface Props {
  disabled: boolean;
  count(minAgreement: number): Promise<number | null>;
  run(minAgreement: number): Promise<number | null>;
  onOpen(open: boolean): void;
}

export function BatchAccept({ disabled, count, run, onOpen }: Props) {
  const [threshold, setThreshold] = useState('0.75');
  const [preview, setPreview] = useState<number | null>(null);
  const min = Math.min(1, Math.max(0, Number(threshold) || 0));
  const close = () => {
    setPreview(null);
    onOpen(false);
  };
  return (
    <div className="batch-accept">
      <label>
        Accept passing ≥
        <input type="number" min={0} max={1} step={0.05} value={threshold} onChange={(e) => setThreshold(e.target.value)} data-testid="batch-threshold" />
      </label>
      <button
        type="button"
        disabled={disabled}
        data-testid="batch-accept"
        onClick={async () => {
          const n = await count(min);
          if (n === null) return;
          setPreview(n);
          onOpen(true);
        }}
      >
        Accept passing…
      </button>
      {preview !== null && (
        <Modal
          title="Accept passing candidates"
          testId="batch-confirm"
          confirmLabel={`Accept ${preview}`}
          confirmDisabled={preview === 0}
          onConfirm={async () => {
            await run(min);
            close();
          }}
          onCancel={close}
        >
          <p data-testid="batch-count" data-count={preview}>
            {preview} pending candidate{preview === 1 ? '' : 's'} pass every check at agreement ≥ {min}.
          </p>
        </Modal>
      )}
    </div>
  );
}
