/**
 * The CLI is one more adapter over the contract's handlers, as IPC and HTTP are: a command opens the workspace,
 * builds a service context, and calls handlers (or the service functions they call); failures map in cli/output.
 */
import type { ApiHandlers, Input, MethodName, Output } from '../contract/api';
import { ApiError, dispatch } from '../contract/dispatch';
import * as path from 'node:path';
import { openWorkspace } from '../db/open';
import { createContext, type ServiceContext } from '../services/context';
import { assertSound } from '../services/workspace/damage';
import { checkedAsIs, stampChecked } from '../services/workspace/integrity-stamp';

/**
 * Runs a command's work on an open workspace and closes it afterwards, whatever happens. A clean integrity check
 * that stood for the files when the command began still stands when it has closed them: what changed them since was
 * this command, through SQLite's transactions (a killed command leaves the stamp void, so the next reader checks).
 * With `sound`, a workspace whose files no stamp vouches for is checked first (a damaged one is refused), and a clean
 * check is stamped once the files are closed, unless another connection committed meanwhile: the files would then
 * hold writes the check did not see.
 */
export async function withWorkspace<T>(dir: string, work: (ctx: ServiceContext) => T | Promise<T>, options: { sound?: boolean } = {}): Promise<T> {
  const abs = path.resolve(dir);
  const checked = checkedAsIs(abs);
  const ctx = createContext(openWorkspace(dir));
  let stamp = checked;
  try {
    const version = () => ctx.ws.db.pragma('data_version', { simple: true });
    const before = version();
    if (options.sound && !checked) assertSound(ctx.ws);
    const result = await work(ctx);
    stamp ||= options.sound === true && version() === before;
    return result;
  } finally {
    ctx.ws.close();
    if (stamp) stampChecked(abs);
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
