/** `?`: every key of the label view, from the user's keymap. */
import { Kbd } from '../components/Kbd';
import { COMMAND_ACTIONS, auAction, emotionAction, type Keymap } from '../keymap/keymap';

interface Props {
  keymap: Keymap;
  emotions: string[];
  aus: { au: string; name: string }[];
  onClose(): void;
}

export function KeyHelp({ keymap, emotions, aus, onClose }: Props) {
  return (
    <div className="modal-backdrop" onMouseDown={onClose}>
      <div className="modal wide" data-testid="key-help" role="dialog" aria-label="Keys" onMouseDown={(e) => e.stopPropagation()}>
        <div className="modal-title">
          Keys <span className="muted">(remap in Settings · Esc closes)</span>
        </div>
        <div className="help-cols">
          <div>
            <h4>Commands</h4>
            {COMMAND_ACTIONS.map((a) => (
              <div className="help-row" key={a.id}>
                <Kbd k={keymap[a.id]} placeholder />
                <span>{a.label}</span>
              </div>
            ))}
            <div className="help-row">
              <kbd>Esc</kbd>
              <span>Leave the reasoning editor</span>
            </div>
            <h4>Emotion</h4>
            {emotions.map((e) => (
              <div className="help-row" key={e}>
                <Kbd k={keymap[emotionAction(e)]} placeholder />
                <span>{e}</span>
              </div>
            ))}
          </div>
          <div>
            <h4>Action units (Shift: intensity A–E, Alt: side L/R)</h4>
            <div className="help-aus">
              {aus.map((a) => (
                <div className="help-row" key={a.au}>
                  <Kbd k={keymap[auAction(a.au)]} placeholder />
                  <span>
                    <b>{a.au}</b> {a.name}
                  </span>
                </div>
              ))}
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}
