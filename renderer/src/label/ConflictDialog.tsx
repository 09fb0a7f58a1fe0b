/**
 * The conflict dialog: someone else answered the record while I worked. Both answers side by side, three ways
 * out, each on its own key. Keys are the dialog's (capture phase) and Tab stays inside it while it is open.
 */
import { useEffect, useRef } from 'react';
import type { AUMark } from '../../../pipelines/facs/vocabulary';
import { markLabel } from './form';
import { relativeTime } from './time';
import { CONFLICT_KEYS, type ConflictChoice, type SubmitConflictState } from './useSubmitConflict';

interface Answer {
  emotion: string | null;
  aus: AUMark[];
  reasoning: string;
}

function AnswerColumn({ side, title, who, when, answer }: { side: 'theirs' | 'mine'; title: string; who: string; when: string | null; answer: Answer | null }) {
  return (
    <section className={`conflict-answer conflict-${side}`} data-testid={`conflict-${side}`} aria-label={title}>
      <div className="conflict-head">
        <b>{title}</b>
        <span className="muted" data-testid={`conflict-${side}-who`} title={when ?? undefined}>
          {who}
          {when ? ` · ${relativeTime(when)}` : ''}
        </span>
      </div>
      {answer ? (
        <>
          <div className="conflict-emotion" data-testid={`conflict-${side}-emotion`}>
            {answer.emotion ?? <span className="muted">no emotion</span>}
          </div>
          <div className="conflict-aus" data-testid={`conflict-${side}-aus`}>
            {answer.aus.length ? answer.aus.map((m) => <span key={m.au} className="chip conflict-au">{markLabel(m)}</span>) : <span className="muted">no AUs</span>}
          </div>
          <div className="conflict-reasoning" data-testid={`conflict-${side}-reasoning`}>
            {answer.reasoning || <span className="muted">no reasoning</span>}
          </div>
        </>
      ) : (
        <div className="muted">The record has no revision now.</div>
      )}
    </section>
  );
}

const LABELS: Record<ConflictChoice, { label: string; hint: string }> = {
  keepMine: { label: 'Keep mine', hint: 'submit my answer on top of theirs' },
  takeTheirs: { label: 'Take theirs', hint: 'drop my answer, no new revision' },
  merge: { label: 'Merge', hint: 'edit: all AUs, my reasoning' },
};
const ORDER: ConflictChoice[] = ['keepMine', 'merge', 'takeTheirs'];

export function ConflictDialog({ conflict, me, onResolve }: { conflict: SubmitConflictState; me: string; onResolve(choice: ConflictChoice): void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = ref.current;
      if (!el) return;
      if (e.key === 'Tab') {
        // Focus stays in the dialog: Tab and Shift+Tab wrap around its buttons.
        const items = [...el.querySelectorAll<HTMLElement>('button')];
        const at = items.indexOf(document.activeElement as HTMLElement);
        const next = e.shiftKey ? (at <= 0 ? items.length - 1 : at - 1) : at === items.length - 1 ? 0 : at + 1;
        e.preventDefault();
        items[next]?.focus();
        return;
      }
      // Every other key is the dialog's: the view's label keys must not edit the form behind it.
      e.stopImmediatePropagation();
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const choice = ORDER.find((c) => CONFLICT_KEYS[c] === e.key.toLowerCase());
      if (choice) {
        e.preventDefault();
        onResolve(choice);
      } else if (e.key === 'Enter' && document.activeElement instanceof HTMLButtonElement && el.contains(document.activeElement)) {
        e.preventDefault();
        document.activeElement.click();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onResolve]);

  const { theirs, mine, recordId } = conflict;
  return (
    <div className="modal-backdrop">
      <div
        className="modal wide conflict-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="conflict-title"
        aria-describedby="conflict-desc"
        data-testid="conflict-dialog"
        data-record-id={recordId}
        ref={ref}
        tabIndex={-1}
      >
        <div className="modal-title" id="conflict-title">
          {theirs ? `${theirs.author} answered ${recordId} while you worked` : `${recordId} changed while you worked`}
        </div>
        <div className="modal-body">
          <p id="conflict-desc" className="muted">
            Your answer was not saved. Choose which answer the record keeps.
          </p>
          <div className="conflict-cols">
            <AnswerColumn side="theirs" title="Theirs" who={theirs?.author ?? '—'} when={theirs?.createdAt ?? null} answer={theirs} />
            <AnswerColumn side="mine" title="Yours" who={`${me} (you)`} when={null} answer={mine} />
          </div>
        </div>
        <div className="modal-actions">
          {ORDER.map((c, i) => (
            <button
              key={c}
              type="button"
              className={c === 'keepMine' ? 'primary' : undefined}
              data-autofocus={i === 0 ? true : undefined}
              data-testid={`conflict-${c}`}
              title={LABELS[c].hint}
              onClick={() => onResolve(c)}
            >
              {LABELS[c].label} <kbd>{CONFLICT_KEYS[c].toUpperCase()}</kbd>
            </button>
          ))}
        </div>
      </div>
    </div>
  );
}
