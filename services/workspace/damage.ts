/**
 * A damaged workspace is kept read-only: its connection refuses writes, and a call that meets the damage (a write
 * refused, or a page SQLite finds corrupt) answers `workspace_damaged` saying what to do instead of a 500 with SQL text.
 */
import type Database from 'better-sqlite3';
import * as path from 'node:path';
import type { ApiHandlers } from '../../contract/api';
import { ApiError } from '../../contract/dispatch';
import { refuseWrites } from '../../db/repositories';
import { openWorkspace, WorkspaceError, type OpenOptions, type Workspace } from '../../db/open';
import { damagedAdvice, isCorruption, quickIntegrity, sqliteCode } from './check';

export const WORKSPACE_DAMAGED = 'workspace_damaged';

export interface DamageState {
  dir: string;
  /** integrity problems found; [] while the workspace is sound. */
  problems: string[];
}

export function damagedError(state: DamageState): ApiError {
  const first = state.problems[0] ?? 'database damaged';
  const more = state.problems.length > 1 ? ` and ${state.problems.length - 1} more` : '';
  return new ApiError(
    WORKSPACE_DAMAGED,
    `The workspace ${state.dir} is damaged (${first}${more}); it is open read-only and nothing was written. ${damagedAdvice(state.dir)}`,
  );
}

/** Opens a workspace, naming damage that stops even the open (page 1, the schema) as damage, with what to do. */
export function openOrExplain(dir: string, options: OpenOptions = {}): Workspace {
  try {
    return openWorkspace(dir, options);
  } catch (err) {
    if (!isCorruption(err)) throw err;
    throw new WorkspaceError(damagedError({ dir: path.resolve(dir), problems: [(err as Error).message] }).message);
  }
}

/** Wraps every handler so damage met at any time (not only at open) turns the workspace read-only and is named. */
export function guardDamage(handlers: ApiHandlers, db: Database.Database, state: DamageState): ApiHandlers {
  const translate = (err: unknown): unknown => {
    if (isCorruption(err)) {
      if (state.problems.length === 0) {
        state.problems.push(err instanceof Error ? err.message : sqliteCode(err));
        refuseWrites(db);
      }
      return damagedError(state);
    }
    if (state.problems.length > 0 && sqliteCode(err).startsWith('SQLITE_READONLY')) return damagedError(state);
    return err;
  };
  const guarded: Record<string, (input: unknown) => unknown> = {};
  for (const [name, handler] of Object.entries(handlers) as [string, (input: unknown) => unknown][]) {
    guarded[name] = (input) => {
      try {
        const result = handler(input);
        return result instanceof Promise ? result.catch((err: unknown) => Promise.reject(translate(err))) : result;
      } catch (err) {
        throw translate(err);
      }
    };
  }
  return guarded as unknown as ApiHandlers;
}

/** For a command about to report on or change the workspace: refuses a damaged one rather than print numbers from it. */
export function assertSound(ws: Workspace): void {
  const problems = quickIntegrity(ws);
  if (problems.length > 0) throw damagedError({ dir: ws.dir, problems });
}
