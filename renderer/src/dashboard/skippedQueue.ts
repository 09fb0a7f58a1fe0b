/** The dashboard's way into the records annotators skipped: the queue with the `skipped` filter, the order kept. */
import { getQueue, setQueue } from '../queue/queueState';
import { navigate } from '../shell/route';

export function openSkippedQueue(): void {
  setQueue({ filter: { skipped: true }, sort: getQueue().sort });
  navigate({ view: 'queue', id: null });
}
