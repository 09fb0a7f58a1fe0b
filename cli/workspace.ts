/**
 * The CLI is one more adapter over the contract's handlers, as IPC and HTTP are: a command opens the workspace,
 * builds a service context, and calls handlers (or the service functions they call); failures map in cli/output.
 */
import type { ApiHandlers, Input, MethodName, Output } from '../contract/api';
import { ApiError, dispatch } from '../contract/dispatch';
import * as path from 'node:path';
import { openWorkspace } from '../db/open';
import { createContext, type ServiceContext } from '../services/context';
import { checkedAsIs, stampChecked } from '../services/workspace/integrity-stamp';

/**
 * Runs a command's work on an open workspace and closes it afterwards, whatever happens. A clean integrity check
 * that stood for the files when the command began still stands when it has closed them: what changed them since was
 * this command, through SQLite's transactions (a killed command leaves the stamp void, so the next reader checks).
 */
export async function withWorkspace<T>(dir: string, work: (ctx: ServiceContext) => T | Promise<T>): Promise<T> {
  const abs = path.resolve(dir);
  const checked = checkedAsIs(abs);
  const ctx = createContext(openWorkspace(dir));
  try {
    return await work(ctx);
  } finally {
    ctx.ws.close();
    if (checked) stampChecked(abs);
  }
}

/**
 * Calls one contract method as the transports do: the contract validates the input, the handler runs, and a
 * refusal comes back as an ApiError. `handlers` may be one area's (services/<area>/handlers.ts): only `name` is used.
 */
export async function call<K extends MethodName>(handlers: Pick<ApiHandlers, K>, name: K, input: Input<K>): Promise<Output<K>> {
  const result = await dispatch(handlers as ApiHandlers, name, input);
  if (!result.ok) throw new ApiError(result.error.code, result.error.message);
  return result.value as Output<K>;
}
