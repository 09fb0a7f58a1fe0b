/**
 * `fea export --format facial-r1`: one JSONL per split part (or one file), images copied (hard-linked with --link) under
 * DIR/images/, and DIR/config.json holding the registry entry of every JSONL basename.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Workspace } from '../../db/open';
import { z } from 'zod';
import { appendAudit, facialR1ExportRows, facialR1PlanRows, facialR1SplitExportRows, getMeta, getSplit, parseStored, vocabulary } from '../../db/repositories';
import { RegistryCounts, toFacialR1Line, type RegistryEntry } from '../../pipelines/formats/facial-r1-export';
import { datasheetPaths, writeDatasheet } from './datasheet';
import { DatasheetTally } from './datasheet-tally';
import { ExportError, IMAGES_DIR, REGISTRY_FILE, prepareOutput, safeRelative } from './output-guard';

export { ExportError, OutputExistsError } from './output-guard';

export interface ExportOptions {
  split?: string;
  /** Replace what is in the way: a previous export's files are removed first, other files overwritten. */
  force?: boolean;
  /** Hard-link images instead of copying them; the workspace's media file is made read-only first, so editing the export cannot change it. */
  link?: boolean;
  actor?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface ExportReport {
  outDir: string;
  files: { file: string; part: string | null; records: number }[];
  records: number;
  images: number;
  linked: number;
  copied: number;
  /** Records with no annotation at all (no current revision), not written. */
  skippedUnlabeled: number;
  config: string;
  /** DATASHEET.md beside the export (datasheet.json and its SVG charts next to it). */
  datasheet: string;
}

/** What the export reads of a record's stored meta (an imported line's fields) and of a revision's provenance. */
const JsonObject = z.record(z.string(), z.unknown());
const RecordMeta = z.object({ image: z.unknown().optional(), meta_info: JsonObject.optional().catch(undefined), extra: JsonObject.optional().catch(undefined) });
const Provenance = z.object({ source: z.string().optional().catch(undefined), roundId: z.number().nullable().optional().catch(undefined) });

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_');
}

function placeImage(src: string, dst: string, link: boolean, stats: { linked: number; copied: number }): void {
  fs.mkdirSync(path.dirname(dst), { recursive: true });
  try {
    const s = fs.statSync(dst);
    const t = fs.statSync(src);
    if (link && s.ino === t.ino && s.dev === t.dev) return;
    fs.unlinkSync(dst);
  } catch {
    /* not there yet */
  }
  if (link) {
    try {
      fs.chmodSync(src, fs.statSync(src).mode & ~0o222);
      fs.linkSync(src, dst);
      stats.linked++;
      return;
    } catch {
      /* another filesystem, or no right to change the mode: copy */
    }
  }
  fs.copyFileSync(src, dst);
  stats.copied++;
}

/** A JSONL file written under `${file}.tmp` in 64 KB writes and renamed when complete. */
class LineFile {
  lines = 0;
  private readonly fd: number;
  private buf = '';

  constructor(readonly file: string) {
    this.fd = fs.openSync(this.tmp, 'w');
  }

  private get tmp(): string {
    return `${this.file}.tmp`;
  }

  write(line: string): void {
    this.buf += `${line}\n`;
    this.lines++;
    if (this.buf.length > 1 << 16) this.flush();
  }

  private flush(): void {
    fs.writeSync(this.fd, this.buf);
    this.buf = '';
  }

  finish(): void {
    this.flush();
    fs.closeSync(this.fd);
    fs.renameSync(this.tmp, this.file);
  }

  abort(): void {
    fs.closeSync(this.fd);
    fs.rmSync(this.tmp, { force: true });
  }
}

export function exportFacialR1(ws: Workspace, outDir: string, options: ExportOptions = {}): ExportReport {
  const db = ws.db;
  const out = path.resolve(outDir);
  let splitId: number | null = null;
  if (options.split) {
    const s = getSplit(db, options.split);
    if (!s) throw new ExportError(`No split named "${options.split}" (create it with "fea split")`);
    splitId = s.id;
  }
  const wsName = getMeta(db, 'name') ?? path.basename(ws.dir);
  const emotions = vocabulary(db, 'emotion');
  const rows = () => (splitId !== null ? facialR1SplitExportRows(db, splitId) : facialR1ExportRows(db));
  const planRows = () => facialR1PlanRows(db, splitId);

  // Two passes over the rows, holding one at a time (a million records never sit in memory): the first maps the
  // images and counts each part's registry entry, the second writes the lines. Only the image map is held.
  const usedPaths = new Map<string, string>(); // export path → media rel path
  const placed = new Map<string, string>(); // export path → media file
  const counts = new Map<string | null, RegistryCounts>();
  let skippedUnlabeled = 0;
  for (const r of planRows()) {
    if (r.current_revision_id === null) {
      skippedUnlabeled++;
      continue;
    }
    let rel = safeRelative(parseStored(RecordMeta, r.meta, 'record meta', r.id)?.image);
    if (rel === null || (usedPaths.has(rel) && usedPaths.get(rel) !== r.rel_path)) rel = r.rel_path;
    usedPaths.set(rel, r.rel_path);
    if (!placed.has(rel)) placed.set(rel, path.join(ws.mediaDir, ...r.rel_path.split('/')));
    let c = counts.get(r.part);
    if (!c) counts.set(r.part, (c = new RegistryCounts()));
    c.add({ emotion: r.emotion, aus: r.aus ? r.aus.split(' ') : [] });
  }

  const parts = splitId !== null ? [...counts.keys()].sort() : [null];
  const jsonlName = (part: string | null) => (part === null ? `${safeName(wsName)}.jsonl` : `${safeName(options.split!)}-${safeName(part)}.jsonl`);
  const configPath = path.join(out, REGISTRY_FILE);
  const imageFile = (rel: string) => path.join(out, IMAGES_DIR, ...rel.split('/'));
  // Everything this export writes is known before the first byte is: the one overwrite rule checks all of it.
  prepareOutput(out, [...parts.map((p) => path.join(out, jsonlName(p))), configPath, ...datasheetPaths(out), ...[...placed.keys()].map(imageFile)], { force: options.force });

  fs.mkdirSync(path.join(out, IMAGES_DIR), { recursive: true });
  const stats = { linked: 0, copied: 0 };
  let done = 0;
  for (const [rel, src] of placed) {
    placeImage(src, imageFile(rel), options.link === true, stats);
    if (++done % 1000 === 0) options.onProgress?.(done, placed.size);
  }
  options.onProgress?.(placed.size, placed.size);

  const writers = new Map(parts.map((part) => [part, new LineFile(path.join(out, jsonlName(part)))]));
  const tally = new DatasheetTally();
  try {
    for (const r of rows()) {
      if (r.current_revision_id === null) continue;
      const meta = parseStored(RecordMeta, r.meta, 'record meta', r.id) ?? {};
      // the first pass's choice: the record's own path unless an earlier record's different image took it
      let rel = safeRelative(meta.image);
      if (rel === null || usedPaths.get(rel) !== r.rel_path) rel = r.rel_path;
      const prov = parseStored(Provenance, r.provenance, 'revision provenance', `revision ${r.current_revision_id}`) ?? {};
      const metaInfo = { ...meta.meta_info };
      const aus = r.aus ? r.aus.split(' ') : [];
      if (r.emotion !== null && r.kind !== null) tally.add({ part: r.part ?? '', emotion: r.emotion, aus, kind: r.kind, round: prov.roundId ?? null, author: r.author });
      writers.get(r.part)!.write(
        toFacialR1Line({
          id: r.id,
          dataset: r.source,
          image: rel,
          question: r.question,
          emotion: r.emotion,
          aus,
          description: r.reasoning ?? '',
          subject: r.subject,
          metaInfo,
          provenance: { revision_id: r.current_revision_id, author: r.author, kind: r.kind, source: prov.source ?? r.kind },
          extra: meta.extra,
        }),
      );
    }
  } catch (err) {
    for (const w of writers.values()) w.abort();
    throw err;
  }
  const registry: Record<string, RegistryEntry> = {};
  const files: ExportReport['files'] = [];
  for (const part of parts) {
    const w = writers.get(part)!;
    w.finish();
    registry[jsonlName(part)] = (counts.get(part) ?? new RegistryCounts()).entry(emotions);
    files.push({ file: w.file, part, records: w.lines });
  }
  fs.writeFileSync(configPath, `${JSON.stringify(registry, null, 2)}\n`);
  const datasheet = writeDatasheet(ws, out, { format: 'facial-r1', split: options.split }, tally.counts());
  const report: ExportReport = {
    outDir: out,
    files,
    records: files.reduce((s, f) => s + f.records, 0),
    images: placed.size,
    linked: stats.linked,
    copied: stats.copied,
    skippedUnlabeled,
    config: configPath,
    datasheet,
  };
  appendAudit(db, {
    actor: options.actor ?? 'system',
    action: 'export',
    entity: 'export',
    entityId: out,
    detail: { format: 'facial-r1', split: options.split ?? null, records: report.records, files: files.map((f) => path.basename(f.file)) },
  });
  return report;
}
