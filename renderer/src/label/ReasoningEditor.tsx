/** The reasoning textarea with the Facial-R1 live checks beneath it. */
import { forwardRef, memo } from 'react';
import type { ReasoningCheck } from '../../../pipelines/facs/reasoning';
import { Kbd } from '../components/Kbd';

interface Props {
  value: string;
  checks: ReasoningCheck[];
  composeKey: string;
  onChange(text: string): void;
  onCompose(): void;
}

const CHECK_TITLES: Record<ReasoningCheck['id'], string> = {
  format: 'Format',
  aus: 'AUs',
  answer: 'Answer',
  hedges: 'Hedges',
};

export const ReasoningEditor = memo(
  forwardRef<HTMLTextAreaElement, Props>(function ReasoningEditor({ value, checks, composeKey, onChange, onCompose }, ref) {
  const failing = checks.filter((c) => !c.ok).length;
  return (
    <section className="panel-section reasoning">
      <div className="section-title">
        Reasoning
        <span className={failing ? 'badge warn' : 'badge ok'} data-testid="checks-summary">
          {failing ? `${failing} check${failing > 1 ? 's' : ''} failing` : 'all checks pass'}
        </span>
        <button type="button" className="small" tabIndex={-1} onClick={onCompose} data-testid="compose">
          Compose <Kbd k={composeKey} />
        </button>
      </div>
      <textarea
        ref={ref}
        data-testid="reasoning"
        spellCheck={false}
        value={value}
        placeholder="<think>The inner brows are raised (AU1) …</think><answer>sadness</answer>"
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') e.currentTarget.blur();
        }}
      />
      <ul className="checks">
        {checks.map((c) => (
          <li key={c.id} className={c.ok ? 'ok' : 'fail'} data-testid={`check-${c.id}`} data-ok={c.ok ? 'true' : 'false'}>
            <span className="check-icon">{c.ok ? '✓' : '✗'}</span>
            <span className="check-title">{CHECK_TITLES[c.id]}</span>
            <span className="check-msg">{c.message}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}),
);
