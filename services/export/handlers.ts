/**
 * The export view's methods: a preview (the datasheet an export would get, the split's leakage report), an engine
 * export run as a job, and the datasheet of a finished export. The server writes only into the folder the user
 * names: an absolute path, outside the workspace's media and database.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ApiHandlers } from '../../contract/api';
import { ApiError } from '../../contract/dispatch';
import type { ExportPreview, SplitLeakage } from '../../contract/types';
import { recordImageKeys } from '../../db/repositories/rounds';
import type { Workspace } from '../../db/open';
import { getSnapshot } from '../../db/repositories/snapshots';
import { getSplit } from '../../db/repositories/splits';
import { getUser } from '../../db/repositories';
import type { ServiceContext } from '../context';
import { parseStoredSummary } from '../splits/stored-summary';
import { buildDatasheet, DATASHEET_FILES, DatasheetFile } from './datasheet';
import { exportEngine } from './engines';
import { MANIFEST_FILE, previousExport } from './output-guard';

export type ExportMethods = 'export.preview' | 'export.start' | 'export.datasheet';

const inside = (root: string, p: string) => {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/** The real path of p, or of its nearest existing ancestor joined with the rest (symlinks cannot smuggle it in). */
function realish(p: string): string {
  const rest: string[] = [];
  let cur = p;
  for (;;) {
    try {
      return path.join(fs.realpathSync(cur), ...rest.reverse());
    } catch {
      const up = path.dirname(cur);
      if (up === cur) return p;
      rest.push(path.basename(cur));
      cur = up;
    }
  }
}

/** An output folder the user named: absolute, and not inside the workspace's media dir nor the workspace folder itself. */
export function checkOutputDir(ws: Workspace, outDir: string): string {
  if (!path.isAbsolute(outDir)) throw new ApiError('invalid_input', `The output folder must be an absolute path, got "${outDir}"`);
  const out = path.resolve(outDir);
  const real = realish(out);
  const wsDir = realish(path.resolve(ws.dir));
  const media = realish(path.resolve(ws.mediaDir));
  if (inside(media, real)) throw new ApiError('forbidden', `The output folder ${out} is inside the workspace's media (${ws.mediaDir})`);
  if (real === wsDir) throw new ApiError('forbidden', `The output folder ${out} is the workspace folder itself`);
  if (inside(real, wsDir)) throw new ApiError('forbidden', `The output folder ${out} holds the workspace (${ws.dir})`);
  return out;
}

function checkSelection(ws: Workspace, i: { split?: string | null; snapshot?: number | null }): { split?: string; snapshot?: number } {
  if (i.split && !getSplit(ws.db, i.split)) throw new ApiError('not_found', `No split named "${i.split}"`);
  if (i.snapshot && !getSnapshot(ws.db, i.snapshot)) throw new ApiError('not_found', `No snapshot ${i.snapshot}`);
  return { split: i.split ?? undefined, snapshot: i.snapshot ?? undefined };
}

function imageKeys(ws: Workspace, ids: string[]): Record<string, string> {
  return Object.fromEntries([...recordImageKeys(ws.db, [...new Set(ids)])].filter(([, key]) => key !== ''));
}

export function exportPreview(ws: Workspace, i: { split?: string | null; snapshot?: number | null }): ExportPreview {
  const sel = checkSelection(ws, i);
  const datasheet = buildDatasheet(ws, { format: 'preview', ...sel });
  const stored = sel.split ? getSplit(ws.db, sel.split) : undefined;
  const leakage = stored ? ((parseStoredSummary(stored.name, stored.summary).leakage ?? null) as SplitLeakage | null) : null;
  const pairs = leakage ? [...leakage.examples.nearDuplicates, ...leakage.examples.exactDuplicates] : [];
  return { datasheet, leakage, images: imageKeys(ws, pairs.flatMap((p) => [p.a, p.b])) };
}

export function exportHandlers(ctx: ServiceContext): Pick<ApiHandlers, ExportMethods> {
  const ws = ctx.ws;
  return {
    'export.preview': (i) => exportPreview(ws, i),
    'export.start': ({ format, outDir, force, link, userId, ...selection }) => {
      const sel = checkSelection(ws, selection);
      const out = checkOutputDir(ws, outDir);
      const user = userId === undefined ? undefined : getUser(ws.db, userId);
      if (userId !== undefined && !user) throw new ApiError('not_found', `User ${userId} does not exist`);
      const prev = previousExport(out);
      if (prev && !force) throw new ApiError('conflict', `${out} already holds an export (${prev.marker}): tick "replace" to overwrite it`);
      const job = ctx.jobs.start('export', 0, `exporting ${format} to ${out}`);
      void exportEngine(ws, out, format, {
        ...sel,
        force,
        link,
        actor: user?.name,
        signal: job.signal,
        onProgress: (done, total) => job.progress(done, total, `${done} of ${total} records`),
      }).then(
        (r) => (r.cancelled ? job.stopped(`stopped: ${r.records} records written, nothing marked complete`) : job.finish(`${r.records} records, ${r.images} images in ${r.outDir}`)),
        (err) => job.fail(err),
      );
      return { jobId: job.id };
    },
    'export.datasheet': ({ outDir }) => {
      const out = checkOutputDir(ws, outDir);
      if (!fs.existsSync(path.join(out, MANIFEST_FILE))) throw new ApiError('not_found', `${out} holds no finished export (no ${MANIFEST_FILE})`);
      const read = (f: string) => {
        try {
          return fs.readFileSync(path.join(out, f), 'utf8');
        } catch {
          throw new ApiError('not_found', `${out} has no ${f}`);
        }
      };
      const file = path.join(out, DATASHEET_FILES.json);
      let raw: unknown;
      try {
        raw = JSON.parse(read(DATASHEET_FILES.json));
      } catch (e) {
        if (e instanceof ApiError) throw e;
        throw new ApiError('invalid_input', `${file}: not JSON (${e instanceof Error ? e.message : String(e)})`);
      }
      const parsed = DatasheetFile.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ApiError('invalid_input', `${file}: field ${issue.path.join('.') || '(root)'}: ${issue.message}`);
      }
      return { datasheet: parsed.data, markdown: read(DATASHEET_FILES.md) };
    },
  };
}
