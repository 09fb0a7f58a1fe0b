/**
 * Turns import candidates into workspace rows: reads and hashes each image, checks it decodes, stores its
 * bytes once under media/, then inserts image, record and import revision in batched transactions.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
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
  stmt,
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
  vocabularyAdded: string[];
  errors: LineError[];
}

export function newCounters(): IngestCounters {
  return { imported: 0, duplicates: 0, weak: 0, unlabeled: 0, labeled: 0, normalised: 0, normalisedLabels: 0, normalisedAUs: 0, imagesNew: 0, imagesReused: 0, vocabularyAdded: [], errors: [] };
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
}

export function createIngestContext(ws: Workspace, actor: string, provenance: Record<string, unknown>, auditEntity: string): IngestContext {
  return {
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

async function readAndProbe(ctx: IngestContext, item: IngestItem): Promise<{ bytes: Buffer; sha: string; probe: ImageProbe } | { error: string }> {
  let bytes: Buffer;
  try {
    bytes = item.bytes ?? fs.readFileSync(item.imagePath);
  } catch (err) {
    return { error: describeReadError(err, item.image) };
  }
  const sha = sha256(bytes);
  try {
    const probe = probeFast(bytes) ?? (await probeImage(bytes));
    return { bytes, sha, probe };
  } catch (err) {
    const why = err instanceof UndecodableImage ? err.message : err instanceof Error ? err.message : String(err);
    return { error: `image ${item.image} cannot be decoded: ${why}` };
  }
}

function storeMedia(ctx: IngestContext, sha: string, ext: string, bytes: Buffer): void {
  const dir = path.join(ctx.ws.mediaDir, sha.slice(0, 2));
  if (!ctx.createdDirs.has(dir)) {
    fs.mkdirSync(dir, { recursive: true });
    ctx.createdDirs.add(dir);
  }
  const file = path.join(dir, `${sha}.${ext}`);
  // Content-addressed: an existing file of the right size already holds these bytes.
  try {
    if (fs.statSync(file).size === bytes.length) return;
  } catch {
    /* missing: write it */
  }
  fs.writeFileSync(file, bytes);
}

/** Ingests one batch: file work outside the transaction, all rows of the batch inside one. */
export async function ingestBatch(ctx: IngestContext, items: IngestItem[]): Promise<void> {
  const { db } = ctx.ws;
  const c = ctx.counters;
  const prepared: Prepared[] = [];
  const pendingSha = new Set<string>();
  for (const item of items) {
    if (ctx.seen.has(item.id) || recordExists(db, item.id)) {
      c.duplicates++;
      continue;
    }
    ctx.seen.add(item.id);
    let cached = item.bytes ? undefined : ctx.fileCache.get(item.imagePath);
    if (!cached) {
      const res = await readAndProbe(ctx, item);
      if ('error' in res) {
        cached = res;
      } else {
        cached = { sha: res.sha, probe: res.probe };
        if (!pendingSha.has(res.sha) && !findImageBySha(db, res.sha)) storeMedia(ctx, res.sha, res.probe.ext, res.bytes);
        pendingSha.add(res.sha);
      }
      if (!item.bytes) ctx.fileCache.set(item.imagePath, cached);
    }
    if ('error' in cached) {
      c.errors.push({ line: item.line, reason: cached.error });
      ctx.seen.delete(item.id);
      continue;
    }
    prepared.push({ item, sha: cached.sha, probe: cached.probe });
  }
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
    const update = stmt(db, 'UPDATE records SET current_revision_id = ?, emotion = ?, aus = ?, author_id = ?, status = ?, updated_at = ? WHERE id = ?');
    let imported = 0;
    for (const { item, sha, probe } of prepared) {
      const img = insertImage(
        db,
        { sha256: sha, ext: probe.ext, width: probe.width, height: probe.height, originalName: path.basename(item.image), subject: item.subject, source: item.source },
        ts,
      );
      if (img.created) c.imagesNew++;
      else c.imagesReused++;
      insertRecord(db, { id: item.id, imageId: img.id, source: item.source, question: item.question, meta: item.meta, createdAt: ts });
      const status: RecordStatus = item.status ?? deriveStatus(item.emotion, item.aus);
      if (item.emotion || item.aus.length || item.reasoning) {
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
        update.run(revisionId, item.emotion, ausColumn(item.aus), systemId, status, ts, item.id);
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
