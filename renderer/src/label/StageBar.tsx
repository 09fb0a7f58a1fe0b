/** Below the image: overlay and zoom buttons, the labeling queue, key help; each button runs the same command as its key. */
import { Kbd } from '../components/Kbd';
import type { Keymap } from '../keymap/keymap';
import { describeQueue, type QueueSpec } from '../queue/queueState';
import type { LabelCommand } from './commands';

interface Props {
  overlay: boolean;
  keymap: Keymap;
  queue: QueueSpec;
  run(command: LabelCommand): void;
}

export function StageBar({ overlay, keymap, queue, run }: Props) {
  return (
    <div className="stage-bar">
      <button type="button" className={`small${overlay ? ' on' : ''}`} tabIndex={-1} data-testid="overlay-toggle" onClick={() => run({ type: 'overlay' })}>
        Overlay <Kbd k={keymap.overlay} />
      </button>
      <button type="button" className="small" tabIndex={-1} onClick={() => run({ type: 'zoomIn' })}>
        Zoom in <Kbd k={keymap.zoomIn} />
      </button>
      <button type="button" className="small" tabIndex={-1} onClick={() => run({ type: 'zoomOut' })}>
        out <Kbd k={keymap.zoomOut} />
      </button>
      <button type="button" className="small" tabIndex={-1} onClick={() => run({ type: 'zoomReset' })}>
        reset <Kbd k={keymap.zoomReset} />
      </button>
      <span className="grow" />
      <span className="muted stage-question" title="The labeling queue (change it in Queue)">
        queue: {describeQueue(queue)}
      </span>
      <button type="button" className="small" tabIndex={-1} onClick={() => run({ type: 'help' })}>
        Keys <Kbd k={keymap.help} />
      </button>
    </div>
  );
}
