/** In-process event bus: services publish, transports (IPC, SSE) forward to the UI. */
import { EventEmitter } from 'node:events';
import type { ApiEvent } from '../contract/types';

/** Events name what changed and stay small: each one is copied to every open stream, slow ones included. */
export const EVENT_MAX_IDS = 200;
export const EVENT_MAX_ID_LENGTH = 256;
export const EVENT_MAX_MESSAGE = 500;

/** The event as sent: a records.changed too large to list becomes "everything may have changed"; messages are cut. */
export function boundEvent(event: ApiEvent): ApiEvent {
  if (event.type === 'records.changed') {
    if (event.all || event.ids.length > EVENT_MAX_IDS || event.ids.some((id) => id.length > EVENT_MAX_ID_LENGTH)) {
      return { type: 'records.changed', ids: [], all: true };
    }
    return event;
  }
  if (event.type === 'job.progress' && event.job.message.length > EVENT_MAX_MESSAGE) {
    return { type: 'job.progress', job: { ...event.job, message: `${event.job.message.slice(0, EVENT_MAX_MESSAGE - 1)}…` } };
  }
  return event;
}

export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(event: ApiEvent): void {
    this.emitter.emit('event', boundEvent(event));
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: (event: ApiEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
