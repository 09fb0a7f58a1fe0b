/**
 * AU toggles with key hints; a selected AU gets intensity A–E and side L/R controls. Every cell has the same fixed
 * size (the grid's rows are fixed in label.css): the controls take the place of the FACS name's line, so selecting an
 * AU moves nothing under the mouse. The full name is the button's accessible name and tooltip.
 */
import { memo } from 'react';
import type { AUMark, Intensity, Side } from '../../../pipelines/facs/vocabulary';
import { INTENSITIES, SIDES } from '../../../pipelines/facs/vocabulary';
import { Kbd } from '../components/Kbd';
import { auAction, type Keymap } from '../keymap/keymap';
import { displayKey } from '../keymap/keys';

interface Props {
  aus: { au: string; name: string }[];
  value: AUMark[];
  suggested: Map<string, number>;
  keymap: Keymap;
  onToggle(au: string): void;
  onMark(au: string, patch: Partial<AUMark>): void;
}

export const AUPanel = memo(function AUPanel({ aus, value, suggested, keymap, onToggle, onMark }: Props) {
  const selected = new Map(value.map((m) => [m.au, m]));
  return (
    <section className="panel-section">
      <div className="section-title">
        Action units <span className="muted">{value.length ? `${value.length} selected` : 'none selected'}</span>
        <span className="hint">Shift+key intensity · Alt+key side</span>
      </div>
      <div className="au-grid">
        {aus.map(({ au, name }) => {
          const mark = selected.get(au);
          const score = suggested.get(au);
          return (
            <div
              key={au}
              className={`au-chip${mark ? ' on' : ''}`}
              title={`${au} ${name}${score !== undefined ? ` · model ${score.toFixed(2)}` : ''}${keymap[auAction(au)] ? ` · key ${displayKey(keymap[auAction(au)])}` : ''}`}
            >
              <button
                type="button"
                tabIndex={-1}
                className="au-toggle"
                data-testid={`au-${au}`}
                data-selected={!!mark}
                aria-pressed={!!mark}
                aria-label={`${au} ${name}`}
                onClick={() => onToggle(au)}
              >
                <span className="au-head">
                  <span className="au-code">{au}</span>
                  <span className="au-name-short">{mark ? name : ''}</span>
                  <Kbd k={keymap[auAction(au)]} />
                </span>
                {!mark && <span className="au-name">{name}</span>}
                {score !== undefined && <span className="au-score" style={{ opacity: 0.35 + 0.65 * score }} />}
              </button>
              {mark && (
                <div className="au-marks">
                  <span className="seg" aria-label={`${au} intensity`}>
                    {INTENSITIES.map((i) => (
                      <button
                        key={i}
                        type="button"
                        tabIndex={-1}
                        className={mark.intensity === i ? 'on' : ''}
                        data-testid={`au-${au}-intensity-${i}`}
                        onClick={() => onMark(au, { intensity: mark.intensity === i ? null : (i as Intensity) })}
                      >
                        {i}
                      </button>
                    ))}
                  </span>
                  <span className="seg" aria-label={`${au} side`}>
                    {SIDES.map((s) => (
                      <button
                        key={s}
                        type="button"
                        tabIndex={-1}
                        className={mark.side === s ? 'on' : ''}
                        data-testid={`au-${au}-side-${s}`}
                        onClick={() => onMark(au, { side: mark.side === s ? null : (s as Side) })}
                      >
                        {s}
                      </button>
                    ))}
                  </span>
                </div>
              )}
            </div>
          );
        })}
      </div>
    </section>
  );
});
