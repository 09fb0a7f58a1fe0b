/** `fea import` and the import job: Facial-R1 JSONL or folder trees into the workspace, idempotently. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Workspace } from '../../db/open';
import { vocabulary } from '../../db/repositories';
import { parseFacialR1Line } from '../../pipelines/formats/facial-r1';
import { compileSubjectPattern, scanFolders } from '../../pipelines/formats/folders';
import type { LineError } from '../../pipelines/formats/types';
import { createIngestContext, ingestBatch, type IngestItem, type MediaMode } from './ingest';

export type ImportFormat = 'facial-r1' | 'folders';

export interface ImportOptions {
  format?: ImportFormat;
  /** Root that JSONL image paths are relative to; defaults to the JSONL file's folder. */
  imagesDir?: string;
  /** Folders only: a regex whose first capture group is the subject id, matched against the file name. */
  subjectPattern?: string;
  actor?: string;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  batchSize?: number;
  /** How image bytes enter media/: hard link to the source file (default; copy when that fails) or copy. */
  media?: MediaMode;
}

export interface ImportReport {
  imported: number;
  /** Lines with is_valid: false. */
  skipped: number;
  /** Records whose id is already in the workspace (or earlier in the same input). */
  duplicates: number;
  weak: number;
  /** Number of label and AU values rewritten to their canonical form. */
  normalised: number;
  errors: LineError[];
  labeled: number;
  unlabeled: number;
  normalisedLabels: number;
  normalisedAUs: number;
  images: { new: number; reused: number; linked: number; copied: number };
  vocabularyAdded: string[];
  format: ImportFormat;
  input: string;
  cancelled: boolean;
}

export class ImportInputError extends Error {}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function importDataset(ws: Workspace, input: string, options: ImportOptions = {}): Promise<ImportReport> {
  const format = options.format ?? 'facial-r1';
  const abs = path.resolve(input);
  if (!fs.existsSync(abs)) throw new ImportInputError(`${input} does not exist`);
  const isDir = fs.statSync(abs).isDirectory();
  if (format === 'facial-r1' && isDir) throw new ImportInputError(`${input} is a folder; use --format folders for folder trees, or give the JSONL file`);
  if (format === 'folders' && !isDir) throw new ImportInputError(`${input} is not a folder (--format folders expects ROOT/<emotion>/<images>)`);
  const batchSize = options.batchSize ?? 1000;
  const vocab = { emotions: new Set(vocabulary(ws.db, 'emotion')) };
  const ctx = createIngestContext(ws, options.actor ?? 'system', { source: 'import', format, file: path.basename(abs) }, path.basename(abs), options.media ?? 'link');
  let skipped = 0;
  let cancelled = false;

  if (format === 'facial-r1') {
    const imagesDir = path.resolve(options.imagesDir ?? path.dirname(abs));
    if (options.imagesDir && !fs.existsSync(imagesDir)) throw new ImportInputError(`--images ${options.imagesDir} does not exist`);
    const text = fs.readFileSync(abs, 'utf8');
    const lines = text.split(/\r?\n/);
    if (lines.length && lines[lines.length - 1] === '') lines.pop();
    const total = lines.length;
    let batch: IngestItem[] = [];
    for (let i = 0; i < lines.length; i++) {
      const outcome = parseFacialR1Line(lines[i].replace(/^\uFEFF/, ''), i + 1, imagesDir, vocab);
      if (outcome.kind === 'record') batch.push(outcome.record);
      else if (outcome.kind === 'skipped') skipped++;
      else if (outcome.kind === 'error') ctx.counters.errors.push(outcome.error);
      if (batch.length >= batchSize || i === lines.length - 1) {
        if (batch.length) await ingestBatch(ctx, batch);
        batch = [];
        options.onProgress?.(i + 1, total);
        await tick();
        if (options.signal?.aborted) {
          cancelled = i < lines.length - 1;
          break;
        }
      }
    }
    if (lines.length === 0) options.onProgress?.(0, 0);
  } else {
    const scan = scanFolders(abs, vocab, compileSubjectPattern(options.subjectPattern));
    ctx.counters.errors.push(...scan.errors);
    const total = scan.candidates.length + scan.errors.length;
    for (let i = 0; i < scan.candidates.length; i += batchSize) {
      await ingestBatch(ctx, scan.candidates.slice(i, i + batchSize));
      options.onProgress?.(Math.min(i + batchSize, scan.candidates.length) + scan.errors.length, total);
      await tick();
      if (options.signal?.aborted && i + batchSize < scan.candidates.length) {
        cancelled = true;
        break;
      }
    }
  }
  const c = ctx.counters;
  c.errors.sort((a, b) => a.line - b.line);
  return {
    imported: c.imported,
    skipped,
    duplicates: c.duplicates,
    weak: c.weak,
    normalised: c.normalised,
    errors: c.errors,
    labeled: c.labeled,
    unlabeled: c.unlabeled,
    normalisedLabels: c.normalisedLabels,
    normalisedAUs: c.normalisedAUs,
    images: { new: c.imagesNew, reused: c.imagesReused, linked: c.mediaLinked, copied: c.mediaCopied },
    vocabularyAdded: c.vocabularyAdded,
    format,
    input: abs,
    cancelled,
  };
}
