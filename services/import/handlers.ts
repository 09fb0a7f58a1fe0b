/**
 * The Import view's methods: a preview (the import run dry: everything read and checked, nothing written) and the
 * import itself as a job. Both go through importDataset, as `fea import` does. The path names a file or folder on
 * the machine the service runs on; it is checked here (absolute, present, readable, of the kind the format reads).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ApiHandlers } from '../../contract/api';
import { ApiError } from '../../contract/dispatch';
import { IMPORT_INPUT_KINDS, MAX_REPORT_ERRORS, type ImportFormat } from '../../contract/import';
import { getUser } from '../../db/repositories';
import type { ServiceContext } from '../context';
import { ImportInputError } from './errors';
import { importDataset, type ImportOptions } from './import';
import { importSummary } from './summary';

export type ImportMethods = 'import.preview' | 'import.start';

/** Records per transaction in the UI's import: small enough that progress moves and a cancel is honoured soon. */
const UI_BATCH = 200;

/** An absolute path that exists and can be read (a folder: listed too); returns it resolved. */
export function checkReadablePath(p: string, what: string): { abs: string; isDir: boolean } {
  if (!path.isAbsolute(p)) throw new ApiError('invalid_input', `${what} must be an absolute path, got "${p}"`);
  const abs = path.resolve(p);
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ApiError('not_found', `${what} ${abs} does not exist`);
    throw new ApiError('forbidden', `${what} ${abs} cannot be read (${code ?? String(err)})`);
  }
  const isDir = st.isDirectory();
  if (!isDir && !st.isFile()) throw new ApiError('invalid_input', `${what} ${abs} is not a regular file or folder (a device, FIFO or socket)`);
  try {
    fs.accessSync(abs, isDir ? fs.constants.R_OK | fs.constants.X_OK : fs.constants.R_OK);
  } catch {
    throw new ApiError('forbidden', `${what} ${abs} cannot be read (permission denied)`);
  }
  return { abs, isDir };
}

function checkSource(i: { path: string; format: ImportFormat; images?: string }): string {
  const { abs, isDir } = checkReadablePath(i.path, 'The import path');
  const kind = IMPORT_INPUT_KINDS[i.format];
  if (kind === 'file' && isDir) {
    throw new ApiError('invalid_input', `${abs} is a folder; the ${i.format} format reads a file${i.format === 'facial-r1' ? ' (a JSONL file; choose "folders" for a tree of emotion folders)' : ''}`);
  }
  if (kind === 'folder' && !isDir) throw new ApiError('invalid_input', `${abs} is a file; the folders format reads a folder whose subfolders are emotions`);
  if (i.images !== undefined) {
    if (i.format === 'folders' || i.format === 'fer2013' || i.format === 'ferplus') throw new ApiError('invalid_input', `an images folder does not apply to the ${i.format} format`);
    if (!checkReadablePath(i.images, 'The images folder').isDir) throw new ApiError('invalid_input', `The images folder ${i.images} is a file`);
  }
  return abs;
}

const inputError = (err: unknown) => (err instanceof ImportInputError ? new ApiError('invalid_input', err.message) : err);

export function importHandlers(ctx: ServiceContext): Pick<ApiHandlers, ImportMethods> {
  const ws = ctx.ws;
  const options = (i: { format: ImportFormat; recursive: boolean; images?: string }): ImportOptions => ({
    format: i.format,
    recursive: i.recursive,
    imagesDir: i.images,
    batchSize: UI_BATCH,
  });
  return {
    'import.preview': async ({ maxErrors, ...i }) => {
      const abs = checkSource(i);
      try {
        return importSummary(await importDataset(ws, abs, { ...options(i), dryRun: true }), maxErrors);
      } catch (err) {
        throw inputError(err);
      }
    },
    'import.start': ({ userId, ...i }) => {
      const abs = checkSource(i);
      const user = userId === undefined ? undefined : getUser(ws.db, userId);
      if (userId !== undefined && !user) throw new ApiError('not_found', `User ${userId} does not exist`);
      const job = ctx.jobs.start('import', 0, `reading ${path.basename(abs)}`);
      void importDataset(ws, abs, {
        ...options(i),
        actor: user?.name,
        signal: job.signal,
        onProgress: (done, total) => job.progress(done, total, `${done} of ${total} ${i.format === 'folders' ? 'files' : 'lines'}`),
      }).then(
        (r) => {
          ctx.events.publish({ type: 'records.changed', ids: [], all: true });
          const result = { kind: 'import' as const, report: importSummary(r, MAX_REPORT_ERRORS) };
          const msg = `${r.imported} imported, ${r.duplicates} already in the workspace, ${r.errors.length} error${r.errors.length === 1 ? '' : 's'}`;
          if (r.cancelled) job.stopped(`stopped: ${msg}`, result);
          else job.finish(msg, result);
        },
        (err: unknown) => {
          ctx.events.publish({ type: 'records.changed', ids: [], all: true });
          job.fail(inputError(err));
        },
      );
      return { jobId: job.id };
    },
  };
}
