import * as path from 'node:path';
import { openWorkspace } from '../../db/open';
import { addRevision, insertImage, insertRecord, insertSplit, systemUserId } from '../../db/repositories';
import { createSplit, listSplitSummaries } from '../../services/splits/splits';
import { tempDir } from '../support/facial-r1';

describe('a split summary stored as JSON is read through its schema', () => {
  const ws = openWorkspace(path.join(tempDir(), 'ws'), { create: true });
  afterAll(() => ws.db.close());
  const sys = systemUserId(ws.db);
  ws.db.transaction(() => {
    for (let i = 0; i < 6; i++) {
      const img = insertImage(ws.db, { sha256: String(i).padStart(64, '0'), ext: 'png', width: 1, height: 1, originalName: 'x', subject: `s${i}` });
      insertRecord(ws.db, { id: `r${i}`, imageId: img.id });
      addRevision(ws.db, { recordId: `r${i}`, emotion: i % 2 ? 'happiness' : 'anger', aus: [], reasoning: '', authorId: sys, kind: 'import' });
    }
  })();

  test('a summary from before the leakage report lists without one; re-creating it reports its leakage', () => {
    const parts = { train: { n: 6, byEmotion: { anger: 3, happiness: 3 } } };
    const assignments = new Map(['r0', 'r1', 'r2', 'r3', 'r4', 'r5'].map((id) => [id, 'train']));
    ws.db.transaction(() => insertSplit(ws.db, 'old', { name: 'old', ratios: { train: 1 }, stratify: 'emotion', group: 'subject', seed: 1, records: 6, snapshot: '' }, { parts, maxStratDeviation: 0, sharedSubjects: 0, fractions: { train: 1 } }, assignments))();
    const old = listSplitSummaries(ws.db).splits.find((s) => s.name === 'old')!;
    expect(old.parts).toEqual(parts);
    expect(old.leakage).toBeUndefined();
    // the same outcome under the same name: the stored split, with the leakage computed now (images without hashes)
    const again = createSplit(ws.db, { name: 'old', ratios: { train: 1 }, stratify: 'emotion', group: 'subject', seed: 1 });
    expect(again.createdAt).toBe(old.createdAt);
    expect(again.leakage).toMatchObject({ sharedSubjects: 0, exactDuplicatePairs: 0, nearDuplicatePairs: 0, unhashed: 6 });
  });

  test('a summary that is not one is an error naming the split', () => {
    ws.db.transaction(() => insertSplit(ws.db, 'broken', {}, { parts: 'nope' }, []))();
    expect(() => listSplitSummaries(ws.db)).toThrow(/split "broken": stored summary is not valid: parts/);
  });
});
