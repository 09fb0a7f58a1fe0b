/** Below the image: overlay and zoom buttons (in, out, fit, 100 %), the labeling queue, key help; each button runs the same command as its key. */
import { Kbd } from '../components/Kbd';
import type { Keymap } from '../keymap/keymap';
import { describeFilter, QUEUE_ORDERS, type QueueSpec } from '../queue/queueState';
import type { RecordSortField } from '../../../contract/types';
import type { LabelCommand } from './commands';

interface Props {
  overlay: boolean;
  keymap: Keymap;
  queue: QueueSpec;
  /** Changes the labeling queue (its order, or clears its filter). */
  setQueue(spec: QueueSpec): void;
  run(command: LabelCommand): void;
}

export function StageBar({ overlay, keymap, queue, setQueue, run }: Props) {
  const filtered = Object.keys(queue.filter).length > 0;
  const known = QUEUE_ORDERS.some((o) => o.field === queue.sort.field) && queue.sort.dir === 'asc';
  const orderValue = known ? queue.sort.field : '';
  return (
    <div className="stage-bar">
      <button type="button" className={`small${overlay ? ' on' : ''}`} tabIndex={-1} data-testid="overlay-toggle" onClick={() => run({ type: 'overlay' })}>
        Overlay <Kbd k={keymap.overlay} />
      </button>
      {/* The key is the label: "+" and "-" say what they do. */}
      <button type="button" className="small key-only" tabIndex={-1} data-testid="zoom-out" title="Zoom out" aria-label="Zoom out" onClick={() => run({ type: 'zoomOut' })}>
        <Kbd k={keymap.zoomOut} placeholder />
      </button>
      <button type="button" className="small key-only" tabIndex={-1} data-testid="zoom-in" title="Zoom in" aria-label="Zoom in" onClick={() => run({ type: 'zoomIn' })}>
        <Kbd k={keymap.zoomIn} placeholder />
      </button>
      <button type="button" className="small" tabIndex={-1} data-testid="zoom-fit" title="Fit the image to the stage" onClick={() => run({ type: 'zoomReset' })}>
        Fit <Kbd k={keymap.zoomReset} />
      </button>
      <button type="button" className="small" tabIndex={-1} data-testid="zoom-actual" title="1 image pixel = 1 screen pixel" onClick={() => run({ type: 'zoomActual' })}>
        100 % <Kbd k={keymap.zoomActual} />
      </button>
      <span className="grow" />
      <span className={`stage-queue${filtered ? ' filtered' : ''}`} data-testid="label-queue" title="The labeling queue: Submit & next goes to its next record (filters in Queue)">
        queue: <span data-testid="label-queue-filter">{describeFilter(queue)}</span>
        {filtered && (
          <button type="button" className="small" tabIndex={-1} data-testid="label-queue-clear" onClick={() => setQueue({ filter: {}, sort: queue.sort })}>
            clear filter
          </button>
        )}
        <select
          tabIndex={-1}
          data-testid="label-queue-order"
          title={QUEUE_ORDERS.find((o) => o.field === orderValue)?.title}
          aria-label="Queue order"
          value={orderValue}
          onChange={(e) => {
            // the label keys go back to the form at once
            e.target.blur();
            if (e.target.value) setQueue({ filter: queue.filter, sort: { field: e.target.value as RecordSortField, dir: 'asc' } });
          }}
        >
          {!known && <option value="">{`${queue.sort.field} ${queue.sort.dir}`}</option>}
          {QUEUE_ORDERS.map((o) => (
            <option key={o.field} value={o.field} title={o.title}>
              {o.short}
            </option>
          ))}
        </select>
      </span>
      <button type="button" className="small" tabIndex={-1} onClick={() => run({ type: 'help' })}>
        Keys <Kbd k={keymap.help} />
      </button>
    </div>
  );
}
