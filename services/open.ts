/** Opens a workspace and builds the services both transports serve. The one place the adapters (electron/, server/) reach db/. */
import { openWorkspace } from '../db/open';
import { createContext, type ServiceContext } from './context';
import { createHandlers } from './handlers';
import { shutdownServices } from './lifecycle';
import type { ApiHandlers } from '../contract/api';

export interface OpenedServices {
  ctx: ServiceContext;
  handlers: ApiHandlers;
  /** Cancels jobs, lets training runs checkpoint, then closes the workspace. */
  close(): Promise<void>;
}

export function openServices(workspaceDir: string): OpenedServices {
  const ws = openWorkspace(workspaceDir);
  const ctx = createContext(ws);
  const handlers = createHandlers(ctx);
  let closing: Promise<void> | null = null;
  return {
    ctx,
    handlers,
    close() {
      closing ??= shutdownServices(ctx);
      return closing;
    },
  };
}
