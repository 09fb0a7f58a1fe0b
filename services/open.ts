/** Opens a workspace and builds the services both transports serve. The one place the adapters (electron/, server/) reach db/. */
import { refuseWrites } from '../db/repositories';
import { createContext, type ServiceContext } from './context';
import { createHandlers } from './handlers';
import { shutdownServices } from './lifecycle';
import { guardDamage, openOrExplain, type DamageState } from './workspace/damage';
import { quickIntegrity } from './workspace/check';
import type { ApiHandlers } from '../contract/api';

export interface OpenedServices {
  ctx: ServiceContext;
  handlers: ApiHandlers;
  /** Set when the workspace is damaged: it is then open read-only and writes answer `workspace_damaged`. */
  damage: DamageState;
  /** Cancels jobs, lets training runs checkpoint, then closes the workspace. */
  close(): Promise<void>;
}

export function openServices(workspaceDir: string): OpenedServices {
  const ws = openOrExplain(workspaceDir);
  // A damaged database answers reads with errors and may take writes that make it worse: find out before serving.
  const damage: DamageState = { dir: ws.dir, problems: quickIntegrity(ws) };
  if (damage.problems.length > 0) refuseWrites(ws.db);
  const ctx = createContext(ws);
  const handlers = guardDamage(createHandlers(ctx), ws.db, damage);
  let closing: Promise<void> | null = null;
  return {
    ctx,
    handlers,
    damage,
    close() {
      closing ??= shutdownServices(ctx);
      return closing;
    },
  };
}
