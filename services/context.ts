import type { Workspace } from '../db/open';
import { EventBus } from './events';
import { JobRegistry } from './jobs';

/** Everything a service needs: the open workspace, the event bus, and the job registry. */
export interface ServiceContext {
  ws: Workspace;
  events: EventBus;
  jobs: JobRegistry;
}

export function createContext(ws: Workspace): ServiceContext {
  const events = new EventBus();
  return { ws, events, jobs: new JobRegistry(events) };
}
