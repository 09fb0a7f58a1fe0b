import * as path from 'node:path';
import { openWorkspace } from '../../db/open';
import { computeSplit, parseRatios, type SplitItem } from '../../pipelines/splits';
import { createSplit, listSplitSummaries } from '../../services/splits/splits';
import { addRevision, insertImage, insertRecord, systemUserId, splitAssignments, getSplit, queryRecordRows, recordSplits } from '../../db/repositories';
import { tempDir } from '../support/facial-r1';

const EMOTIONS = ['anger', 'disgust', 'fear', 'happiness', 'neutral', 'sadness', 'surprise'];

/** 120 subjects with 3–12 images each and skewed emotions. */
function items(): SplitItem[] {
  const out: SplitItem[] = [];
  let k = 0;
  for (let s = 0; s < 120; s++) {
    const n = 3 + ((s * 7) % 10);
    for (let j = 0; j < n; j++) {
      const e = EMOTIONS[(s * 3 + j * j + (j % 2 ? 3 : 0)) % (j % 4 === 0 ? 3 : 7)];
      out.push({ id: `r${String(k++).padStart(5, '0')}`, label: e, subject: `s${s}` });
    }
  }
  return out;
}

describe('stratified subject-grouped split', () => {
  const opts = { ratios: { train: 0.8, test: 0.2 }, stratify: true, group: true, seed: 42 };

  test('same seed, same split; input order does not matter; another seed differs', () => {
    const a = computeSplit(items(), opts);
    const b = computeSplit([...items()].reverse(), opts);
    expect([...b.assignments].sort()).toEqual([...a.assignments].sort());
    const c = computeSplit(items(), { ...opts, seed: 43 });
    expect([...c.assignments].sort()).not.toEqual([...a.assignments].sort());
  });

  test('subjects never straddle parts, fractions are close and strata are balanced', () => {
    const r = computeSplit(items(), opts);
    expect(r.sharedSubjects).toBe(0);
    const n = items().length;
    expect(Math.abs(r.parts.train.n / n - 0.8)).toBeLessThan(0.02);
    expect(r.maxStratDeviation).toBeLessThan(0.03);
  });

  test('without grouping, subjects may be shared (so the check is not vacuous)', () => {
    const r = computeSplit(items(), { ...opts, group: false });
    expect(r.sharedSubjects).toBeGreaterThan(0);
    expect(r.maxStratDeviation).toBeLessThan(0.01);
  });

  test('three parts', () => {
    const r = computeSplit(items(), { ...opts, ratios: parseRatios('train=0.7,val=0.1,test=0.2') });
    expect(Object.keys(r.parts)).toEqual(['train', 'val', 'test']);
    expect(r.sharedSubjects).toBe(0);
    expect(r.maxStratDeviation).toBeLessThan(0.08);
  });

  test('ratio parsing errors are clear', () => {
    expect(() => parseRatios('train=0.8,test')).toThrow(/NAME=NUMBER/);
    expect(() => parseRatios('train=0')).toThrow(/positive/);
  });

  test('the service persists assignments, is idempotent per name and refuses a different split under the same name', () => {
    const ws = openWorkspace(path.join(tempDir(), 'ws'), { create: true });
    const sys = systemUserId(ws.db);
    ws.db.transaction(() => items().slice(0, 300).forEach((it, i) => {
      const img = insertImage(ws.db, { sha256: String(i).padStart(64, '0'), ext: 'png', width: 1, height: 1, originalName: 'x', subject: it.subject });
      insertRecord(ws.db, { id: it.id, imageId: img.id });
      addRevision(ws.db, { recordId: it.id, emotion: it.label, aus: i % 5 ? [{ au: 'AU4' }] : [], reasoning: '', authorId: sys, kind: 'import' });
    }))();
    // an AU-only record is left out (nothing to stratify on)
    const img = insertImage(ws.db, { sha256: 'f'.repeat(64), ext: 'png', width: 1, height: 1, originalName: 'x' });
    insertRecord(ws.db, { id: 'au-only', imageId: img.id });
    addRevision(ws.db, { recordId: 'au-only', emotion: null, aus: [{ au: 'AU4' }], reasoning: '', authorId: sys, kind: 'import' });
    const s1 = createSplit(ws.db, { name: 'a', ratios: { train: 0.8, test: 0.2 }, stratify: 'emotion', group: 'subject', seed: 7 });
    const s2 = createSplit(ws.db, { name: 'b', ratios: { train: 0.8, test: 0.2 }, stratify: 'emotion', group: 'subject', seed: 7 });
    expect(s1.parts).toEqual(s2.parts);
    expect(s1.records).toBe(300);
    expect([...splitAssignments(ws.db, getSplit(ws.db, 'a')!.id)]).toEqual([...splitAssignments(ws.db, getSplit(ws.db, 'b')!.id)]);
    expect(createSplit(ws.db, { name: 'a', ratios: { train: 0.8, test: 0.2 }, stratify: 'emotion', group: 'subject', seed: 7 }).createdAt).toBe(s1.createdAt);
    expect(() => createSplit(ws.db, { name: 'a', ratios: { train: 0.5, test: 0.5 }, stratify: 'emotion', group: 'subject', seed: 7 })).toThrow(/already exists/);
    expect(listSplitSummaries(ws.db).splits.map((s) => s.name)).toEqual(['a', 'b']);
    // records.query's split/part filter sees the persisted assignment
    const test = queryRecordRows(ws.db, { split: 'a', part: 'test' }, { field: 'id', dir: 'asc' }, 0, 1000);
    expect(test.total).toBe(s1.parts.test.n);
    expect(recordSplits(ws.db, test.rows[0].id)).toEqual([{ name: 'a', part: 'test' }, { name: 'b', part: 'test' }]);
    expect(queryRecordRows(ws.db, { split: 'a' }, { field: 'id', dir: 'asc' }, 0, 1).total).toBe(300);
    ws.close();
  });
});
