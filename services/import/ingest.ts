/**
 * Turns import candidates into workspace rows: reads and hashes each image, checks it decodes, stores its
 * bytes once under media/, then inserts image, record and import revision in batched transactions. The inserts
 * are idempotent, so another import of the same file running at the same time only makes duplicates.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LRUCache } from 'lru-cache';
import type { Workspace } from '../../db/open';
import {
  appendAudit,
  assignDatasetPart,
  ausColumn,
  deriveStatus,
  extendVocabulary,
  findImageBySha,
  insertImage,
  insertRecordIfNew,
  insertRevision,
  nowIso,
  recordExists,
  setCurrentPointer,
  systemUserId,
  vocabulary,
} from '../../db/repositories';
import { probeImage, UndecodableImage, type ImageProbe } from '../../pipelines/formats/image-probe';
import type { ImportCandidate, LineError } from '../../pipelines/formats/types';
import type { Intensity, RecordStatus } from '../../pipelines/facs/vocabulary';
import { DEFAULT_MAX_IMAGE_BYTES, readImageFile, sha256, storeMedia, type MediaMode, type ReadImage } from './media';

export type { MediaMode } from './media';

/** A candidate whose bytes are already in memory (demo faces, or a file already read). */
export interface IngestItem extends ImportCandidate {
  bytes?: Buffer;
  /** Revision provenance beyond the defaults. */
  provenance?: Record<string, unknown>;
  /** Demo faces know their AU set is complete (an empty set means "no AUs"), so they are labeled, not weak. */
  status?: RecordStatus;
  /** AU intensities (A–E) by AU, from intensity tables. */
  intensities?: Record<string, Intensity>;
  /** The record's part in the context's dataset split. */
  part?: string;
}

export interface IngestCounters {
  imported: number;
  duplicates: number;
  weak: number;
  unlabeled: number;
  labeled: number;
  normalised: number;
  normalisedLabels: number;
  normalisedAUs: number;
  imagesNew: number;
  imagesReused: number;
  mediaLinked: number;
  mediaCopied: number;
  vocabularyAdded: string[];
  errors: LineError[];
  /** Records imported per emotion (NO_EMOTION: without one). */
  byEmotion: Record<string, number>;
  /** Records imported per part of the dataset's own split. */
  byPart: Record<string, number>;
}

/** The byEmotion key of records without an emotion. */
export const NO_EMOTION = '(none)';

function newCounters(): IngestCounters {
  return { imported: 0, duplicates: 0, weak: 0, unlabeled: 0, labeled: 0, normalised: 0, normalisedLabels: 0, normalisedAUs: 0, imagesNew: 0, imagesReused: 0, mediaLinked: 0, mediaCopied: 0, vocabularyAdded: [], errors: [], byEmotion: {}, byPart: {} };
}

/** Counts one imported record (or, in a dry run, one that would be). */
function countImported(c: IngestCounters, item: IngestItem, status: RecordStatus): void {
  c.imported++;
  if (status === 'weak') c.weak++;
  else if (status === 'unlabeled') c.unlabeled++;
  else c.labeled++;
  const emotion = item.emotion ?? NO_EMOTION;
  c.byEmotion[emotion] = (c.byEmotion[emotion] ?? 0) + 1;
  if (item.part) c.byPart[item.part] = (c.byPart[item.part] ?? 0) + 1;
  if (item.normalised.length) {
    c.normalised += item.normalised.length;
    for (const n of item.normalised) {
      if (n.field === 'label') c.normalisedLabels++;
      else c.normalisedAUs++;
    }
  }
}

interface Prepared {
  item: IngestItem;
  sha: string;
  probe: ImageProbe;
}

export interface IngestContext {
  ws: Workspace;
  actor: string;
  /** Revision provenance common to every record (format, file…). */
  provenance: Record<string, unknown>;
  /** Audit entity id (e.g. the file name). */
  auditEntity: string;
  counters: IngestCounters;
  /**
   * Ids seen earlier in this import and not yet in the database: this batch's, and in a dry run (which writes
   * nothing) every batch's. A real import's earlier batches are committed, so the database answers for them and
   * memory stays flat however long the file.
   */
  seen: Set<string>;
  /** Per absolute image path, the most recent ones: its sha and probe, so a file named by many lines is read once. */
  fileCache: LRUCache<string, FileResult>;
  createdDirs: Set<string>;
  knownEmotions: Set<string>;
  knownAUs: Set<string>;
  media: MediaMode;
  /** Largest image file read. */
  maxImageBytes: number;
  /** Real path of the folder source images must lie in (symbolic links resolved), or null when any path goes. */
  root: string | null;
  /** The split the dataset assigns parts in (FER2013 Usage, RAF-DB prefixes), or null. */
  splitId: number | null;
  /** Read, check and count everything, write nothing (no media, no rows). */
  dryRun: boolean;
  /** Dry run: the images that would be new, by sha256. */
  plannedImages: Set<string>;
  errorsNameImage: boolean;
}

export interface IngestOptions {
  media?: MediaMode;
  maxImageBytes?: number;
  /** Folder the source images must lie in, links resolved; omit to allow any path. */
  root?: string | null;
  splitId?: number | null;
  dryRun?: boolean;
  /** Folder trees: an item's "line" is a file ordinal, so an error names the image file as its file. */
  errorsNameImage?: boolean;
}

export function createIngestContext(ws: Workspace, actor: string, provenance: Record<string, unknown>, auditEntity: string, options: IngestOptions = {}): IngestContext {
  return {
    media: options.media ?? 'copy',
    maxImageBytes: options.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES,
    root: options.root ? fs.realpathSync(options.root) : null,
    splitId: options.splitId ?? null,
    dryRun: options.dryRun ?? false,
    plannedImages: new Set(),
    errorsNameImage: options.errorsNameImage ?? false,
    ws,
    actor,
    provenance,
    auditEntity,
    counters: newCounters(),
    seen: new Set(),
    fileCache: new LRUCache({ max: FILE_CACHE_ENTRIES }),
    createdDirs: new Set(),
    knownEmotions: new Set(vocabulary(ws.db, 'emotion')),
    knownAUs: new Set(vocabulary(ws.db, 'au')),
  };
}

/** Runs fn over items with at most `limit` in flight: file I/O goes through libuv's pool in parallel. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

type FileResult = { sha: string; probe: ImageProbe } | { error: string };

/**
 * Image paths remembered across batches. Datasets name a shared image from nearby lines (views of one face, FER's
 * duplicates); a path named again after this many others is read and hashed again, which gives the same result.
 */
const FILE_CACHE_ENTRIES = 20_000;
const IO_CONCURRENCY = 16;
/** Image bytes one read round may hold (plus what its reads in flight add): memory per batch stays bounded. */
const ROUND_BYTES = 256 * 1024 * 1024;

async function probeBytes(bytes: Buffer, name: string): Promise<FileResult> {
  const sha = sha256(bytes);
  try {
    const probe = await probeImage(bytes);
    return { sha, probe };
  } catch (err) {
    const why = err instanceof UndecodableImage ? err.message : err instanceof Error ? err.message : String(err);
    return { error: `image ${name} cannot be decoded: ${why}` };
  }
}

async function placeMedia(ctx: IngestContext, sha: string, ext: string, bytes: Buffer, source: ReadImage | null): Promise<void> {
  const dir = path.join(ctx.ws.mediaDir, sha.slice(0, 2));
  if (!ctx.createdDirs.has(dir)) {
    fs.mkdirSync(dir, { recursive: true });
    ctx.createdDirs.add(dir);
  }
  const outcome = await storeMedia(path.join(dir, `${sha}.${ext}`), sha, bytes, source, ctx.media);
  if (outcome === 'linked') ctx.counters.mediaLinked++;
  else if (outcome === 'copied') ctx.counters.mediaCopied++;
}

/** Ingests one batch: file work (parallel) outside the transaction, all rows of the batch inside one. */
export async function ingestBatch(ctx: IngestContext, items: IngestItem[]): Promise<void> {
  const { db } = ctx.ws;
  const c = ctx.counters;
  const fresh: IngestItem[] = [];
  if (!ctx.dryRun) ctx.seen.clear();
  for (const item of items) {
    if (ctx.seen.has(item.id) || recordExists(db, item.id)) {
      c.duplicates++;
      continue;
    }
    ctx.seen.add(item.id);
    fresh.push(item);
  }
  // Read every image file not seen before in this import, in parallel, in rounds of at most ROUND_BYTES held:
  // each round's new bytes go to media/ and are dropped before the next, so large images do not pile up.
  // This batch's results by path: the cache may drop an entry while the batch is still using it.
  const files = new Map<string, FileResult>();
  for (const i of fresh) {
    const known = i.bytes ? undefined : ctx.fileCache.get(i.imagePath);
    if (known) files.set(i.imagePath, known);
  }
  const toRead = [...new Set(fresh.filter((i) => !i.bytes && !files.has(i.imagePath)).map((i) => i.imagePath))];
  const nameOf = new Map(fresh.map((i) => [i.imagePath, i.image]));
  const writes = new Map<string, { ext: string; bytes: Buffer; source: ReadImage | null }>();
  const noteNew = (sha: string, ext: string, bytes: Buffer, source: ReadImage | null) => {
    if (!ctx.dryRun && !writes.has(sha) && !findImageBySha(db, sha)) writes.set(sha, { ext, bytes, source });
  };
  const flushWrites = async () => {
    await pool([...writes], IO_CONCURRENCY, ([sha, w]) => placeMedia(ctx, sha, w.ext, w.bytes, w.source));
    writes.clear();
  };
  for (let next = 0; next < toRead.length; ) {
    const round: string[] = [];
    const read = new Map<string, ReadImage | { error: string }>();
    let held = 0;
    const worker = async () => {
      while (next < toRead.length && held < ROUND_BYTES) {
        const p = toRead[next++];
        round.push(p);
        const r = await readImageFile(p, nameOf.get(p) ?? p, ctx.maxImageBytes, ctx.root);
        if (!('error' in r)) held += r.bytes.length;
        read.set(p, r);
      }
    };
    await Promise.all(Array.from({ length: IO_CONCURRENCY }, worker));
    for (const p of round) {
      const r = read.get(p)!;
      if ('error' in r) {
        files.set(p, r);
        ctx.fileCache.set(p, r);
        continue;
      }
      const probed = await probeBytes(r.bytes, nameOf.get(p) ?? p);
      files.set(p, probed);
      ctx.fileCache.set(p, probed);
      if ('sha' in probed) noteNew(probed.sha, probed.probe.ext, r.bytes, r);
    }
    await flushWrites();
  }
  const prepared: Prepared[] = [];
  for (const item of fresh) {
    let res: FileResult;
    if (item.bytes) {
      res = await probeBytes(item.bytes, item.image);
      if ('sha' in res) noteNew(res.sha, res.probe.ext, item.bytes, null);
    } else {
      res = files.get(item.imagePath)!;
    }
    if ('error' in res) {
      c.errors.push({ line: item.line, field: 'image', reason: res.error, ...(ctx.errorsNameImage ? { file: item.image } : {}) });
      ctx.seen.delete(item.id);
      continue;
    }
    prepared.push({ item, sha: res.sha, probe: res.probe });
  }
  await flushWrites();
  if (prepared.length === 0) return;
  if (ctx.dryRun) {
    countPlanned(ctx, prepared);
    return;
  }

  const systemId = systemUserId(db);
  db.transaction(() => {
    const newEmotions = new Set<string>();
    const newAUs = new Set<string>();
    for (const p of prepared) {
      if (p.item.emotion && !ctx.knownEmotions.has(p.item.emotion)) newEmotions.add(p.item.emotion);
      for (const au of p.item.aus) if (!ctx.knownAUs.has(au)) newAUs.add(au);
    }
    if (newEmotions.size) {
      const added = extendVocabulary(db, 'emotion', newEmotions);
      added.forEach((e) => ctx.knownEmotions.add(e));
      c.vocabularyAdded.push(...added);
    }
    if (newAUs.size) {
      const added = extendVocabulary(db, 'au', newAUs);
      added.forEach((a) => ctx.knownAUs.add(a));
      c.vocabularyAdded.push(...added);
    }
    const ts = nowIso();
    let imported = 0;
    for (const { item, sha, probe } of prepared) {
      const img = insertImage(
        db,
        { sha256: sha, ext: probe.ext, width: probe.width, height: probe.height, originalName: path.basename(item.image), subject: item.subject, source: item.source },
        ts,
      );
      const status: RecordStatus = item.status ?? deriveStatus(item.emotion, item.aus);
      const hasRevision = !!(item.emotion || item.aus.length || item.reasoning);
      const inserted = insertRecordIfNew(db, {
        id: item.id,
        imageId: img.id,
        source: item.source,
        question: item.question,
        meta: item.meta,
        createdAt: ts,
        labels: hasRevision ? { status, emotion: item.emotion, aus: ausColumn(item.aus), authorId: systemId } : undefined,
      });
      if (!inserted) {
        // Another import committed this id after the check above (two imports of one file at once).
        c.duplicates++;
        continue;
      }
      if (ctx.splitId !== null && item.part) assignDatasetPart(db, ctx.splitId, item.id, item.part);
      if (img.created) c.imagesNew++;
      else c.imagesReused++;
      if (hasRevision) {
        const revisionId = insertRevision(db, {
          recordId: item.id,
          emotion: item.emotion,
          aus: item.aus.map((au) => ({ au, intensity: item.intensities?.[au] ?? null })),
          reasoning: item.reasoning,
          authorId: systemId,
          kind: 'import',
          provenance: { ...ctx.provenance, line: item.line, ...(item.normalised.length ? { normalised: item.normalised } : {}), ...(item.provenance ?? {}) },
          createdAt: ts,
        });
        setCurrentPointer(db, item.id, revisionId);
      }
      imported++;
      countImported(c, item, status);
    }
    if (imported === 0) return;
    appendAudit(db, {
      actor: ctx.actor,
      action: 'import',
      entity: 'import',
      entityId: ctx.auditEntity,
      ts,
      detail: { ...ctx.provenance, imported, lines: [prepared[0].item.line, prepared[prepared.length - 1].item.line] },
    });
  }).immediate();
}

/** A dry run's batch: what the transaction above would insert, counted the same way, nothing written. */
function countPlanned(ctx: IngestContext, prepared: Prepared[]): void {
  const c = ctx.counters;
  const note = (known: Set<string>, value: string | null) => {
    if (value === null || known.has(value)) return;
    known.add(value);
    c.vocabularyAdded.push(value);
  };
  for (const { item, sha } of prepared) {
    note(ctx.knownEmotions, item.emotion);
    for (const au of item.aus) note(ctx.knownAUs, au);
    if (ctx.plannedImages.has(sha) || findImageBySha(ctx.ws.db, sha)) c.imagesReused++;
    else {
      ctx.plannedImages.add(sha);
      c.imagesNew++;
    }
    countImported(c, item, item.status ?? deriveStatus(item.emotion, item.aus));
  }
}

/** The counters every import reports, errors in line order; `skipped` is the caller's (lines it chose not to ingest). */
export function countersReport(ctx: IngestContext, skipped: number) {
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
    byEmotion: c.byEmotion,
  };
}
