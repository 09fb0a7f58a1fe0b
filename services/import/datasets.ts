/**
 * The field's datasets in their native layouts (fer2013, ferplus, affectnet, rafdb, au-csv, disfa). Every table is
 * streamed line by line (memory bounded by a line and a batch, whatever the file's size), its header checked first;
 * a bad line is reported with its file, line and field and the rest still goes in. Rows become candidates in
 * pipelines/formats, and go through the same idempotent ingest as the Facial-R1 import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Workspace } from '../../db/open';
import { datasetSplitCounts, ensureDatasetSplit, getSplit, recordExists, setSplitSummary, vocabulary } from '../../db/repositories';
import { AFFECTNET_COLUMNS, parseAffectNetRow } from '../../pipelines/formats/affectnet';
import { DEFAULT_AU_THRESHOLD, auTableColumns, disfaSubject, parseAuRow } from '../../pipelines/formats/au-csv';
import { cropToPng } from '../../pipelines/formats/crop';
import { checkHeader, parseCsvLine } from '../../pipelines/formats/csv-fields';
import { FER2013_COLUMNS, FER2013_SPLIT, parseFer2013Row } from '../../pipelines/formats/fer2013';
import { FERPLUS_COLUMNS, FERPLUS_SPLIT, parseFerPlusRow } from '../../pipelines/formats/ferplus';
import { MAX_LINE_BYTES } from '../../pipelines/formats/field-limits';
import { RAFDB_SPLIT, alignedName, parseRafDbLine } from '../../pipelines/formats/rafdb';
import type { DatasetFormat } from '../../pipelines/formats/import-formats';
import type { DatasetCandidate, DatasetOutcome, LineError } from '../../pipelines/formats/types';
import { ImportInputError } from './errors';
import type { ImportOptions, ImportReport } from './import';
import { countersReport, createIngestContext, ingestBatch, type IngestContext, type IngestItem } from './ingest';
import { countLines, readLines, type LineEvent } from './lines';
import { readImageFile } from './media';
import { parseStoredConfig } from '../splits/stored-summary';

export { DATASET_FORMATS, type DatasetFormat } from '../../pipelines/formats/import-formats';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One line of a table: its fields, or an error already naming file and line, or nothing (blank). */
type Row = { line: number; fields: string[] } | { line: number; error: LineError } | { line: number; blank: true };

function toRow(ev: LineEvent, file: string): Row {
  if ('tooLong' in ev) return { line: ev.line, error: { file, line: ev.line, reason: `line is ${ev.tooLong} bytes, over the ${MAX_LINE_BYTES}-byte (1 MB) line limit; not read` } };
  if (ev.text.trim() === '') return { line: ev.line, blank: true };
  const fields = parseCsvLine(ev.text);
  if ('error' in fields) return { line: ev.line, error: { file, line: ev.line, reason: fields.error } };
  return { line: ev.line, fields };
}

/** A table's header line (line 1) and an iterator over the lines after it. */
async function openTable(file: string): Promise<{ header: string | undefined; rest: AsyncGenerator<LineEvent> }> {
  const rest = readLines(file, MAX_LINE_BYTES);
  const first = await rest.next();
  if (first.done) return { header: undefined, rest };
  const ev = first.value;
  if ('tooLong' in ev) throw new ImportInputError(`${file}:1: header: the line is ${ev.tooLong} bytes, over the 1 MB line limit`);
  return { header: ev.text, rest };
}

function headerOrThrow(file: string, header: string | undefined, columns: readonly string[]): Record<string, number> {
  const h = checkHeader(path.basename(file), header, columns);
  if ('error' in h) throw new ImportInputError(`${file}:${h.error.line}: ${h.error.reason}`);
  return h.at;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** `input` itself when it is a file, else `name` inside the folder `input`. */
function tableIn(input: string, name: string, format: string): string {
  if (isFile(input)) return input;
  const f = path.join(input, name);
  if (isFile(f)) return f;
  throw new ImportInputError(`${input} is a folder without ${name}; --format ${format} expects ${name} or the folder holding it`);
}

interface Plan {
  files: string[];
  /** Lines to read in all (for progress). */
  total: number;
  splitName: string | null;
  rows: AsyncGenerator<DatasetOutcome & { line: number }>;
  /** Root source images must lie in (null: any path, or pixels in the table). */
  root: string | null;
}

async function* outcomes(rows: AsyncIterable<LineEvent>, file: string, parse: (fields: string[], line: number, ordinal: number) => DatasetOutcome): AsyncGenerator<DatasetOutcome & { line: number }> {
  let ordinal = 0;
  for await (const ev of rows) {
    const row = toRow(ev, file);
    if ('blank' in row) continue;
    if ('error' in row) {
      ordinal++;
      yield { kind: 'error', error: row.error, line: row.line };
      continue;
    }
    const out = parse(row.fields, row.line, ordinal++);
    yield { ...out, line: row.line } as DatasetOutcome & { line: number };
  }
}

async function planFer2013(input: string): Promise<Plan> {
  const file = tableIn(input, 'fer2013.csv', 'fer2013');
  const name = path.basename(file);
  const total = await countLines(file);
  const { header, rest } = await openTable(file);
  const at = headerOrThrow(file, header, FER2013_COLUMNS);
  return { files: [file], total, splitName: FER2013_SPLIT, root: null, rows: outcomes(rest, name, (f, line, row) => parseFer2013Row(f, at, line, row, name)) };
}

async function planFerPlus(input: string): Promise<Plan> {
  const plusFile = tableIn(input, 'fer2013new.csv', 'ferplus');
  const dir = path.dirname(plusFile);
  const ferFile = path.join(dir, 'fer2013.csv');
  if (!isFile(ferFile)) throw new ImportInputError(`${ferFile} does not exist; --format ferplus reads FERPlus' fer2013new.csv with FER2013's fer2013.csv beside it (the pixels)`);
  const plusName = path.basename(plusFile);
  const ferName = path.basename(ferFile);
  const total = await countLines(plusFile);
  const fer = await openTable(ferFile);
  const plus = await openTable(plusFile);
  const ferAt = headerOrThrow(ferFile, fer.header, FER2013_COLUMNS);
  const plusAt = headerOrThrow(plusFile, plus.header, FERPLUS_COLUMNS);
  async function* rows(): AsyncGenerator<DatasetOutcome & { line: number }> {
    let row = 0;
    for (;;) {
      const [a, b] = await Promise.all([fer.rest.next(), plus.rest.next()]);
      if (a.done && b.done) return;
      const line = row + 2;
      if (a.done || b.done) {
        const short = a.done ? ferName : plusName;
        yield { kind: 'error', line, error: { file: short, line, reason: `${short} ends at line ${line - 1} while ${a.done ? plusName : ferName} goes on: the files are not row-aligned; the rest is not imported` } };
        return;
      }
      const ra = toRow(a.value, ferName);
      const rb = toRow(b.value, plusName);
      row++;
      if ('error' in ra) yield { kind: 'error', line, error: ra.error };
      else if ('error' in rb) yield { kind: 'error', line, error: rb.error };
      else if ('blank' in ra || 'blank' in rb) {
        if (!('blank' in ra && 'blank' in rb)) yield { kind: 'error', line, error: { file: 'blank' in ra ? ferName : plusName, line, reason: 'blank line where the other file has a row' } };
      } else yield { ...parseFerPlusRow({ fields: ra.fields, at: ferAt, file: ferName }, { fields: rb.fields, at: plusAt, file: plusName }, line, row - 1), line } as DatasetOutcome & { line: number };
    }
  }
  return { files: [ferFile, plusFile], total, splitName: FERPLUS_SPLIT, root: null, rows: rows() };
}

async function planAffectNet(input: string, options: ImportOptions): Promise<Plan> {
  const files = isFile(input) ? [input] : ['training.csv', 'validation.csv'].map((n) => path.join(input, n)).filter(isFile);
  if (files.length === 0) throw new ImportInputError(`${input} holds neither training.csv nor validation.csv; --format affectnet expects one of them or their folder`);
  const dir = path.dirname(files[0]);
  const imagesDir = path.resolve(options.imagesDir ?? (isDir(path.join(dir, 'Manually_Annotated_Images')) ? path.join(dir, 'Manually_Annotated_Images') : dir));
  if (!isDir(imagesDir)) throw new ImportInputError(`--images ${imagesDir} does not exist`);
  let total = 0;
  const tables: { file: string; at: Record<string, number>; rest: AsyncGenerator<LineEvent> }[] = [];
  for (const f of files) {
    total += await countLines(f);
    const t = await openTable(f);
    tables.push({ file: f, at: headerOrThrow(f, t.header, AFFECTNET_COLUMNS), rest: t.rest });
  }
  async function* rows(): AsyncGenerator<DatasetOutcome & { line: number }> {
    for (const t of tables) {
      const name = path.basename(t.file);
      const set = name.replace(/\.csv$/i, '');
      for await (const o of outcomes(t.rest, name, (f, line) => parseAffectNetRow(f, t.at, line, name, imagesDir, options.allowOutside))) {
        if (o.kind === 'record') (o.record.meta.affectnet as Record<string, unknown>).set = set;
        yield o;
      }
    }
  }
  return { files, total, splitName: null, root: options.allowOutside ? null : imagesDir, rows: rows() };
}

async function planRafDb(input: string, options: ImportOptions): Promise<Plan> {
  let file = input;
  if (!isFile(input)) {
    file = [path.join(input, 'EmoLabel', 'list_patition_label.txt'), path.join(input, 'list_patition_label.txt')].find(isFile) ?? '';
    if (!file) throw new ImportInputError(`${input} holds no EmoLabel/list_patition_label.txt; --format rafdb expects that file or RAF-DB's basic/ folder`);
  }
  const base = path.basename(path.dirname(file)) === 'EmoLabel' ? path.dirname(path.dirname(file)) : path.dirname(file);
  let imagesDir: string;
  let naming: (n: string) => string = (n) => n;
  if (options.imagesDir) imagesDir = path.resolve(options.imagesDir);
  else if (isDir(path.join(base, 'Image', 'aligned'))) {
    imagesDir = path.join(base, 'Image', 'aligned');
    naming = alignedName;
  } else if (isDir(path.join(base, 'Image', 'original'))) imagesDir = path.join(base, 'Image', 'original');
  else imagesDir = path.dirname(file);
  if (!isDir(imagesDir)) throw new ImportInputError(`--images ${imagesDir} does not exist`);
  // Given an aligned folder with --images: its files carry the _aligned suffix.
  if (options.imagesDir && path.basename(imagesDir) === 'aligned') naming = alignedName;
  const name = path.basename(file);
  const total = await countLines(file);
  async function* rows(): AsyncGenerator<DatasetOutcome & { line: number }> {
    for await (const ev of readLines(file, MAX_LINE_BYTES)) {
      if ('tooLong' in ev) {
        yield { kind: 'error', line: ev.line, error: { file: name, line: ev.line, reason: `line is ${ev.tooLong} bytes, over the 1 MB line limit; not read` } };
        continue;
      }
      const o = parseRafDbLine(ev.text, ev.line, name, imagesDir, naming);
      if (o.kind !== 'blank') yield { ...o, line: ev.line } as DatasetOutcome & { line: number };
    }
  }
  return { files: [file], total, splitName: RAFDB_SPLIT, root: imagesDir, rows: rows() };
}

async function planAuTable(input: string, format: 'au-csv' | 'disfa', options: ImportOptions, ws: Workspace): Promise<Plan> {
  if (!isFile(input)) throw new ImportInputError(`${input} is not a file; --format ${format} expects a CSV with an image column and AU<n> columns`);
  const threshold = options.auThreshold ?? DEFAULT_AU_THRESHOLD;
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > 5) throw new ImportInputError(`the AU threshold must be an integer 1–5, got ${threshold}`);
  const imagesDir = path.resolve(options.imagesDir ?? path.dirname(input));
  if (!isDir(imagesDir)) throw new ImportInputError(`--images ${imagesDir} does not exist`);
  const name = path.basename(input);
  const total = await countLines(input);
  const { header, rest } = await openTable(input);
  if (header === undefined) throw new ImportInputError(`${input}:1: header: the file is empty`);
  const fields = parseCsvLine(header);
  if ('error' in fields) throw new ImportInputError(`${input}:1: header: ${fields.error}`);
  const t = auTableColumns(name, fields);
  if ('error' in t) throw new ImportInputError(`${input}:1: ${t.error.reason}`);
  const vocab = { emotions: new Set(vocabulary(ws.db, 'emotion')) };
  const source = format === 'disfa' ? 'DISFA' : name.replace(/\.csv$/i, '');
  const rowOptions = { imagesDir, threshold, vocab, source, subjectOf: format === 'disfa' ? disfaSubject : undefined, allowOutside: options.allowOutside };
  return { files: [input], total, splitName: null, root: options.allowOutside ? null : imagesDir, rows: outcomes(rest, name, (f, line) => parseAuRow(f, t, line, name, rowOptions)) };
}

/** AffectNet: the source image is read (safely, as every import reads images) and its face box cut out as a PNG. */
async function cropped(ctx: IngestContext, items: DatasetCandidate[]): Promise<IngestItem[]> {
  const out: IngestItem[] = [];
  for (const item of items) {
    // A record already imported is only counted as a duplicate by ingest: its image need not be read again.
    if (!item.crop || recordExists(ctx.ws.db, item.id)) {
      out.push(item);
      continue;
    }
    const r = await readImageFile(item.imagePath, item.image, ctx.maxImageBytes, ctx.root);
    if ('error' in r) {
      ctx.counters.errors.push({ line: item.line, field: 'image', reason: r.error });
      continue;
    }
    try {
      out.push({ ...item, bytes: await cropToPng(r.bytes, item.crop) });
    } catch (err) {
      ctx.counters.errors.push({ line: item.line, reason: `image ${item.image}: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
  return out;
}

export async function importNativeDataset(ws: Workspace, abs: string, format: DatasetFormat, options: ImportOptions): Promise<ImportReport> {
  const maxImageBytes = options.maxImageBytes;
  if (maxImageBytes !== undefined && !(Number.isFinite(maxImageBytes) && maxImageBytes > 0)) throw new ImportInputError(`the image size limit must be a positive number of bytes, got ${maxImageBytes}`);
  const plan =
    format === 'fer2013'
      ? await planFer2013(abs)
      : format === 'ferplus'
        ? await planFerPlus(abs)
        : format === 'affectnet'
          ? await planAffectNet(abs, options)
          : format === 'rafdb'
            ? await planRafDb(abs, options)
            : await planAuTable(abs, format, options, ws);
  let splitId: number | null = null;
  if (plan.splitName) {
    const name = plan.splitName;
    const existing = getSplit(ws.db, name);
    const made = existing ? parseStoredConfig(name, existing.config) : null;
    if (made && !(made.source === 'import' && made.format === format)) {
      throw new ImportInputError(`a split named "${name}" exists that no ${format} import made; the import would add its parts to it (rename or remove that split first)`);
    }
    if (!options.dryRun) splitId = ws.db.transaction(() => ensureDatasetSplit(ws.db, name, { source: 'import', format, files: plan.files.map((f) => path.basename(f)) })).immediate();
  }
  const ctx = createIngestContext(ws, options.actor ?? 'system', { source: 'import', format, file: plan.files.map((f) => path.basename(f)).join('+') }, path.basename(plan.files[plan.files.length - 1]), {
    media: options.media ?? 'copy',
    maxImageBytes,
    root: plan.root,
    splitId,
    dryRun: options.dryRun,
  });
  const batchSize = options.batchSize ?? 1000;
  const skippedBy: Record<string, number> = {};
  let skipped = 0;
  let cancelled = false;
  let batch: DatasetCandidate[] = [];
  let done = 0;
  const flush = async () => {
    if (batch.length) await ingestBatch(ctx, await cropped(ctx, batch));
    batch = [];
    options.onProgress?.(done, plan.total);
    await tick();
  };
  for await (const o of plan.rows) {
    done = o.line;
    if (o.kind === 'record') batch.push(o.record);
    else if (o.kind === 'skipped') {
      skipped++;
      skippedBy[o.reason] = (skippedBy[o.reason] ?? 0) + 1;
    } else if (o.kind === 'error') ctx.counters.errors.push(o.error);
    if (batch.length >= batchSize) {
      await flush();
      if (options.signal?.aborted) {
        cancelled = done < plan.total;
        break;
      }
    }
  }
  if (!cancelled) await flush();
  let split: ImportReport['split'] = null;
  if (splitId !== null && plan.splitName) {
    const parts: Record<string, { n: number; byEmotion: Record<string, number> }> = {};
    let n = 0;
    for (const c of datasetSplitCounts(ws.db, splitId)) {
      const p = (parts[c.part] ??= { n: 0, byEmotion: {} });
      p.n += c.n;
      n += c.n;
      if (c.emotion) p.byEmotion[c.emotion] = c.n;
    }
    const fractions = Object.fromEntries(Object.entries(parts).map(([k, p]) => [k, n ? Math.round((p.n / n) * 1e6) / 1e6 : 0]));
    ws.db.transaction(() => setSplitSummary(ws.db, splitId!, { parts, maxStratDeviation: 0, sharedSubjects: 0, fractions })).immediate();
    split = { name: plan.splitName, parts: Object.fromEntries(Object.entries(parts).map(([k, p]) => [k, p.n])) };
  } else if (options.dryRun && plan.splitName) {
    split = { name: plan.splitName, parts: { ...ctx.counters.byPart } };
  }
  return {
    ...countersReport(ctx, skipped),
    dryRun: ctx.dryRun,
    format,
    input: abs,
    cancelled,
    skippedBy,
    split,
    files: plan.files,
  };
}
