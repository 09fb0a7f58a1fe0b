/** Single-choice emotion, keyed 1–9 in vocabulary order. */
import { memo } from 'react';
import { Kbd } from '../components/Kbd';
import { emotionAction, type Keymap } from '../keymap/keymap';

interface Props {
  emotions: string[];
  value: string | null;
  suggested: string | null;
  keymap: Keymap;
  onChange(emotion: string | null): void;
}

export const EmotionPicker = memo(function EmotionPicker({ emotions, value, suggested, keymap, onChange }: Props) {
  return (
    <section className="panel-section">
      <div className="section-title">Emotion</div>
      <div className="emotion-grid" role="radiogroup" aria-label="Emotion">
        {emotions.map((e) => (
          <button
            key={e}
            type="button"
            role="radio"
            aria-checked={value === e}
            tabIndex={-1}
            className={`chip emotion${value === e ? ' on' : ''}${suggested === e ? ' suggested' : ''}`}
            data-testid={`emotion-${e}`}
            data-selected={value === e}
            onClick={() => onChange(value === e ? null : e)}
          >
            <Kbd k={keymap[emotionAction(e)]} />
            <span>{e}</span>
          </button>
        ))}
      </div>
    </section>
  );
});
