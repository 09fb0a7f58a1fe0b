/**
 * The queries bench/scale made fast give the results they gave before: the queue orders (todo, uncertain from the
 * record's trigger-kept suggestion_score instead of a per-record look-up), pages by OFFSET over ids, queue.next walks,
 * and the dashboard's AU counts from records.aus. The references are the previous SQL, run on the same workspace.
 */
import * as path from 'node:path';
import { LATEST_SCHEMA_VERSION } from '../../db/migrations';
import { openWorkspace } from '../../db/open';
import { deleteFailedAnalyses, ensureModel, saveAnalysis } from '../../db/repositories/analysis';
import {
  addRevision,
  analysisCoverage,
  countByStatus,
  countRecords,
  emotionCounts,
  notAnalysableRecords,
  currentAUCounts,
  insertImage,
  insertRecord,
  insertSplit,
  nextRecordIds,
  queryRecordRows,
  setSuggestionModel,
  systemUserId,
  upsertPrediction,
  type RecordQueryFilter,
  type RecordQuerySort,
  type RecordSortField,
} from '../../db/repositories';
import { tempDir } from '../support/facial-r1';
import { workspaceAtVersion } from '../support/workspace-at-version';
import BetterSqlite3 from 'better-sqlite3';
import type Database from 'better-sqlite3';

const EMOTIONS = ['anger', 'fear', 'happiness', 'neutral', 'sadness'];
const AU_SETS = [[{ au: 'AU4' }, { au: 'AU7' }], [{ au: 'AU1' }, { au: 'AU2' }, { au: 'AU26' }], [{ au: 'AU6' }, { au: 'AU12' }], [], [{ au: 'AU1' }, { au: 'AU15' }]];

/** The uncertain key as it was computed before migration 011: a look-up into predictions per record. */
const OLD_UNCERTAIN = `((CASE r.status WHEN 'unlabeled' THEN 0 WHEN 'weak' THEN 1 ELSE 2 END) * 10 + COALESCE((SELECT MIN(p.score) FROM predictions p JOIN models m ON m.id = p.model_id
  WHERE p.record_id = r.id AND p.purpose = 'suggestion' AND p.score IS NOT NULL
    AND (p.model_id = (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'suggestion_model' AND CAST(value AS INTEGER) > 0)
      OR ((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'suggestion_model' AND CAST(value AS INTEGER) > 0) IS NULL AND m.kind <> 'policy'))), 2))`;

/** 60 records: statuses, emotions, sources and AU sets mixed; scores from two analysis models and a policy, with ties. */
function setup(): { db: Database.Database; face: number; au: number; policy: number } {
  const ws = openWorkspace(path.join(tempDir(), 'ws'), { create: true });
  const db = ws.db;
  const sys = systemUserId(db);
  const face = ensureModel(db, { name: 'expression-net', version: '1', kind: 'expression' });
  const au = ensureModel(db, { name: 'au-net', version: '1', kind: 'au-estimator' });
  const policy = ensureModel(db, { name: 'policy-1', version: '1', kind: 'policy' });
  db.transaction(() => {
    for (let i = 0; i < 60; i++) {
      const id = `r${String((i * 37) % 60).padStart(2, '0')}`;
      const img = insertImage(db, { sha256: String(i).padStart(64, '0'), ext: 'png', width: 8, height: 8, originalName: `IMG_${i}.jpg`, subject: `s${i % 7}` });
      insertRecord(db, { id, imageId: img.id, source: `src${i % 3}` });
      if (i % 5 === 1) addRevision(db, { recordId: id, emotion: EMOTIONS[i % 5], aus: [], reasoning: '', authorId: sys, kind: 'import' });
      else if (i % 5 > 1) addRevision(db, { recordId: id, emotion: EMOTIONS[i % 5], aus: AU_SETS[i % 5], reasoning: '', authorId: sys, kind: 'import' });
      const score = (i % 4) / 4;
      if (i % 3 === 0) upsertPrediction(db, id, face, { emotion: 'fear', score, emotionScores: {}, aus: [], reasoning: '' });
      if (i % 4 === 0) upsertPrediction(db, id, au, { emotion: null, score: score / 2, emotionScores: {}, aus: [], reasoning: '' });
      if (i % 2 === 0) upsertPrediction(db, id, policy, { emotion: 'anger', score: 1 - score, emotionScores: {}, aus: [], reasoning: '' });
      if (i % 11 === 0) upsertPrediction(db, id, face, { emotion: 'fear', score: null, emotionScores: {}, aus: [], reasoning: '' });
    }
  })();
  return { db, face, au, policy };
}

/** The previous query's order for the uncertain sort (ids), with a filter on status. */
function oldUncertainOrder(db: Database.Database, dir: 'asc' | 'desc', status?: string): string[] {
  const d = dir === 'desc' ? 'DESC' : 'ASC';
  const where = status ? 'WHERE r.status = ?' : '';
  return (db.prepare(`SELECT r.id FROM records r ${where} ORDER BY ${OLD_UNCERTAIN} ${d}, r.id ${d}`).all(...(status ? [status] : [])) as { id: string }[]).map((r) => r.id);
}

const pageIds = (db: Database.Database, filter: RecordQueryFilter, sort: RecordQuerySort, size: number) => {
  const ids: string[] = [];
  for (let offset = 0; ; offset += size) {
    const { rows, total } = queryRecordRows(db, filter, sort, offset, size);
    ids.push(...rows.map((r) => r.id));
    if (offset + size >= total) return ids;
  }
};

/** queue.next from the start, 7 at a time, for the first `limit` ids (past a done record the queue goes back to open ones). */
const walk = (db: Database.Database, filter: RecordQueryFilter, sort: RecordQuerySort, limit: number) => {
  const ids: string[] = [];
  let after: string | null = null;
  while (ids.length < limit) {
    const next = nextRecordIds(db, filter, sort, after, 7);
    if (next.length === 0) break;
    ids.push(...next);
    after = next[next.length - 1];
  }
  return ids.slice(0, limit);
};

describe('queue orders at scale give the same results as before', () => {
  test('uncertain: pages, walks and a status filter follow the previous per-record look-up; the source switch re-sorts', () => {
    const { db, face, policy } = setup();
    for (const dir of ['asc', 'desc'] as const) {
      const sort = { field: 'uncertain', dir } as const;
      expect(pageIds(db, {}, sort, 9)).toEqual(oldUncertainOrder(db, dir));
      expect(pageIds(db, { status: 'weak' }, sort, 4)).toEqual(oldUncertainOrder(db, dir, 'weak'));
    }
    const open = (db.prepare("SELECT COUNT(*) AS n FROM records WHERE status IN ('unlabeled', 'weak')").get() as { n: number }).n;
    expect(walk(db, {}, { field: 'uncertain', dir: 'asc' }, open)).toEqual(oldUncertainOrder(db, 'asc').slice(0, open));

    // a prediction rescored, one replaced by a null score, the source switched to the policy and back
    upsertPrediction(db, 'r00', face, { emotion: 'fear', score: 0.01, emotionScores: {}, aus: [], reasoning: '' });
    upsertPrediction(db, 'r37', face, { emotion: 'fear', score: null, emotionScores: {}, aus: [], reasoning: '' });
    expect(pageIds(db, {}, { field: 'uncertain', dir: 'asc' }, 9)).toEqual(oldUncertainOrder(db, 'asc'));
    setSuggestionModel(db, policy);
    expect(pageIds(db, {}, { field: 'uncertain', dir: 'asc' }, 9)).toEqual(oldUncertainOrder(db, 'asc'));
    db.prepare('DELETE FROM predictions WHERE record_id = ? AND model_id = ?').run('r00', policy);
    expect(pageIds(db, {}, { field: 'uncertain', dir: 'asc' }, 9)).toEqual(oldUncertainOrder(db, 'asc'));
    setSuggestionModel(db, null);
    expect(pageIds(db, {}, { field: 'uncertain', dir: 'desc' }, 9)).toEqual(oldUncertainOrder(db, 'desc'));
    // a submit moves a record into the done group: the key follows the status
    addRevision(db, { recordId: oldUncertainOrder(db, 'asc')[0], emotion: 'anger', aus: [{ au: 'AU4' }], reasoning: '', authorId: systemUserId(db), kind: 'human' });
    expect(pageIds(db, {}, { field: 'uncertain', dir: 'asc' }, 9)).toEqual(oldUncertainOrder(db, 'asc'));
  });

  test('every sort field: OFFSET pages over ids list each record once, in the order of one unpaged query', () => {
    const { db } = setup();
    const fields: RecordSortField[] = ['id', 'status', 'emotion', 'source', 'updated', 'todo', 'uncertain'];
    const filters: RecordQueryFilter[] = [{}, { status: 'labeled' }, { emotion: 'fear' }, { au: 'AU1' }, { source: 'src1' }, { search: 's3' }];
    for (const field of fields) {
      for (const dir of ['asc', 'desc'] as const) {
        for (const filter of filters) {
          const all = queryRecordRows(db, filter, { field, dir }, 0, 1000);
          const paged = pageIds(db, filter, { field, dir }, 4);
          expect(paged).toEqual(all.rows.map((r) => r.id));
          expect(new Set(paged).size).toBe(all.total);
        }
      }
    }
  });

  test('the first page of todo and uncertain is an index walk, not a sort of the table', () => {
    const { db } = setup();
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    const todo = "(CASE r.status WHEN 'unlabeled' THEN 0 WHEN 'weak' THEN 1 ELSE 2 END)";
    expect(plan(`SELECT r.id FROM records r ORDER BY ${todo}, r.id LIMIT 5`)).toMatch(/records_todo/);
    expect(plan(`SELECT r.id FROM records r ORDER BY (${todo} * 10 + COALESCE(r.suggestion_score, 2)) DESC, r.id DESC LIMIT 5`)).toMatch(/records_uncertain/);
    expect(plan(`SELECT r.id FROM records r ORDER BY (${todo} * 10 + COALESCE(r.suggestion_score, 2)), r.id LIMIT 5`)).not.toMatch(/TEMP B-TREE/);
  });
});

test('a filter\'s count is reused across pages only until the records change, on this connection or another', () => {
  const { db } = setup();
  const total = () => queryRecordRows(db, { status: 'unlabeled' }, { field: 'id', dir: 'asc' }, 0, 5).total;
  const n = total();
  expect(queryRecordRows(db, { status: 'unlabeled' }, { field: 'emotion', dir: 'desc' }, 5, 5).total).toBe(n);
  const img = insertImage(db, { sha256: 'f'.repeat(64), ext: 'png', width: 8, height: 8, originalName: 'new.png' });
  insertRecord(db, { id: 'zz-new', imageId: img.id });
  expect(total()).toBe(n + 1);
  const other = new BetterSqlite3(db.name);
  other.prepare("UPDATE records SET status = 'weak' WHERE id = 'zz-new'").run();
  other.close();
  expect(total()).toBe(n);
});

test('the split filter: pages walk the assignments by primary key, and a split-only count reads the part\'s index range', () => {
  const { db } = setup();
  const ids = (db.prepare('SELECT id FROM records ORDER BY id').all() as { id: string }[]).map((r) => r.id);
  insertSplit(db, 'main', {}, {}, ids.map((id, i) => [id, ['train', 'val', 'test'][i % 3]] as [string, string]));
  for (const part of ['train', 'test', undefined]) {
    const expected = ids.filter((_, i) => part === undefined || ['train', 'val', 'test'][i % 3] === part);
    expect(pageIds(db, { split: 'main', part }, { field: 'id', dir: 'asc' }, 6)).toEqual(expected);
    expect(queryRecordRows(db, { split: 'main', part }, { field: 'id', dir: 'asc' }, 0, 1).total).toBe(expected.length);
  }
  const weakTrain = queryRecordRows(db, { split: 'main', part: 'train', status: 'weak' }, { field: 'id', dir: 'asc' }, 0, 100);
  const weak = new Set((db.prepare("SELECT id FROM records WHERE status = 'weak'").all() as { id: string }[]).map((r) => r.id));
  expect(weakTrain.rows.map((r) => r.id)).toEqual(ids.filter((id, i) => i % 3 === 0 && weak.has(id)));
  expect(weakTrain.total).toBeGreaterThan(0);
  expect(weakTrain.total).toBe(weakTrain.rows.length);
  expect(queryRecordRows(db, { split: 'none' }, { field: 'id', dir: 'asc' }, 0, 10)).toEqual({ total: 0, rows: [] });
});

test("the dashboard's AU counts equal the previous count over the current revisions' AUs", () => {
  const { db } = setup();
  const old = db
    .prepare('SELECT ra.au, COUNT(*) AS n FROM records r JOIN revision_aus ra ON ra.revision_id = r.current_revision_id GROUP BY ra.au')
    .all() as { au: string; n: number }[];
  expect(Object.fromEntries(currentAUCounts(db))).toEqual(Object.fromEntries(old.map((r) => [r.au, r.n])));
});

test('migration 011 fills suggestion_score of a workspace that has predictions', () => {
  const dir = workspaceAtVersion(10, (db) => {
    const now = new Date().toISOString();
    db.prepare("INSERT INTO images (id, sha256, rel_path, width, height, original_name, created_at) VALUES (1, 'a', 'a.png', 8, 8, 'a.png', ?)").run(now);
    for (const id of ['a', 'b', 'c']) {
      db.prepare("INSERT INTO records (id, image_id, question, status, created_at, updated_at) VALUES (?, 1, 'q', 'unlabeled', ?, ?)").run(id, now, now);
    }
    db.prepare("INSERT INTO models (id, name, version, kind, created_at) VALUES (1, 'face', '1', 'expression', ?), (2, 'pol', '1', 'policy', ?)").run(now, now);
    const ins = db.prepare("INSERT INTO predictions (record_id, model_id, score, created_at, purpose) VALUES (?, ?, ?, ?, 'suggestion')");
    ins.run('a', 1, 0.4, now);
    ins.run('b', 2, 0.1, now);
    ins.run('c', 1, 0.7, now);
  });
  const ws = openWorkspace(dir);
  expect(ws.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
  expect(ws.db.prepare('SELECT id, suggestion_score AS s FROM records ORDER BY id').all()).toEqual([
    { id: 'a', s: 0.4 },
    { id: 'b', s: null },
    { id: 'c', s: 0.7 },
  ]);
  expect(queryRecordRows(ws.db, {}, { field: 'uncertain', dir: 'asc' }, 0, 10).rows.map((r) => r.id)).toEqual(['a', 'c', 'b']);
  ws.close();
});

/** The AU filter and search as they were before migration 015: a substring test of every record. */
function oldFilterIds(db: Database.Database, filter: { au?: string; search?: string; status?: string }): string[] {
  const conds: string[] = [];
  const args: unknown[] = [];
  if (filter.au) {
    conds.push("instr(' ' || r.aus || ' ', ?) > 0");
    args.push(` ${filter.au} `);
  }
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push("(r.id LIKE ? ESCAPE '\\' OR r.image_id IN (SELECT i2.id FROM images i2 WHERE i2.subject LIKE ? ESCAPE '\\' OR i2.original_name LIKE ? ESCAPE '\\'))");
    args.push(pattern, pattern, pattern);
  }
  if (filter.status) {
    conds.push('r.status = ?');
    args.push(filter.status);
  }
  return (db.prepare(`SELECT r.id FROM records r WHERE ${conds.join(' AND ')} ORDER BY r.id`).all(...args) as { id: string }[]).map((r) => r.id);
}

describe('AU filter and search from their indexes (migration 015) find what the substring tests found', () => {
  /** setup()'s 60 records, 240 more without labels (so an AU on one record is rare), and one AU23 record. */
  function bigger() {
    const s = setup();
    const sys = systemUserId(s.db);
    s.db.transaction(() => {
      for (let i = 0; i < 240; i++) {
        const img = insertImage(s.db, { sha256: `e${String(i).padStart(63, '0')}`, ext: 'png', width: 8, height: 8, originalName: `Plain_${i}%_x.png`, subject: i % 2 ? 'Subj"Q' : null });
        insertRecord(s.db, { id: `p${String(i).padStart(3, '0')}`, imageId: img.id });
      }
      addRevision(s.db, { recordId: 'p007', emotion: 'anger', aus: [{ au: 'AU23' }, { au: 'AU4' }], reasoning: '', authorId: sys, kind: 'import' });
    })();
    return s;
  }

  test('every AU, common or rare, alone and with a status, in every sort; and after relabels', () => {
    const { db } = bigger();
    const check = () => {
      for (const au of ['AU1', 'AU4', 'AU12', 'AU23', 'AU26', 'AU43']) {
        for (const filter of [{ au }, { au, status: 'labeled' as const }]) {
          const expected = oldFilterIds(db, filter);
          expect(pageIds(db, filter, { field: 'id', dir: 'asc' }, 7)).toEqual(expected);
          expect(queryRecordRows(db, filter, { field: 'id', dir: 'asc' }, 0, 1).total).toBe(expected.length);
          for (const field of ['emotion', 'updated', 'uncertain', 'todo'] as const) {
            expect([...pageIds(db, filter, { field, dir: 'desc' }, 5)].sort()).toEqual(expected);
          }
          expect(walk(db, filter, { field: 'id', dir: 'asc' }, 1000)).toEqual(expected);
        }
      }
    };
    check();
    const sys = systemUserId(db);
    addRevision(db, { recordId: 'p007', emotion: 'anger', aus: [{ au: 'AU43' }], reasoning: '', authorId: sys, kind: 'human' });
    addRevision(db, { recordId: 'r02', emotion: 'fear', aus: [], reasoning: '', authorId: sys, kind: 'human' });
    addRevision(db, { recordId: 'p100', emotion: 'fear', aus: [{ au: 'AU1' }, { au: 'AU12' }], reasoning: '', authorId: sys, kind: 'human' });
    check();
    expect(db.prepare("SELECT record_id FROM record_aus WHERE au = 'AU23'").all()).toEqual([]);
  });

  test('search: ids, subjects and file names, any case, with quotes and LIKE wildcards, long and short', () => {
    const { db } = bigger();
    for (const search of ['p01', 'P01', 'IMG_1', 'img_1', 'plain_23%', '%_x', 'subj"q', 'Subj"Q', 's3', 'r3', '_', '%', 'r05', 'nothing-like-this']) {
      const expected = oldFilterIds(db, { search });
      expect({ search, ids: pageIds(db, { search }, { field: 'id', dir: 'asc' }, 9) }).toEqual({ search, ids: expected });
      expect(queryRecordRows(db, { search, status: 'unlabeled' }, { field: 'emotion', dir: 'asc' }, 0, 1000).rows.map((r) => r.id).sort()).toEqual(
        oldFilterIds(db, { search, status: 'unlabeled' }),
      );
    }
  });

  test('the plans: an AU count is its primary-key range, a search reads the trigram indexes, one status sorts uncertain on its index', () => {
    const { db } = bigger();
    const plan = (sql: string, ...args: unknown[]) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan('SELECT COUNT(*) AS n FROM record_aus WHERE au = ?', 'AU1')).toMatch(/PRIMARY KEY \(au=\?\)/);
    const search = plan(
      'SELECT r.id FROM records r WHERE (r.id IN (SELECT rs.id FROM records_search rs WHERE records_search MATCH ?) OR r.image_id IN (SELECT ims.rowid FROM images_search ims WHERE images_search MATCH ?))',
      '"abc"',
      '"abc"',
    );
    expect(search).toMatch(/VIRTUAL TABLE INDEX 0:M/);
    expect(search).not.toMatch(/SCAN r\b/);
    expect(plan("SELECT r.id FROM records r WHERE r.status = 'weak' ORDER BY COALESCE(r.suggestion_score, 2), r.id LIMIT 5")).toMatch(/records_status_uncertain/);
  });
});

test('migration 015 fills record_aus and the search indexes of a workspace at version 14', () => {
  const dir = workspaceAtVersion(14, (db) => {
    const now = new Date().toISOString();
    db.prepare("INSERT INTO images (id, sha256, rel_path, width, height, original_name, subject, created_at) VALUES (1, 'a', 'a.png', 8, 8, 'Face_A.png', 'S01', ?)").run(now);
    const ins = db.prepare("INSERT INTO records (id, image_id, question, status, aus, created_at, updated_at) VALUES (?, 1, 'q', 'unlabeled', ?, ?, ?)");
    ins.run('rec-a', 'AU1 AU12', now, now);
    ins.run('rec-b', '', now, now);
  });
  const ws = openWorkspace(dir);
  expect(ws.db.prepare('SELECT au, record_id FROM record_aus ORDER BY au').all()).toEqual([
    { au: 'AU1', record_id: 'rec-a' },
    { au: 'AU12', record_id: 'rec-a' },
  ]);
  expect(queryRecordRows(ws.db, { search: 'ec-b' }, { field: 'id', dir: 'asc' }, 0, 10).rows.map((r) => r.id)).toEqual(['rec-b']);
  expect(queryRecordRows(ws.db, { search: 'face_a' }, { field: 'id', dir: 'asc' }, 0, 10).total).toBe(2);
  ws.close();
});

test("the dashboard's tallies (migration 015) equal the counts over every record after imports, relabels and analyses", () => {
  const { db } = setup();
  const old = () => ({
    records: (db.prepare('SELECT COUNT(*) AS n FROM records').get() as { n: number }).n,
    byStatus: Object.fromEntries((db.prepare('SELECT status, COUNT(*) AS n FROM records GROUP BY status').all() as { status: string; n: number }[]).map((r) => [r.status, r.n])),
    byEmotion: Object.fromEntries(
      (db.prepare('SELECT emotion, COUNT(*) AS n FROM records WHERE emotion IS NOT NULL GROUP BY emotion').all() as { emotion: string; n: number }[]).map((r) => [r.emotion, r.n]),
    ),
    byAU: Object.fromEntries((db.prepare('SELECT ra.au, COUNT(*) AS n FROM records r JOIN revision_aus ra ON ra.revision_id = r.current_revision_id GROUP BY ra.au').all() as { au: string; n: number }[]).map((r) => [r.au, r.n])),
    coverage: db
      .prepare(
        `SELECT COUNT(*) AS records, COALESCE(SUM(a.image_id IS NOT NULL AND a.error IS NULL), 0) AS analyzed, COALESCE(SUM(a.error IS NULL AND a.face_found = 1), 0) AS facesFound
         FROM records r LEFT JOIN analyses a ON a.image_id = r.image_id`,
      )
      .get(),
    failed: db
      .prepare(
        `SELECT CASE WHEN instr(a.error, ':') > 0 THEN substr(a.error, 1, instr(a.error, ':') - 1) ELSE a.error END AS reason, COUNT(*) AS records
         FROM records r JOIN analyses a ON a.image_id = r.image_id WHERE a.error IS NOT NULL GROUP BY 1 ORDER BY records DESC, reason`,
      )
      .all(),
  });
  const now = () => {
    const byStatus = Object.fromEntries(Object.entries(countByStatus(db)).filter(([, n]) => n > 0));
    return {
      records: countRecords(db),
      byStatus,
      byEmotion: Object.fromEntries(emotionCounts(db)),
      byAU: Object.fromEntries(currentAUCounts(db)),
      coverage: analysisCoverage(db),
      failed: notAnalysableRecords(db),
    };
  };
  expect(now()).toEqual(old());
  const sys = systemUserId(db);
  const imageOf = (id: string) => (db.prepare('SELECT image_id FROM records WHERE id = ?').get(id) as { image_id: number }).image_id;
  const base = { box: null, landmarks: [], descriptor: null, cropGrayPath: null, cropColorPath: null, auEstimates: {}, expressions: {}, phash: null, backend: 'cpu' };
  saveAnalysis(db, { ...base, imageId: imageOf('r00'), faceFound: true, error: null });
  saveAnalysis(db, { ...base, imageId: imageOf('r01'), faceFound: false, error: null });
  saveAnalysis(db, { ...base, imageId: imageOf('r02'), faceFound: false, error: 'undecodable: bad bytes' });
  // a second record of an analysed image, and of a failed one
  insertRecord(db, { id: 'z-shared', imageId: imageOf('r00') });
  insertRecord(db, { id: 'z-failed', imageId: imageOf('r02') });
  addRevision(db, { recordId: 'z-shared', emotion: 'anger', aus: [{ au: 'AU4' }], reasoning: '', authorId: sys, kind: 'human' });
  addRevision(db, { recordId: 'r03', emotion: null, aus: [], reasoning: '', authorId: sys, kind: 'human' });
  addRevision(db, { recordId: 'r04', emotion: 'surprise', aus: [{ au: 'AU26' }, { au: 'AU1' }], reasoning: '', authorId: sys, kind: 'human' });
  expect(now()).toEqual(old());
  expect(now().coverage).toMatchObject({ analyzed: 3, facesFound: 2 });
  expect(deleteFailedAnalyses(db)).toBe(1);
  db.prepare('UPDATE analyses SET face_found = 0 WHERE image_id = ?').run(imageOf('r00'));
  expect(now()).toEqual(old());
  db.prepare("DELETE FROM records WHERE id = 'z-failed'").run();
  expect(now()).toEqual(old());
});
