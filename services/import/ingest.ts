/**
 * Turns import candidates into workspace rows: reads and hashes each image, checks it decodes, stores its
 * bytes once under media/, then inserts image, record and import revision in batched transactions.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { Workspace } from '../../db/open';
import {
  appendAudit,
  ausColumn,
  deriveStatus,
  extendVocabulary,
  findImageBySha,
  insertImage,
  insertRecord,
  insertRevision,
  nowIso,
  recordExists,
  setCurrentPointer,
  systemUserId,
  vocabulary,
} from '../../db/repositories';
import { probeFast, probeImage, UndecodableImage, type ImageProbe } from '../../pipelines/formats/image-probe';
import type { ImportCandidate, LineError } from '../../pipelines/formats/types';
import type { RecordStatus } from '../../pipelines/facs/vocabulary';

/** A candidate whose bytes are already in memory (demo faces, or a file already read). */
export interface IngestItem extends ImportCandidate {
  bytes?: Buffer;
  /** Revision provenance beyond the defaults. */
  provenance?: Record<string, unknown>;
  /** Demo faces know their AU set is complete (an empty set means "no AUs"), so they are labeled, not weak. */
  status?: RecordStatus;
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
}

function newCounters(): IngestCounters {
  return { imported: 0, duplicates: 0, weak: 0, unlabeled: 0, labeled: 0, normalised: 0, normalisedLabels: 0, normalisedAUs: 0, imagesNew: 0, imagesReused: 0, mediaLinked: 0, mediaCopied: 0, vocabularyAdded: [], errors: [] };
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
  /** Ids seen earlier in this same import. */
  seen: Set<string>;
  /** Per absolute image path: its sha and probe, so a file named by many lines is read once. */
  fileCache: Map<string, { sha: string; probe: ImageProbe } | { error: string }>;
  createdDirs: Set<string>;
  knownEmotions: Set<string>;
  knownAUs: Set<string>;
  media: MediaMode;
}

export type MediaMode = 'link' | 'copy';

export function createIngestContext(ws: Workspace, actor: string, provenance: Record<string, unknown>, auditEntity: string, media: MediaMode = 'link'): IngestContext {
  return {
    media,
    ws,
    actor,
    provenance,
    auditEntity,
    counters: newCounters(),
    seen: new Set(),
    fileCache: new Map(),
    createdDirs: new Set(),
    knownEmotions: new Set(vocabulary(ws.db, 'emotion')),
    knownAUs: new Set(vocabulary(ws.db, 'au')),
  };
}

function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

function describeReadError(err: unknown, p: string): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return `image file ${p} does not exist`;
  if (code === 'EISDIR') return `image ${p} is a folder`;
  return `image file ${p} cannot be read (${err instanceof Error ? err.message : String(err)})`;
}

/** Runs fn over items with at most `limit` in flight: file I/O goes through libuv's pool in parallel. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const IO_CONCURRENCY = 16;

async function probeBytes(bytes: Buffer, name: string): Promise<{ sha: string; probe: ImageProbe } | { error: string }> {
  const sha = sha256(bytes);
  try {
    const probe = probeFast(bytes) ?? (await probeImage(bytes));
    return { sha, probe };
  } catch (err) {
    const why = err instanceof UndecodableImage ? err.message : err instanceof Error ? err.message : String(err);
    return { error: `image ${name} cannot be decoded: ${why}` };
  }
}

/**
 * Puts an image's bytes at media/<sha[0:2]>/<sha>.<ext>. From a source file the default is a hard link: no extra
 * disk space for multi-GB datasets, and creating files is by far the slowest step of an import. Editors that save
 * by writing a new file and renaming it break the link, not the workspace; `media: 'copy'` copies instead.
 * Across filesystems (or where links are not allowed) it falls back to a copy.
 */
async function storeMedia(ctx: IngestContext, sha: string, ext: string, bytes: Buffer, source: string | null): Promise<void> {
  const dir = path.join(ctx.ws.mediaDir, sha.slice(0, 2));
  if (!ctx.createdDirs.has(dir)) {
    fs.mkdirSync(dir, { recursive: true });
    ctx.createdDirs.add(dir);
  }
  const file = path.join(dir, `${sha}.${ext}`);
  try {
    if (source !== null && ctx.media === 'link') {
      try {
        await fsp.link(source, file);
        ctx.counters.mediaLinked++;
        return;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw err;
        // EXDEV, EPERM, ENOTSUP…: fall through to a copy
      }
    }
    await fsp.writeFile(file, bytes, { flag: 'wx' });
    ctx.counters.mediaCopied++;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Content-addressed: an existing file of the right size already holds these bytes (else a torn earlier write).
    if ((await fsp.stat(file)).size !== bytes.length) await fsp.writeFile(file, bytes);
  }
}

/** Ingests one batch: file work (parallel) outside the transaction, all rows of the batch inside one. */
export async function ingestBatch(ctx: IngestContext, items: IngestItem[]): Promise<void> {
  const { db } = ctx.ws;
  const c = ctx.counters;
  const fresh: IngestItem[] = [];
  for (const item of items) {
    if (ctx.seen.has(item.id) || recordExists(db, item.id)) {
      c.duplicates++;
      continue;
    }
    ctx.seen.add(item.id);
    fresh.push(item);
  }
  // Read every image file not seen before in this import, in parallel.
  const toRead = [...new Set(fresh.filter((i) => !i.bytes && !ctx.fileCache.has(i.imagePath)).map((i) => i.imagePath))];
  const read = new Map<string, Buffer | { error: string }>();
  const nameOf = new Map(fresh.map((i) => [i.imagePath, i.image]));
  await pool(toRead, IO_CONCURRENCY, async (p) => {
    try {
      read.set(p, await fsp.readFile(p));
    } catch (err) {
      read.set(p, { error: describeReadError(err, nameOf.get(p) ?? p) });
    }
  });
  const writes = new Map<string, { ext: string; bytes: Buffer; source: string | null }>();
  const noteNew = (sha: string, ext: string, bytes: Buffer, source: string | null) => {
    if (!writes.has(sha) && !findImageBySha(db, sha)) writes.set(sha, { ext, bytes, source });
  };
  for (const p of toRead) {
    const r = read.get(p)!;
    if (!Buffer.isBuffer(r)) {
      ctx.fileCache.set(p, r);
      continue;
    }
    const probed = await probeBytes(r, nameOf.get(p) ?? p);
    ctx.fileCache.set(p, probed);
    if ('sha' in probed) noteNew(probed.sha, probed.probe.ext, r, p);
  }
  const prepared: Prepared[] = [];
  for (const item of fresh) {
    let res: { sha: string; probe: ImageProbe } | { error: string };
    if (item.bytes) {
      res = await probeBytes(item.bytes, item.image);
      if ('sha' in res) noteNew(res.sha, res.probe.ext, item.bytes, null);
    } else {
      res = ctx.fileCache.get(item.imagePath)!;
    }
    if ('error' in res) {
      c.errors.push({ line: item.line, reason: res.error });
      ctx.seen.delete(item.id);
      continue;
    }
    prepared.push({ item, sha: res.sha, probe: res.probe });
  }
  await pool([...writes], IO_CONCURRENCY, ([sha, w]) => storeMedia(ctx, sha, w.ext, w.bytes, w.source));
  if (prepared.length === 0) return;

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
      if (img.created) c.imagesNew++;
      else c.imagesReused++;
      const status: RecordStatus = item.status ?? deriveStatus(item.emotion, item.aus);
      const hasRevision = !!(item.emotion || item.aus.length || item.reasoning);
      insertRecord(db, {
        id: item.id,
        imageId: img.id,
        source: item.source,
        question: item.question,
        meta: item.meta,
        createdAt: ts,
        labels: hasRevision ? { status, emotion: item.emotion, aus: ausColumn(item.aus), authorId: systemId } : undefined,
      });
      if (hasRevision) {
        const revisionId = insertRevision(db, {
          recordId: item.id,
          emotion: item.emotion,
          aus: item.aus.map((au) => ({ au })),
          reasoning: item.reasoning,
          authorId: systemId,
          kind: 'import',
          provenance: { ...ctx.provenance, line: item.line, ...(item.normalised.length ? { normalised: item.normalised } : {}), ...(item.provenance ?? {}) },
          createdAt: ts,
        });
        setCurrentPointer(db, item.id, revisionId);
      }
      imported++;
      if (status === 'weak') c.weak++;
      else if (status === 'unlabeled') c.unlabeled++;
      else c.labeled++;
      if (item.normalised.length) {
        c.normalised += item.normalised.length;
        for (const n of item.normalised) {
          if (n.field === 'label') c.normalisedLabels++;
          else c.normalisedAUs++;
        }
      }
    }
    c.imported += imported;
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
