/**
 * Records: one per external id. The row carries denormalised copies of its current revision (emotion, aus,
 * author_id, status) so that filtering and paging 100k records stays on indexes.
 */
import type Database from 'better-sqlite3';
import type { RecordStatus } from '../../pipelines/facs/vocabulary';
import { SKIPPED_RECORDS_SQL } from './decisions';
import { named } from './named';
import { nowIso, stmt } from './statements';

export const DEFAULT_QUESTION = 'What is the emotion of this face?';

export interface RecordRowDb {
  id: string;
  image_id: number;
  source: string | null;
  question: string;
  status: RecordStatus;
  current_revision_id: number | null;
  emotion: string | null;
  aus: string;
  author_id: number | null;
  meta: string;
  created_at: string;
  updated_at: string;
}

/** A record joined with its image and author, as lists show it. */
export interface RecordListRow {
  id: string;
  status: RecordStatus;
  emotion: string | null;
  aus: string;
  source: string | null;
  subject: string | null;
  rel_path: string;
  author: string | null;
  updated_at: string;
  image_id: number;
  current_revision_id: number | null;
}

export interface NewRecord {
  id: string;
  imageId: number;
  source?: string | null;
  question?: string | null;
  meta?: Record<string, unknown>;
  createdAt?: string;
  /**
   * The labels of the revision about to become current. Setting them at insert time (then only the pointer
   * with setCurrentPointer) spares the indexed columns a second write: bulk import is dominated by index upkeep.
   */
  labels?: { status: RecordStatus; emotion: string | null; aus: string; authorId: number | null };
}

const INSERT_RECORD = 'INSERT INTO records (id, image_id, source, question, status, emotion, aus, author_id, meta, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

/** Inserts a new record; an id already there is an error. */
export function insertRecord(db: Database.Database, rec: NewRecord): void {
  stmt(db, INSERT_RECORD).run(...recordValues(rec));
}

/**
 * Inserts a record unless its id is already there (then nothing changes); returns whether it was inserted.
 * The check is the insert itself, so it holds against another connection inserting the same id concurrently.
 */
export function insertRecordIfNew(db: Database.Database, rec: NewRecord): boolean {
  return stmt(db, `${INSERT_RECORD} ON CONFLICT (id) DO NOTHING`).run(...recordValues(rec)).changes === 1;
}

function recordValues(rec: NewRecord): unknown[] {
  const ts = rec.createdAt ?? nowIso();
  const l = rec.labels;
  return [
    rec.id,
    rec.imageId,
    rec.source ?? null,
    rec.question ?? DEFAULT_QUESTION,
    l?.status ?? 'unlabeled',
    l?.emotion ?? null,
    l?.aus ?? '',
    l?.authorId ?? null,
    JSON.stringify(rec.meta ?? {}),
    ts,
    ts,
  ];
}

/** Sets only the current-revision pointer (the labels were written by insertRecord). */
export function setCurrentPointer(db: Database.Database, recordId: string, revisionId: number): void {
  stmt(db, 'UPDATE records SET current_revision_id = ? WHERE id = ?').run(revisionId, recordId);
}

export function recordExists(db: Database.Database, id: string): boolean {
  return stmt(db, 'SELECT 1 FROM records WHERE id = ?').get(id) !== undefined;
}

export function getRecordRow(db: Database.Database, id: string): RecordRowDb | undefined {
  return stmt(db, 'SELECT * FROM records WHERE id = ?').get(id) as RecordRowDb | undefined;
}

/** From record_tallies (migration 015, kept by triggers): a few rows, not a walk of every record. */
export function countRecords(db: Database.Database): number {
  return (stmt(db, 'SELECT COALESCE(SUM(n), 0) AS n FROM record_tallies').get() as { n: number }).n;
}

export function countByStatus(db: Database.Database): Record<RecordStatus, number> {
  const out: Record<RecordStatus, number> = { unlabeled: 0, weak: 0, labeled: 0, reviewed: 0 };
  for (const r of stmt(db, 'SELECT status, SUM(n) AS n FROM record_tallies GROUP BY status').all() as { status: RecordStatus; n: number }[]) out[r.status] = r.n;
  return out;
}

// ---- filtered, sorted, paged queries -------------------------------------------------------------

export interface RecordQueryFilter {
  status?: RecordStatus;
  emotion?: string;
  au?: string;
  source?: string;
  split?: string;
  part?: string;
  /** User name of the current revision's author. */
  author?: string;
  /** Substring of the record id, its image's subject or its source file name. */
  search?: string;
  /** Only records an annotator skipped (true), or only those not skipped (false). */
  skipped?: boolean;
}

export type RecordSortField = 'id' | 'status' | 'emotion' | 'source' | 'updated' | 'todo' | 'uncertain';
export interface RecordQuerySort {
  field: RecordSortField;
  dir: 'asc' | 'desc';
}

/** The to-do order: unlabeled first, then weak; labeled and reviewed records (done) last, by id. */
const TODO_RANK = "(CASE r.status WHEN 'unlabeled' THEN 0 WHEN 'weak' THEN 1 ELSE 2 END)";
const TODO_DONE = 2;
/**
 * The lowest top-emotion probability the suggestion source gave the record (2 when it gave none: unscored last),
 * kept on the record by triggers (migration 011), so the order is an index walk (records_uncertain).
 */
const UNCERTAINTY = 'COALESCE(r.suggestion_score, 2)';
/** Uncertain first: records that need work first (as in the to-do order), each group by that probability, lowest first. */
const UNCERTAIN_KEY = `(${TODO_RANK} * 10 + ${UNCERTAINTY})`;

const SORT_COLUMN: Record<RecordSortField, string> = {
  id: 'r.id',
  status: 'r.status',
  emotion: 'r.emotion',
  source: 'r.source',
  updated: 'r.updated_at',
  todo: TODO_RANK,
  uncertain: UNCERTAIN_KEY,
};
/** The trigram tokenizer indexes substrings of three characters: shorter searches cannot use it. */
const TRIGRAM = 3;

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * How the AU filter reads record_aus: `in` builds the list of the AU's records first (cheap when they are few),
 * `exists` probes the AU's primary key for each record walked in the page's order (stops after a page of matches,
 * cheap when they are many). auForm picks one from how common the AU is.
 */
type AUForm = 'in' | 'exists';
/** The share of all records an AU must be on for the page to walk and probe rather than list its records first. */
const AU_PROBE_SHARE = 0.01;

/** Builds the WHERE clause of a filter. Every condition is either on an indexed column or a cheap per-row test. */
function filterClause(filter: RecordQueryFilter, au: AUForm = 'in'): { where: string; args: unknown[] } {
  const conds: string[] = [];
  const args: unknown[] = [];
  if (filter.status) {
    conds.push('r.status = ?');
    args.push(filter.status);
  }
  if (filter.emotion !== undefined && filter.emotion !== '') {
    if (filter.emotion === '(none)') conds.push('r.emotion IS NULL');
    else {
      conds.push('r.emotion = ?');
      args.push(filter.emotion);
    }
  }
  if (filter.au) {
    // record_aus (migration 015) is records.aus one row per AU: an index range, not a test of every record's AU list
    conds.push(au === 'in' ? 'r.id IN (SELECT ra.record_id FROM record_aus ra WHERE ra.au = ?)' : 'EXISTS (SELECT 1 FROM record_aus ra WHERE ra.au = ? AND ra.record_id = r.id)');
    args.push(filter.au);
  }
  if (filter.source) {
    conds.push('r.source = ?');
    args.push(filter.source);
  }
  if (filter.split) {
    // a probe of the assignment's primary key per record walked: a page stops after its rows, no IN list is built first
    conds.push(`EXISTS (SELECT 1 FROM split_assignments sa WHERE sa.split_id = (SELECT id FROM splits WHERE name = ?) AND sa.record_id = r.id${filter.part ? ' AND sa.part = ?' : ''})`);
    args.push(filter.split, ...(filter.part ? [filter.part] : []));
  }
  if (filter.author) {
    conds.push('r.author_id = (SELECT id FROM users WHERE name = ?)');
    args.push(filter.author);
  }
  if (filter.search && [...filter.search].length >= TRIGRAM) {
    // the trigram indexes (migration 015) find substrings of three or more characters without reading every row
    const phrase = `"${filter.search.replace(/"/g, '""')}"`;
    conds.push(
      '(r.id IN (SELECT rs.id FROM records_search rs WHERE records_search MATCH ?) OR r.image_id IN (SELECT ims.rowid FROM images_search ims WHERE images_search MATCH ?))',
    );
    args.push(phrase, phrase);
  } else if (filter.search) {
    // shorter than a trigram: a substring test of every id; the images side is one scan of images, not one per record
    const pattern = `%${escapeLike(filter.search)}%`;
    conds.push(
      "(r.id LIKE ? ESCAPE '\\' OR r.image_id IN (SELECT i2.id FROM images i2 WHERE i2.subject LIKE ? ESCAPE '\\' OR i2.original_name LIKE ? ESCAPE '\\'))",
    );
    args.push(pattern, pattern, pattern);
  }
  if (filter.skipped !== undefined) conds.push(`r.id ${filter.skipped ? '' : 'NOT '}IN (SELECT record_id FROM (${SKIPPED_RECORDS_SQL}))`);
  return { where: conds.length ? `WHERE ${conds.join(' AND ')}` : '', args };
}

const LIST_COLUMNS = `r.id, r.status, r.emotion, r.aus, r.source, r.updated_at, r.image_id, r.current_revision_id,
  i.subject, i.rel_path, u.name AS author`;
const LIST_FROM = 'records r JOIN images i ON i.id = r.image_id LEFT JOIN users u ON u.id = r.author_id';

function orderBy(sort: RecordQuerySort, filter: RecordQueryFilter = {}): string {
  const dir = sort.dir === 'desc' ? 'DESC' : 'ASC';
  // Within one status the to-do rank is constant: the same order is then the status index's id order, or (uncertain)
  // records_status_uncertain's score order (migration 015), instead of a sort of the whole status.
  const oneStatus = filter.status !== undefined && (sort.field === 'todo' || sort.field === 'uncertain');
  if (sort.field === 'id' || (oneStatus && sort.field === 'todo')) return `ORDER BY r.id ${dir}`;
  const col = oneStatus ? UNCERTAINTY : SORT_COLUMN[sort.field];
  return `ORDER BY ${col} ${dir}, r.id ${dir}`;
}

/** `exists` when the filter's AU is on at least AU_PROBE_SHARE of the records (both counts cached as filter counts). */
function auForm(db: Database.Database, filter: RecordQueryFilter): AUForm {
  if (!filter.au) return 'in';
  const onAU = filterCount(db, { au: filter.au });
  return onAU >= AU_PROBE_SHARE * filterCount(db, {}) ? 'exists' : 'in';
}

/**
 * Per connection: the count of each filter, with the database state it was taken in. Paging and re-sorting a filter
 * (what the queue does on every scroll) reuses it until something changes: a count of a million rows is a walk of a
 * whole index, paid once per change instead of once per page.
 */
const counts = new WeakMap<Database.Database, Map<string, { stamp: string; n: number }>>();
const COUNT_CACHE_LIMIT = 64;

/** Changes since the connection opened (this connection's, triggers included) and commits by other connections. */
function changeStamp(db: Database.Database): string {
  const mine = (stmt(db, 'SELECT total_changes() AS n').get() as { n: number }).n;
  return `${db.pragma('data_version', { simple: true }) as number}:${mine}`;
}

function filterCount(db: Database.Database, filter: RecordQueryFilter): number {
  let perDb = counts.get(db);
  if (!perDb) counts.set(db, (perDb = new Map()));
  const { where, args } = filterClause(filter);
  const key = JSON.stringify([where, args]);
  const stamp = changeStamp(db);
  const hit = perDb.get(key);
  if (hit && hit.stamp === stamp) return hit.n;
  const only = (...keys: (keyof RecordQueryFilter)[]) =>
    Object.entries(filter).every(([k, v]) => keys.includes(k as keyof RecordQueryFilter) || v === undefined || v === '');
  const n =
    filter.split && only('split', 'part')
      ? // every assignment names an existing record (a foreign key): the part's own index range is the count
        named(db, 'records.countSplit', `SELECT COUNT(*) AS n FROM split_assignments sa WHERE sa.split_id = (SELECT id FROM splits WHERE name = ?)${filter.part ? ' AND sa.part = ?' : ''}`).get<{
          n: number;
        }>(filter.split, ...(filter.part ? [filter.part] : []))!.n
      : filter.au && only('au')
        ? // record_aus rows are kept with records.aus by triggers: the AU's own primary-key range is the count
          named(db, 'records.countAU', 'SELECT COUNT(*) AS n FROM record_aus WHERE au = ?').get<{ n: number }>(filter.au)!.n
        : named(db, 'records.count', `SELECT COUNT(*) AS n FROM records r ${where}`).get<{ n: number }>(...args)!.n;
  if (perDb.size >= COUNT_CACHE_LIMIT) perDb.clear();
  perDb.set(key, { stamp, n });
  return n;
}

export function queryRecordRows(
  db: Database.Database,
  filter: RecordQueryFilter,
  sort: RecordQuerySort,
  offset: number,
  limit: number,
): { total: number; rows: RecordListRow[] } {
  const total = filterCount(db, filter);
  const { where, args } = filterClause(filter, auForm(db, filter));
  // Page over the ids alone (a covering index walk: a deep OFFSET skips index entries, not table rows), then
  // join the page: rows and joins are read only for the rows shown. CROSS JOIN keeps the page the outer loop: with
  // a bound LIMIT the planner cannot tell the page is small and would scan every record, probing the page.
  const rows = named(
    db,
    'records.page',
    `SELECT ${LIST_COLUMNS} FROM (SELECT r.id FROM records r ${where} ${orderBy(sort, filter)} LIMIT ? OFFSET ?) page
     CROSS JOIN records r ON r.id = page.id JOIN images i ON i.id = r.image_id LEFT JOIN users u ON u.id = r.author_id ${orderBy(sort, filter)}`,
  ).all<RecordListRow>(...args, limit, offset);
  return { total, rows };
}

/** The ids that follow `afterId` in the filter's order (keyset paging, so it works even when afterId left the filter). */
export function nextRecordIds(
  db: Database.Database,
  filter: RecordQueryFilter,
  sort: RecordQuerySort,
  afterId: string | null,
  count: number,
): string[] {
  const { where, args } = filterClause(filter, auForm(db, filter));
  if (sort.field === 'todo') return nextTodoIds(db, where, args, sort.dir === 'desc', afterId, count);
  if (sort.field === 'uncertain' && afterId !== null && sort.dir === 'asc') {
    const anchor = named(db, 'records.uncertainAnchor', `SELECT ${UNCERTAIN_KEY} AS k FROM records r WHERE r.id = ?`).get<{ k: number }>(afterId);
    if (anchor && anchor.k >= TODO_DONE * 10) {
      // a done anchor (just submitted): the open records after where it stood when it needed work, then the done ones after it
      const s = anchor.k - TODO_DONE * 10;
      const keyset = `((${UNCERTAIN_KEY} > ? AND ${UNCERTAIN_KEY} < ?) OR (${UNCERTAIN_KEY} = ? AND r.id > ?) OR ${UNCERTAIN_KEY} > ? OR (${UNCERTAIN_KEY} = ? AND r.id > ?))`;
      return named(db, 'records.uncertainAfterDone', `SELECT r.id FROM records r ${where ? `${where} AND ${keyset}` : `WHERE ${keyset}`} ${orderBy(sort)} LIMIT ?`)
        .all<{ id: string }>(...args, s, TODO_DONE * 10, s, afterId, anchor.k, anchor.k, afterId, count)
        .map((r) => r.id);
    }
  }
  if (afterId === null) {
    return named(db, 'records.queueFirst', `SELECT r.id FROM records r ${where} ${orderBy(sort)} LIMIT ?`).all<{ id: string }>(...args, count).map((r) => r.id);
  }
  const col = SORT_COLUMN[sort.field];
  const anchor = named(db, 'records.queueAnchor', `SELECT ${col} AS k FROM records r WHERE r.id = ?`).get<{ k: string | null }>(afterId);
  const desc = sort.dir === 'desc';
  const cmp = desc ? '<' : '>';
  let keyset: string;
  let keyArgs: unknown[];
  if (!anchor || sort.field === 'id') {
    // (a vanished anchor continues from its id position)
    keyset = `r.id ${cmp} ?`;
    keyArgs = [afterId];
  } else if (anchor.k === null) {
    // NULLs sort first ascending, last descending (SQLite)
    keyset = desc ? `(${col} IS NULL AND r.id < ?)` : `((${col} IS NULL AND r.id > ?) OR ${col} IS NOT NULL)`;
    keyArgs = [afterId];
  } else {
    keyset = `(${col} ${cmp} ? OR (${col} = ? AND r.id ${cmp} ?)${desc ? ` OR ${col} IS NULL` : ''})`;
    keyArgs = [anchor.k, anchor.k, afterId];
  }
  const fullWhere = where ? `${where} AND ${keyset}` : `WHERE ${keyset}`;
  return named(db, 'records.queueNext', `SELECT r.id FROM records r ${fullWhere} ${orderBy(sort)} LIMIT ?`)
    .all<{ id: string }>(...args, ...keyArgs, count)
    .map((r) => r.id);
}

/**
 * The to-do queue: records that still need work (unlabeled, then weak), then the done ones by id. A record just
 * submitted (now done) continues with the open records after it, then every weak one, then the done records after
 * it: never back to a done record before it, so "next" cannot cycle. Backward walks ids down over every record, so
 * "previous" reaches the record just labeled.
 */
function nextTodoIds(db: Database.Database, where: string, args: unknown[], backward: boolean, afterId: string | null, count: number): string[] {
  const and = (cond: string) => (where ? `${where} AND ${cond}` : `WHERE ${cond}`);
  const ids = (name: string, sql: string, params: unknown[]) => named(db, name, sql).all<{ id: string }>(...params).map((r) => r.id);
  if (backward) {
    if (afterId === null) return ids('records.todoLast', `SELECT r.id FROM records r ${where} ORDER BY r.id DESC LIMIT ?`, [...args, count]);
    return ids('records.todoPrev', `SELECT r.id FROM records r ${and('r.id < ?')} ORDER BY r.id DESC LIMIT ?`, [...args, afterId, count]);
  }
  const order = `ORDER BY ${TODO_RANK}, r.id`;
  if (afterId === null) return ids('records.todoFirst', `SELECT r.id FROM records r ${where} ${order} LIMIT ?`, [...args, count]);
  const anchor = named(db, 'records.todoAnchor', `SELECT ${TODO_RANK} AS k FROM records r WHERE r.id = ?`).get<{ k: number }>(afterId);
  if (anchor && anchor.k < TODO_DONE) {
    return ids('records.todoNext', `SELECT r.id FROM records r ${and(`(${TODO_RANK} > ? OR (${TODO_RANK} = ? AND r.id > ?))`)} ${order} LIMIT ?`, [
      ...args,
      anchor.k,
      anchor.k,
      afterId,
      count,
    ]);
  }
  // a done (or vanished) anchor: the unlabeled records after it, every weak one, the done ones after it
  return ids('records.todoAfterDone', `SELECT r.id FROM records r ${and(`(${TODO_RANK} = 1 OR r.id > ?)`)} ${order} LIMIT ?`, [...args, afterId, count]);
}

export function getRecordListRow(db: Database.Database, id: string): RecordListRow | undefined {
  return stmt(db, `SELECT ${LIST_COLUMNS} FROM ${LIST_FROM} WHERE r.id = ?`).get(id) as RecordListRow | undefined;
}

export function distinctSources(db: Database.Database): string[] {
  return (stmt(db, 'SELECT DISTINCT source FROM records WHERE source IS NOT NULL ORDER BY source').all() as { source: string }[]).map((r) => r.source);
}

/** Names of users who authored a current revision. */
export function distinctAuthors(db: Database.Database): string[] {
  return (
    stmt(db, 'SELECT u.name FROM users u WHERE EXISTS (SELECT 1 FROM records r WHERE r.author_id = u.id) ORDER BY u.name').all() as { name: string }[]
  ).map((r) => r.name);
}
