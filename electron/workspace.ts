/** Opens a workspace and builds the services both transports serve. The only place electron/ touches db/. */
import { openWorkspace } from '../db/open';
import { createContext, type ServiceContext } from '../services/context';
import { createHandlers } from '../services/handlers';
import type { ApiHandlers } from '../contract/api';

export interface OpenedServices {
  ctx: ServiceContext;
  handlers: ApiHandlers;
  close(): void;
}

export function openServices(workspaceDir: string): OpenedServices {
  const ws = openWorkspace(workspaceDir);
  const ctx = createContext(ws);
  const handlers = createHandlers(ctx);
  let closed = false;
  return {
    ctx,
    handlers,
    close() {
      if (closed) return;
      closed = true;
      for (const job of ctx.jobs.list()) if (job.status === 'running') ctx.jobs.cancel(job.id);
      ws.close();
    },
  };
}
