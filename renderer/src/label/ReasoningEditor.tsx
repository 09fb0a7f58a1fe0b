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
  // nothing written yet: the checks wait instead of failing (an empty form is not a wrong one)
  const empty = value.trim() === '';
  const failing = empty ? 0 : checks.filter((c) => !c.ok).length;
  return (
    <section className="panel-section reasoning">
      <div className="section-title">
        Reasoning
        <span className={empty ? 'badge' : failing ? 'badge warn' : 'badge ok'} data-testid="checks-summary">
          {empty ? 'no reasoning yet' : failing ? `${failing} check${failing > 1 ? 's' : ''} failing` : 'all checks pass'}
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
        placeholder="<think>Name each visible movement with its AU, e.g. the brows are lowered (AU4) …</think><answer>the emotion</answer>"
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') e.currentTarget.blur();
        }}
      />
      <ul className="checks">
        {checks.map((c) => (
          <li key={c.id} className={empty ? 'pending' : c.ok ? 'ok' : 'fail'} data-testid={`check-${c.id}`} data-ok={empty ? 'pending' : c.ok ? 'true' : 'false'}>
            <span className="check-icon">{empty ? '·' : c.ok ? '✓' : '✗'}</span>
            <span className="check-title">{CHECK_TITLES[c.id]}</span>
            <span className="check-msg">{empty ? 'checked once there is a reasoning' : c.message}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}),
);
