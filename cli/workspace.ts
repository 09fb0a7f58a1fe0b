import { openWorkspace, WorkspaceError, type OpenOptions, type Workspace } from '../db/open';
import { CliError } from './output';

/** Opens a workspace for a command; a folder that is not one (or is too new) is a clear error with exit code 1. */
export function openWorkspaceForCli(dir: string, options?: OpenOptions): Workspace {
  try {
    return openWorkspace(dir, options);
  } catch (err) {
    if (err instanceof WorkspaceError) throw new CliError(err.message, 1);
    throw err;
  }
}
