/** Creates a workspace folder, optionally filled with N deterministic demo faces (fea init, first run of npm start). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DB_FILE, openWorkspace, WorkspaceError } from '../../db/open';
import { appendAudit, countRecords } from '../../db/repositories';
import { generateDemoFaces } from '../../fixtures/demo/generate';
import { sortAUs } from '../../pipelines/facs/vocabulary';
import { createIngestContext, ingestBatch, type IngestItem } from '../import/ingest';
import { stampChecked } from './integrity-stamp';

export interface InitOptions {
  demo?: number;
  seed?: number;
  /** phase is 'render' (drawing faces) or 'ingest' (writing them). */
  onProgress?: (done: number, total: number, phase: 'render' | 'ingest') => void;
}

export interface InitResult {
  dir: string;
  records: number;
  demo: number;
  seed: number | null;
}

export const DEMO_SOURCE = 'demo';

/** Creates the workspace at `dir` (refusing an existing one), then ingests the demo faces if asked. The workspace is closed again. */
export async function initWorkspace(dir: string, options: InitOptions = {}): Promise<InitResult> {
  const abs = path.resolve(dir);
  if (fs.existsSync(path.join(abs, DB_FILE))) throw new WorkspaceError(`${abs} is already an FEA Studio workspace`);
  if (fs.existsSync(abs) && !fs.statSync(abs).isDirectory()) throw new WorkspaceError(`${abs} exists and is not a folder`);
  const demo = options.demo ?? 0;
  if (!Number.isInteger(demo) || demo < 0) throw new WorkspaceError(`--demo must be a whole number ≥ 0, got ${options.demo}`);
  const seed = options.seed ?? 1;
  const ws = openWorkspace(abs, { create: true });
  let result: InitResult;
  try {
    appendAudit(ws.db, { actor: 'system', action: 'init', entity: 'workspace', entityId: path.basename(abs), detail: { demo, seed: demo ? seed : null } });
    if (demo > 0) {
      const faces = await generateDemoFaces({ n: demo, seed, onProgress: (d, t) => options.onProgress?.(d, t, 'render') });
      const ctx = createIngestContext(ws, 'system', { source: DEMO_SOURCE, generator: 'demo-generator', seed }, `demo:${seed}`);
      const batchSize = 500;
      for (let i = 0; i < faces.length; i += batchSize) {
        const items: IngestItem[] = faces.slice(i, i + batchSize).map((f, k) => ({
          line: i + k + 1,
          id: f.id,
          source: DEMO_SOURCE,
          question: null,
          emotion: f.emotion,
          aus: sortAUs(f.aus),
          reasoning: f.reasoning,
          subject: f.subject,
          image: f.fileName,
          imagePath: f.fileName,
          meta: { meta_info: { subject: f.subject }, image: f.fileName, demo: { seed } },
          normalised: [],
          bytes: f.png,
          status: 'labeled',
        }));
        await ingestBatch(ctx, items);
        options.onProgress?.(Math.min(i + batchSize, faces.length), faces.length, 'ingest');
      }
      if (ctx.counters.errors.length) {
        throw new WorkspaceError(`demo faces failed to import: ${ctx.counters.errors.slice(0, 3).map((e) => e.reason).join('; ')}`);
      }
    }
    result = { dir: abs, records: countRecords(ws.db), demo, seed: demo ? seed : null };
  } finally {
    ws.close();
  }
  // a database this process created and closed cleanly needs no check before its first read
  stampChecked(abs);
  return result;
}
