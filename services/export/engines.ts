/**
 * `fea export --format llama-factory|trl|verl|easyr1`: the training engines' formats (training-engines.md §2).
 * Streams: images and records are read in keyset pages, so neither sits in memory whole; each data file is written
 * under a `.partial` name, hashed as it is written, and renamed only when the export completes; `manifest.json`
 * (every file with its sha256 and size) is written last, so a cancelled or killed export never looks complete.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Workspace } from '../../db/open';
import { getSnapshot } from '../../db/repositories/snapshots';
import { appendAudit, engineExportCounts, engineExportImagePage, engineExportPage, getMeta, getSplit, vocabulary, type EngineExportRow } from '../../db/repositories';
import {
  EngineLineEncoder,
  llamaFactoryDatasetInfo,
  verlRow,
  type EngineFormat,
  type EngineRecord,
  type VerlRow,
} from '../../pipelines/formats/engine-records';
import { facialR1Prompt } from '../../pipelines/formats/prompt';
import { buildDatasheet, DATASHEET_FILES, datasheetFiles } from './datasheet';
import { DatasheetTally } from './datasheet-tally';
import { ExportError, IMAGES_DIR, MANIFEST_FILE, prepareOutput } from './output-guard';
import { HashedFile } from './hashed-file';
import { VerlColumnBatch, type ParquetRowBuffer } from './verl-columns';

export { ENGINE_FORMATS, type EngineFormat } from '../../pipelines/formats/engine-records';

export const DATASET_INFO_FILE = 'dataset_info.json';
/**
 * Rows per parquet row group: a reader streams the file a group at a time (some 12 MB with the ~1 KB prompt); larger
 * groups mean fewer pages and footer entries to write (bench/scale measures verl records/s).
 */
export const PARQUET_ROW_GROUP = 10_000;
const PAGE = 1000;

export interface EngineExportOptions {
  split?: string;
  /** Export this frozen snapshot's records with the labels it froze (with `split`: one file set per part it has). */
  snapshot?: number;
  force?: boolean;
  link?: boolean;
  actor?: string;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** Records (and images) read per page; also how often progress and cancellation are looked at. */
  pageSize?: number;
  /** verl: rows per parquet row group. */
  rowGroupSize?: number;
}

export interface EngineExportReport {
  format: EngineFormat;
  outDir: string;
  split: string | null;
  files: { file: string; part: string | null; kind: string; records: number }[];
  records: number;
  images: number;
  linked: number;
  copied: number;
  /** Records without an emotion (no answer to train on), not written. */
  skippedNoEmotion: number;
  manifest: string | null;
  cancelled: boolean;
}

interface ManifestEntry {
  path: string;
  sha256: string;
  bytes: number;
}

/** A data file being written: under `${file}.partial`, hashed and counted as it goes. */
interface DataWriter {
  file: string;
  kind: string;
  part: string | null;
  records: number;
  /** A promise only when the write had to wait (a parquet row group going out): most records take no turn of the event loop. */
  write(r: EngineRecord): Promise<void> | undefined;
  /** Flushes and closes the partial file; returns its hash and size. */
  finish(): Promise<ManifestEntry>;
  abort(): void;
}

const partial = (file: string) => `${file}.partial`;

class TextWriter implements DataWriter {
  records = 0;
  private readonly out: HashedFile;

  constructor(
    readonly file: string,
    readonly kind: string,
    readonly part: string | null,
    private readonly encoder: EngineLineEncoder,
    /** A JSON array (LLaMA-Factory's .json) instead of JSON Lines. */
    private readonly array: boolean,
    private readonly outDir: string,
  ) {
    this.out = new HashedFile(partial(file));
    if (array) this.out.text('[\n');
  }

  write(r: EngineRecord): undefined {
    if (this.array && this.records) this.out.text(',\n');
    this.encoder.write(r, this.out, this.array ? '' : '\n');
    this.records++;
    return undefined;
  }

  async finish(): Promise<ManifestEntry> {
    if (this.array) this.out.text(this.records ? '\n]\n' : ']\n');
    const sha256 = this.out.finish();
    return { path: path.relative(this.outDir, this.file).split(path.sep).join('/'), sha256, bytes: this.out.bytesWritten };
  }

  abort(): void {
    this.out.close();
    fs.rmSync(partial(this.file), { force: true });
  }
}

type ParquetModule = typeof import('@dsnp/parquetjs');
type ParquetWriterT = Awaited<ReturnType<ParquetModule['ParquetWriter']['openFile']>>;

/**
 * Every column SNAPPY-compressed (what pyarrow writes by default, and reads without options): the ~1 KB prompt in
 * every row shrinks to almost nothing, so the library copies, hashes and writes a small fraction of the bytes.
 */
const COMPRESSION = 'SNAPPY';

/** verl's schema: nested prompt list of {role, content}, images list of {image}, reward_model and extra_info structs. */
export function verlSchema(pq: ParquetModule) {
  const text = { type: 'UTF8', compression: COMPRESSION } as const;
  return new pq.ParquetSchema({
    data_source: text,
    prompt: { repeated: true, fields: { role: text, content: text } },
    images: { repeated: true, fields: { image: text } },
    ability: text,
    reward_model: { fields: { style: text, ground_truth: text } },
    extra_info: { fields: { split: text, index: { type: 'INT64', compression: COMPRESSION }, id: text, aus: { ...text, repeated: true }, answer: text } },
  });
}

/** The writer's field the library shreds rows into; filled a row group at a time by VerlColumnBatch. */
interface RowBufferHolder {
  rowBuffer: ParquetRowBuffer | Record<string, never>;
}

class ParquetFileWriter implements DataWriter {
  records = 0;
  private readonly batch = new VerlColumnBatch();
  private last: VerlRow | null = null;
  private constructor(
    readonly file: string,
    readonly part: string | null,
    private readonly writer: ParquetWriterT,
    private readonly outDir: string,
    private readonly rowGroupSize: number,
  ) {}

  readonly kind = 'verl';

  static async open(file: string, part: string | null, outDir: string, rowGroupSize: number): Promise<ParquetFileWriter> {
    // Loaded on first use: the library is large and only this format needs it.
    const pq: ParquetModule = await import('@dsnp/parquetjs');
    const writer = await pq.ParquetWriter.openFile(verlSchema(pq), partial(file), { rowGroupSize });
    return new ParquetFileWriter(file, part, writer, outDir, rowGroupSize);
  }

  /**
   * Rows gather in the column batch; the row that completes a group goes through the library's appendRow, which
   * shreds it onto the batch and encodes and writes the whole group (pages, statistics, offsets) itself.
   */
  write(r: EngineRecord): Promise<void> | undefined {
    if (this.last !== null) this.batch.add(this.last);
    this.last = verlRow(r);
    this.records++;
    return this.batch.rows + 1 >= this.rowGroupSize ? this.flushGroup() : undefined;
  }

  private async flushGroup(): Promise<void> {
    (this.writer as unknown as RowBufferHolder).rowBuffer = this.batch.take();
    const row = this.last!;
    this.last = null;
    await this.writer.appendRow(row as unknown as Record<string, unknown>);
  }

  async finish(): Promise<ManifestEntry> {
    if (this.last !== null) await this.flushGroup();
    await this.writer.close();
    const { sha256, bytes } = await hashFile(partial(this.file));
    return { path: path.relative(this.outDir, this.file).split(path.sep).join('/'), sha256, bytes };
  }

  abort(): void {
    fs.rmSync(partial(this.file), { force: true });
  }
}

async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const h = createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) {
    h.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: h.digest('hex'), bytes };
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** The files one part gets in a format: name → writer. */
function fileNames(format: EngineFormat, prefix: string): { name: string; kind: string }[] {
  switch (format) {
    case 'llama-factory':
      return [{ name: `${prefix}.json`, kind: 'sft' }];
    case 'trl':
      return [
        { name: `${prefix}_sft.jsonl`, kind: 'sft' },
        { name: `${prefix}_grpo.jsonl`, kind: 'grpo' },
      ];
    case 'verl':
      return [{ name: `${prefix}.parquet`, kind: 'rl' }];
    case 'easyr1':
      return [{ name: `${prefix}.jsonl`, kind: 'rl' }];
  }
}

async function openWriters(format: EngineFormat, out: string, prefix: string, part: string | null, rowGroupSize: number): Promise<DataWriter[]> {
  const names = fileNames(format, prefix);
  if (format === 'verl') return [await ParquetFileWriter.open(path.join(out, names[0].name), part, out, rowGroupSize)];
  return names.map(({ name, kind }) => {
    const encoder = new EngineLineEncoder(format === 'llama-factory' || format === 'easyr1' ? format : kind === 'sft' ? 'trl-sft' : 'trl-grpo');
    return new TextWriter(path.join(out, name), kind, part, encoder, format === 'llama-factory', out);
  });
}

/** Puts one media file at `dst`: a read-only hard link with `link` (a copy where linking fails), else a copy; both via a temporary name. */
function placeImage(src: string, dst: string, link: boolean): 'linked' | 'copied' {
  fs.mkdirSync(path.dirname(dst), { recursive: true });
  const tmp = partial(dst);
  fs.rmSync(tmp, { force: true });
  if (link) {
    try {
      fs.chmodSync(src, fs.statSync(src).mode & ~0o222);
      fs.linkSync(src, tmp);
      fs.renameSync(tmp, dst);
      return 'linked';
    } catch {
      fs.rmSync(tmp, { force: true });
    }
  }
  fs.copyFileSync(src, tmp);
  fs.renameSync(tmp, dst);
  return 'copied';
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function exportEngine(ws: Workspace, outDir: string, format: EngineFormat, options: EngineExportOptions = {}): Promise<EngineExportReport> {
  const db = ws.db;
  const out = path.resolve(outDir);
  const pageSize = options.pageSize ?? PAGE;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new ExportError(`the page size must be a positive integer, got ${pageSize}`);
  let splitId: number | null = null;
  if (options.split) {
    const s = getSplit(db, options.split);
    if (!s) throw new ExportError(`No split named "${options.split}" (create it with "fea split")`);
    splitId = s.id;
  }
  const snapshotId = options.snapshot ?? null;
  if (snapshotId !== null && !getSnapshot(db, snapshotId)) throw new ExportError(`No snapshot ${snapshotId} (see "fea snapshots")`);
  const wsName = safeName(getMeta(db, 'name') ?? path.basename(ws.dir));
  const counts = engineExportCounts(db, splitId, snapshotId);
  const parts = [...counts.parts.keys()];
  const prefixOf = (part: string) => (splitId === null ? wsName : `${safeName(options.split!)}_${safeName(part)}`);
  const dataFiles = parts.flatMap((p) => fileNames(format, prefixOf(p)).map((f) => path.join(out, f.name)));
  const infoFile = path.join(out, DATASET_INFO_FILE);
  const manifestFile = path.join(out, MANIFEST_FILE);
  const sheetFiles = Object.values(DATASHEET_FILES).map((f) => path.join(out, f));
  prepareOutput(out, [...dataFiles, ...(format === 'llama-factory' ? [infoFile] : []), ...sheetFiles, manifestFile], { force: options.force });
  fs.mkdirSync(path.join(out, IMAGES_DIR), { recursive: true });

  const totalRecords = [...counts.parts.values()].reduce((s, n) => s + n, 0);
  const report: EngineExportReport = {
    format,
    outDir: out,
    split: options.split ?? null,
    files: [],
    records: 0,
    images: 0,
    linked: 0,
    copied: 0,
    skippedNoEmotion: counts.withoutEmotion,
    manifest: null,
    cancelled: false,
  };
  // The manifest is streamed to its partial file too: one entry per image, then the data files.
  const manifestFd = fs.openSync(partial(manifestFile), 'w');
  let manifestEntries = 0;
  const addEntry = (e: ManifestEntry) => {
    fs.writeSync(manifestFd, `${manifestEntries++ ? ',\n' : ''}    ${JSON.stringify(e)}`);
  };
  const written: DataWriter[] = [];
  let open: DataWriter[] = [];
  const cleanup = () => {
    for (const w of [...written, ...open]) w.abort();
    try {
      fs.closeSync(manifestFd);
    } catch {
      /* closed */
    }
    fs.rmSync(partial(manifestFile), { force: true });
    for (const f of sheetFiles) fs.rmSync(partial(f), { force: true });
  };
  let done = 0;
  let total = totalRecords;
  const progress = () => options.onProgress?.(done, total);
  try {
    fs.writeSync(manifestFd, `{\n  "format": ${JSON.stringify(format)},\n  "split": ${JSON.stringify(options.split ?? null)},\n  "files": [\n`);
    // Images: each distinct file once, paged by sha256.
    let after = '';
    for (;;) {
      const page = engineExportImagePage(db, splitId, after, pageSize, snapshotId);
      if (page.length === 0) break;
      total += page.length;
      for (const img of page) {
        const src = path.join(ws.mediaDir, ...img.rel_path.split('/'));
        const rel = `${IMAGES_DIR}/${img.rel_path}`;
        const how = placeImage(src, path.join(out, ...rel.split('/')), options.link === true);
        report[how]++;
        report.images++;
        addEntry({ path: rel, sha256: img.sha256, bytes: fs.statSync(src).size });
        done++;
      }
      after = page[page.length - 1].sha256;
      progress();
      await tick();
      if (options.signal?.aborted) {
        report.cancelled = true;
        cleanup();
        return report;
      }
    }
    // Records, paged by (part, id); one set of files per part.
    const emotions = vocabulary(db, 'emotion');
    let cursor: { part: string; id: string } | null = null;
    let currentPart: string | null = null;
    let index = 0;
    const promptCache = new Map<string, string>();
    const tally = new DatasheetTally();
    const closeOpen = async () => {
      for (const w of open) {
        addEntry(await w.finish());
        written.push(w);
      }
      open = [];
    };
    for (;;) {
      const page: EngineExportRow[] = engineExportPage(db, splitId, cursor, pageSize, snapshotId);
      if (page.length === 0) break;
      for (const row of page) {
        if (row.part !== currentPart) {
          await closeOpen();
          currentPart = row.part;
          index = 0;
          open = await openWriters(format, out, prefixOf(row.part), splitId === null ? null : row.part, options.rowGroupSize ?? PARQUET_ROW_GROUP);
        }
        let prompt = promptCache.get(row.question);
        if (prompt === undefined) {
          prompt = facialR1Prompt(row.question, emotions);
          if (promptCache.size < 64) promptCache.set(row.question, prompt);
        }
        const rec: EngineRecord = {
          id: row.id,
          source: row.source,
          prompt,
          emotion: row.emotion,
          aus: row.aus ? row.aus.split(' ') : [],
          reasoning: row.reasoning ?? '',
          image: `${IMAGES_DIR}/${row.rel_path}`,
          part: splitId === null ? 'all' : row.part,
          index: index++,
        };
        for (const w of open) {
          const wait = w.write(rec);
          if (wait) await wait;
        }
        if (row.kind !== null) tally.add({ part: row.part, emotion: row.emotion, aus: rec.aus, kind: row.kind, round: row.round, author: row.author });
        report.records++;
        done++;
      }
      const last = page[page.length - 1];
      cursor = { part: last.part, id: last.id };
      progress();
      await tick();
      if (options.signal?.aborted) {
        report.cancelled = true;
        cleanup();
        return report;
      }
    }
    await closeOpen();
    if (format === 'llama-factory') {
      const info: Record<string, unknown> = {};
      for (const w of written) info[path.basename(w.file, '.json')] = llamaFactoryDatasetInfo(path.basename(w.file));
      const text = `${JSON.stringify(info, null, 2)}\n`;
      fs.writeFileSync(partial(infoFile), text);
      addEntry({ path: DATASET_INFO_FILE, sha256: createHash('sha256').update(text).digest('hex'), bytes: Buffer.byteLength(text) });
    }
    // the datasheet describes what was written; it is listed in the manifest like every other file
    for (const [name, text] of Object.entries(datasheetFiles(buildDatasheet(ws, { format, split: options.split, snapshot: options.snapshot }, tally.counts())))) {
      fs.writeFileSync(partial(path.join(out, name)), text);
      addEntry({ path: name, sha256: createHash('sha256').update(text).digest('hex'), bytes: Buffer.byteLength(text) });
    }
    fs.writeSync(manifestFd, `\n  ],\n  "records": ${report.records},\n  "images": ${report.images},\n  "createdAt": ${JSON.stringify(new Date().toISOString())}\n}\n`);
    fs.fsyncSync(manifestFd);
    fs.closeSync(manifestFd);
  } catch (err) {
    cleanup();
    throw err;
  }
  // Complete: the data files take their names, then the manifest, last.
  for (const w of written) {
    fs.renameSync(partial(w.file), w.file);
    report.files.push({ file: w.file, part: w.part, kind: w.kind, records: w.records });
  }
  if (format === 'llama-factory') fs.renameSync(partial(infoFile), infoFile);
  for (const f of sheetFiles) fs.renameSync(partial(f), f);
  fs.renameSync(partial(manifestFile), manifestFile);
  report.manifest = manifestFile;
  appendAudit(db, {
    actor: options.actor ?? 'system',
    action: 'export',
    entity: 'export',
    entityId: out,
    detail: { format, split: options.split ?? null, records: report.records, images: report.images, files: report.files.map((f) => path.basename(f.file)) },
  });
  return report;
}
