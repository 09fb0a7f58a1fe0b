/** Record listing, detail, history and the labeling queue. */
import * as path from 'node:path';
import type Database from 'better-sqlite3';
import { ApiError } from '../../contract/dispatch';
import type { RecordDetail, RecordRow, Revision } from '../../contract/types';
import type { Workspace } from '../../db/open';
import {
  distinctAuthors,
  distinctSources,
  getImage,
  getRecordListRow,
  getRecordRow,
  getRevision,
  listRevisions,
  nextRecordIds,
  queryRecordRows,
  recordSplits,
  type RecordListRow,
  type RecordQueryFilter,
  type RecordQuerySort,
  type RevisionWithAUs,
} from '../../db/repositories';
import { loadOverlay, loadSuggestion } from '../analysis/overlay';
import { draftFor } from '../annotations/annotations';

function toRecordRow(r: RecordListRow): RecordRow {
  return {
    id: r.id,
    status: r.status,
    emotion: r.emotion,
    aus: r.aus ? r.aus.split(' ') : [],
    subject: r.subject,
    source: r.source,
    imageKey: r.rel_path,
    author: r.author,
    updatedAt: r.updated_at,
  };
}

function toRevision(v: RevisionWithAUs, currentId: number | null): Revision {
  return {
    id: v.id,
    recordId: v.record_id,
    emotion: v.emotion,
    aus: v.aus,
    reasoning: v.reasoning,
    author: v.author,
    kind: v.kind,
    parentRevisionId: v.parent_revision_id,
    parentPredictionId: v.parent_prediction_id,
    createdAt: v.created_at,
    current: v.id === currentId,
  };
}

export function queryRecords(
  db: Database.Database,
  input: { filter: RecordQueryFilter; sort: RecordQuerySort; offset: number; limit: number },
): { total: number; rows: RecordRow[] } {
  const { total, rows } = queryRecordRows(db, input.filter, input.sort, input.offset, input.limit);
  return { total, rows: rows.map(toRecordRow) };
}

export function queueNext(
  db: Database.Database,
  input: { filter: RecordQueryFilter; sort: RecordQuerySort; afterId: string | null; count: number },
): { ids: string[] } {
  return { ids: nextRecordIds(db, input.filter, input.sort, input.afterId, input.count) };
}

export function getRecordDetail(db: Database.Database, id: string, userId?: number): RecordDetail {
  const row = getRecordListRow(db, id);
  const rec = getRecordRow(db, id);
  if (!row || !rec) throw new ApiError('not_found', `Record ${id} does not exist`);
  const img = getImage(db, rec.image_id)!;
  const current = rec.current_revision_id !== null ? getRevision(db, rec.current_revision_id) : undefined;
  return {
    row: toRecordRow(row),
    image: { key: img.rel_path, width: img.width, height: img.height, sha256: img.sha256, fileName: img.original_name },
    question: rec.question,
    current: current ? toRevision(current, rec.current_revision_id) : null,
    draft: userId !== undefined ? draftFor(db, id, userId) : null,
    suggestion: loadSuggestion(db, id),
    analysis: loadOverlay(db, rec.image_id),
    splits: recordSplits(db, id),
  };
}

export function recordHistory(db: Database.Database, id: string): { revisions: Revision[] } {
  const rec = getRecordRow(db, id);
  if (!rec) throw new ApiError('not_found', `Record ${id} does not exist`);
  return { revisions: listRevisions(db, id).map((v) => toRevision(v, rec.current_revision_id)) };
}

export function recordSources(db: Database.Database): { sources: string[]; authors: string[] } {
  return { sources: distinctSources(db), authors: distinctAuthors(db) };
}

/** Absolute path of an image key (media-relative path). */
export function imagePath(ws: Workspace, imageKey: string): string {
  return path.join(ws.mediaDir, ...imageKey.split('/'));
}
