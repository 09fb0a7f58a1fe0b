/** `fea import` and the import job: Facial-R1 JSONL or folder trees into the workspace, idempotently. */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Workspace } from '../../db/open';
import { vocabulary } from '../../db/repositories';
import { MAX_LINE_BYTES } from '../../pipelines/formats/field-limits';
import { parseFacialR1Line } from '../../pipelines/formats/facial-r1';
import { compileSubjectPattern, scanFolders } from '../../pipelines/formats/folders';
import type { ImportCandidate, LineError } from '../../pipelines/formats/types';
import { countersReport, createIngestContext, ingestBatch, type IngestItem } from './ingest';
import { countLines, readLines } from './lines';
import type { MediaMode } from './media';
import { ImportInputError } from './errors';
import { importNativeDataset } from './datasets';
import { DATASET_FORMATS, IMPORT_FORMATS, type DatasetFormat, type ImportFormat } from '../../pipelines/formats/import-formats';

export { IMPORT_FORMATS, type ImportFormat };

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
  /**
   * How image bytes enter media/: copy (default: the workspace's file is its own, immutable whatever happens to
   * the source) or link (a read-only hard link to the source; a copy where linking is not possible).
   */
  media?: MediaMode;
  /** Folders: import the images of subfolders below an emotion folder too (under its label). */
  recursive?: boolean;
  /** Accept image paths outside the images folder (`..`, absolute paths, symbolic links out of it). */
  allowOutside?: boolean;
  /** Largest image file read, in bytes (default 100 MB). */
  maxImageBytes?: number;
  /** au-csv / disfa: the intensity (0–5) from which an AU counts as present (default 2). */
  auThreshold?: number;
  /** Read and check everything and report what would be imported, writing nothing (the Import view's preview). */
  dryRun?: boolean;
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
  /** Records imported per emotion ('(none)': without one). */
  byEmotion: Record<string, number>;
  /** Nothing was written: the counts are what the import would do. */
  dryRun: boolean;
  format: ImportFormat;
  input: string;
  cancelled: boolean;
  /** Dataset formats: skipped lines counted by why (unknown, NF, tie, none, uncertain, no-face, dropped). */
  skippedBy?: Record<string, number>;
  /** Dataset formats that assign parts (fer2013, ferplus, rafdb): the split and its records per part. */
  split?: { name: string; parts: Record<string, number> } | null;
  /** Dataset formats: the tables read. */
  files?: string[];
  /** Folders: subfolders below an emotion folder, and whether they were imported (--recursive). */
  nestedFolders?: { folder: string; images: number; imported: boolean }[];
  /** Folders: files whose bytes are also under another emotion folder (each is one of the errors). */
  conflicts?: number;
}

/**
 * Folder trees: the same bytes under two emotion folders is a conflict, not a silent relabel. Files are hashed only
 * where another file has the same size. Returns an error per conflicting file (by its ordinal), naming the other.
 */
function labelConflicts(candidates: readonly ImportCandidate[]): Map<number, LineError> {
  const bySize = new Map<number, ImportCandidate[]>();
  for (const c of candidates) {
    const size = fs.statSync(c.imagePath).size;
    bySize.set(size, [...(bySize.get(size) ?? []), c]);
  }
  const out = new Map<number, LineError>();
  for (const group of bySize.values()) {
    if (group.length < 2) continue;
    const byHash = new Map<string, ImportCandidate[]>();
    for (const c of group) {
      const h = createHash('sha256').update(fs.readFileSync(c.imagePath)).digest('hex');
      byHash.set(h, [...(byHash.get(h) ?? []), c]);
    }
    for (const same of byHash.values()) {
      if (new Set(same.map((c) => c.emotion)).size < 2) continue;
      for (const c of same) {
        const others = same.filter((o) => o !== c && o.emotion !== c.emotion).map((o) => `"${o.image}" (${o.emotion})`);
        out.set(c.line, { line: c.line, file: c.image, reason: `the same image is also ${others.join(', ')}: conflicting labels, none of them imported` });
      }
    }
  }
  return out;
}

export { ImportInputError };

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function importDataset(ws: Workspace, input: string, options: ImportOptions = {}): Promise<ImportReport> {
  const format = options.format ?? 'facial-r1';
  const abs = path.resolve(input);
  if (!fs.existsSync(abs)) throw new ImportInputError(`${input} does not exist`);
  if ((DATASET_FORMATS as readonly string[]).includes(format)) return importNativeDataset(ws, abs, format as DatasetFormat, options);
  const st = fs.statSync(abs);
  const isDir = st.isDirectory();
  if (!isDir && !st.isFile()) throw new ImportInputError(`${input} is not a regular file (a device, FIFO or socket); give the JSONL file itself`);
  if (format === 'facial-r1' && isDir) throw new ImportInputError(`${input} is a folder; use --format folders for folder trees, or give the JSONL file`);
  if (format === 'folders' && !isDir) throw new ImportInputError(`${input} is not a folder (--format folders expects ROOT/<emotion>/<images>)`);
  const batchSize = options.batchSize ?? 1000;
  const vocab = { emotions: new Set(vocabulary(ws.db, 'emotion')) };
  const imagesDir = format === 'facial-r1' ? path.resolve(options.imagesDir ?? path.dirname(abs)) : abs;
  if (format === 'facial-r1' && options.imagesDir && !fs.existsSync(imagesDir)) throw new ImportInputError(`--images ${options.imagesDir} does not exist`);
  const maxImageBytes = options.maxImageBytes;
  if (maxImageBytes !== undefined && !(Number.isFinite(maxImageBytes) && maxImageBytes > 0)) throw new ImportInputError(`the image size limit must be a positive number of bytes, got ${maxImageBytes}`);
  const ctx = createIngestContext(ws, options.actor ?? 'system', { source: 'import', format, file: path.basename(abs) }, path.basename(abs), {
    media: options.media ?? 'copy',
    maxImageBytes,
    root: options.allowOutside ? null : imagesDir,
    dryRun: options.dryRun,
    errorsNameImage: format === 'folders',
  });
  let skipped = 0;
  let cancelled = false;
  let nestedFolders: ImportReport['nestedFolders'];
  let conflictCount: number | undefined;

  if (format === 'facial-r1') {
    // Read line by line (memory independent of the file's size); a first streaming pass counts lines for progress.
    const total = await countLines(abs);
    let batch: IngestItem[] = [];
    let done = 0;
    const flush = async () => {
      if (batch.length) await ingestBatch(ctx, batch);
      batch = [];
      options.onProgress?.(done, total);
      await tick();
    };
    for await (const ev of readLines(abs, MAX_LINE_BYTES)) {
      done = ev.line;
      if ('tooLong' in ev) {
        ctx.counters.errors.push({ line: ev.line, reason: `line is ${ev.tooLong} bytes, over the ${MAX_LINE_BYTES}-byte (1 MB) line limit; not read` });
      } else {
        const outcome = parseFacialR1Line(ev.text, ev.line, imagesDir, vocab, { allowOutside: options.allowOutside });
        if (outcome.kind === 'record') batch.push(outcome.record);
        else if (outcome.kind === 'skipped') skipped++;
        else if (outcome.kind === 'error') ctx.counters.errors.push(outcome.error);
      }
      if (batch.length >= batchSize) {
        await flush();
        if (options.signal?.aborted) {
          cancelled = done < total;
          break;
        }
      }
    }
    if (!cancelled) await flush();
  } else {
    const scan = scanFolders(abs, vocab, compileSubjectPattern(options.subjectPattern), { recursive: options.recursive });
    nestedFolders = scan.nestedFolders;
    const conflicts = labelConflicts(scan.candidates);
    conflictCount = conflicts.size;
    scan.candidates = scan.candidates.filter((c) => !conflicts.has(c.line));
    scan.errors.push(...conflicts.values());
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
  return {
    ...(nestedFolders ? { nestedFolders } : {}),
    ...(conflictCount === undefined ? {} : { conflicts: conflictCount }),
    ...countersReport(ctx, skipped),
    dryRun: ctx.dryRun,
    format,
    input: abs,
    cancelled,
  };
}
