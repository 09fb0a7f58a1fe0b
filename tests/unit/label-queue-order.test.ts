/** The to-do queue order (unlabeled, then weak), the search over subjects and file names, and the queue kept across visits. */
import * as path from 'node:path';
import { openWorkspace } from '../../db/open';
import { ensureModel } from '../../db/repositories/analysis';
import { addRevision, insertImage, insertRecord, nextRecordIds, queryRecordRows, setSuggestionModel, systemUserId, upsertPrediction } from '../../db/repositories';
import { tempDir } from '../support/facial-r1';

/** r1…r9: odd ids weak (an emotion, no AUs), r4 labeled, the rest unlabeled; subjects alternate 'alice' and 'bob'. */
function setup() {
  const ws = openWorkspace(path.join(tempDir(), 'ws'), { create: true });
  const db = ws.db;
  const sys = systemUserId(db);
  db.transaction(() => {
    for (let i = 1; i <= 9; i++) {
      const img = insertImage(db, { sha256: String(i).padStart(64, '0'), ext: 'png', width: 8, height: 8, originalName: `IMG_${100 + i}.jpg`, subject: i % 2 ? 'alice' : 'bob' });
      insertRecord(db, { id: `r${i}`, imageId: img.id, source: 'A' });
      if (i % 2) addRevision(db, { recordId: `r${i}`, emotion: 'fear', aus: [], reasoning: '', authorId: sys, kind: 'import' });
    }
    addRevision(db, { recordId: 'r4', emotion: 'anger', aus: [{ au: 'AU4' }], reasoning: '', authorId: sys, kind: 'import' });
  })();
  return db;
}

const todo = { field: 'todo', dir: 'asc' } as const;

describe('the to-do queue', () => {
  test('lists unlabeled records, then weak ones, then the done ones; queue.next follows that order', () => {
    const db = setup();
    expect(queryRecordRows(db, {}, todo, 0, 100).rows.map((r) => r.id)).toEqual(['r2', 'r6', 'r8', 'r1', 'r3', 'r5', 'r7', 'r9', 'r4']);
    expect(nextRecordIds(db, {}, todo, null, 3)).toEqual(['r2', 'r6', 'r8']);
    expect(nextRecordIds(db, {}, todo, 'r2', 3)).toEqual(['r6', 'r8', 'r1']);
    // r4 is done: what follows it is the next unlabeled record, then the weak ones
    expect(nextRecordIds(db, {}, todo, 'r4', 100)).toEqual(['r6', 'r8', 'r1', 'r3', 'r5', 'r7', 'r9']);
    expect(nextRecordIds(db, {}, todo, 'r7', 100)).toEqual(['r9', 'r4']);
    expect(nextRecordIds(db, {}, todo, 'r9', 100)).toEqual(['r4']);
  });

  test('once nothing needs work it walks the done records by id, and never cycles back', () => {
    const db = setup();
    const sys = systemUserId(db);
    for (const id of ['r1', 'r2', 'r3', 'r5', 'r6', 'r7', 'r8', 'r9']) addRevision(db, { recordId: id, emotion: 'anger', aus: [{ au: 'AU4' }], reasoning: '', authorId: sys, kind: 'import' });
    expect(nextRecordIds(db, {}, todo, null, 2)).toEqual(['r1', 'r2']);
    expect(nextRecordIds(db, {}, todo, 'r2', 2)).toEqual(['r3', 'r4']);
    expect(nextRecordIds(db, {}, todo, 'r9', 2)).toEqual([]);
  });

  test('"Submit & next" skips a record that was labeled meanwhile, and "previous" reaches the record just labeled', () => {
    const db = setup();
    const sys = systemUserId(db);
    addRevision(db, { recordId: 'r6', emotion: 'anger', aus: [{ au: 'AU4' }], reasoning: '', authorId: sys, kind: 'import' });
    expect(nextRecordIds(db, {}, todo, 'r2', 2)).toEqual(['r8', 'r1']);
    addRevision(db, { recordId: 'r2', emotion: 'anger', aus: [{ au: 'AU4' }], reasoning: '', authorId: sys, kind: 'import' });
    expect(nextRecordIds(db, {}, todo, 'r2', 3)).toEqual(['r8', 'r1', 'r3']);
    expect(nextRecordIds(db, {}, { field: 'todo', dir: 'desc' }, 'r8', 2)).toEqual(['r7', 'r6']);
  });

  test('filters still apply', () => {
    const db = setup();
    expect(nextRecordIds(db, { status: 'weak' }, todo, null, 100)).toEqual(['r1', 'r3', 'r5', 'r7', 'r9']);
    expect(nextRecordIds(db, { search: 'bob' }, todo, null, 100)).toEqual(['r2', 'r6', 'r8', 'r4']);
  });
});

describe('uncertain first', () => {
  const uncertain = { field: 'uncertain', dir: 'asc' } as const;
  const predict = (db: ReturnType<typeof setup>, modelId: number, recordId: string, score: number, purpose: 'suggestion' | 'eval' = 'suggestion') =>
    upsertPrediction(db, recordId, modelId, { emotion: 'fear', score, emotionScores: { fear: score }, aus: [], reasoning: '' }, undefined, purpose);

  test("open records first, each group by the suggestion source's top-emotion probability, lowest first; unscored last", () => {
    const db = setup();
    const face = ensureModel(db, { name: 'expression-net', version: '1', kind: 'expression' });
    const policy = ensureModel(db, { name: 'policy-1', version: '1', kind: 'policy' });
    predict(db, face, 'r8', 0.3);
    predict(db, face, 'r6', 0.9);
    predict(db, face, 'r3', 0.2);
    predict(db, face, 'r4', 0.1);
    predict(db, policy, 'r2', 0.05); // a policy: not the source until chosen
    predict(db, face, 'r9', 0.01, 'eval'); // an eval output never orders the queue
    expect(queryRecordRows(db, {}, uncertain, 0, 100).rows.map((r) => r.id)).toEqual(['r8', 'r6', 'r2', 'r3', 'r1', 'r5', 'r7', 'r9', 'r4']);
    expect(nextRecordIds(db, {}, uncertain, null, 3)).toEqual(['r8', 'r6', 'r2']);
    expect(nextRecordIds(db, {}, uncertain, 'r6', 3)).toEqual(['r2', 'r3', 'r1']);

    // r8 just labeled: continue after where it stood, never at the done records before it
    addRevision(db, { recordId: 'r8', emotion: 'anger', aus: [{ au: 'AU4' }], reasoning: '', authorId: systemUserId(db), kind: 'import' });
    expect(nextRecordIds(db, {}, uncertain, 'r8', 100)).toEqual(['r6', 'r2', 'r3', 'r1', 'r5', 'r7', 'r9']);

    setSuggestionModel(db, policy);
    expect(queryRecordRows(db, {}, uncertain, 0, 100).rows.map((r) => r.id)).toEqual(['r2', 'r6', 'r1', 'r3', 'r5', 'r7', 'r9', 'r4', 'r8']);
  });
});

describe('search', () => {
  const ids = (db: ReturnType<typeof setup>, search: string) => queryRecordRows(db, { search }, { field: 'id', dir: 'asc' }, 0, 100).rows.map((r) => r.id);
  test('finds ids, subjects and source file names, as substrings, with LIKE wildcards taken literally', () => {
    const db = setup();
    expect(ids(db, 'r3')).toEqual(['r3']);
    expect(ids(db, 'ALI')).toEqual(['r1', 'r3', 'r5', 'r7', 'r9']);
    expect(ids(db, 'img_105')).toEqual(['r5']);
    expect(ids(db, '.jpg')).toHaveLength(9);
    expect(ids(db, '%')).toEqual([]);
    expect(ids(db, 'IMG%105')).toEqual([]);
    expect(queryRecordRows(db, { search: 'bob' }, { field: 'id', dir: 'asc' }, 0, 100).total).toBe(4);
  });
});
