import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { dispatch } from '../../contract/dispatch';
import { SubmitConflictSchema } from '../../contract/api-error';
import { openWorkspace } from '../../db/open';
import { addRevision, insertImage, insertRecord, systemUserId, upsertUser } from '../../db/repositories';
import { createContext } from '../../services/context';
import { createHandlers } from '../../services/handlers';
import { tempDir } from '../support/facial-r1';

function setup() {
  const ws = openWorkspace(path.join(tempDir(), 'ws'), { create: true });
  const db = ws.db;
  const sys = systemUserId(db);
  db.transaction(() => {
    for (let i = 1; i <= 2; i++) {
      const img = insertImage(db, { sha256: String(i).padStart(64, '0'), ext: 'png', width: 8, height: 8, originalName: `${i}.png`, subject: 's' });
      insertRecord(db, { id: `r${i}`, imageId: img.id, source: 'A' });
    }
    addRevision(db, { recordId: 'r1', emotion: 'fear', aus: [], reasoning: 'imported', authorId: sys, kind: 'import' });
  })();
  const alice = upsertUser(db, 'alice', 'annotator').user.id;
  const bob = upsertUser(db, 'bob', 'annotator').user.id;
  const h = createHandlers(createContext(ws));
  const revisions = (id: string) => (db.prepare('SELECT COUNT(*) AS n FROM revisions WHERE record_id = ?').get(id) as { n: number }).n;
  const call = (input: Record<string, unknown>) => dispatch(h, 'annotations.submit', input);
  return { h, alice, bob, revisions, call };
}

const answer = (userId: number, extra: Record<string, unknown> = {}) => ({ recordId: 'r1', userId, emotion: 'anger', aus: [{ au: 'AU4' }], reasoning: 'mine', ...extra });

describe('annotations.submit: concurrent edits and retries', () => {
  test('two submits on the same base: the second answers conflict with the current revision, and saves nothing', async () => {
    const { h, alice, bob, revisions, call } = setup();
    const base = (await h['records.get']({ id: 'r1' })).current!.id;
    const theirs = await call({ recordId: 'r1', userId: bob, emotion: 'sadness', aus: [{ au: 'AU1' }, { au: 'AU15', intensity: 'C' }], reasoning: 'theirs', baseRevisionId: base });
    expect(theirs.ok).toBe(true);
    const mine = await call(answer(alice, { baseRevisionId: base }));
    expect(mine.ok).toBe(false);
    if (mine.ok) return;
    expect(mine.error.code).toBe('conflict');
    const details = SubmitConflictSchema.parse(mine.error.details);
    expect(details).toMatchObject({
      kind: 'submit_conflict',
      recordId: 'r1',
      baseRevisionId: base,
      current: { emotion: 'sadness', reasoning: 'theirs', author: 'bob', aus: [{ au: 'AU1', intensity: null, side: null }, { au: 'AU15', intensity: 'C', side: null }] },
    });
    expect(details.current!.id).toBe((theirs as { value: { revisionId: number } }).value.revisionId);
    expect(Number.isNaN(Date.parse(details.current!.createdAt))).toBe(false);
    expect(revisions('r1')).toBe(2);
    expect((await h['records.get']({ id: 'r1' })).row.emotion).toBe('sadness');
    // Keeping mine: the same answer on the new base goes through.
    expect((await call(answer(alice, { baseRevisionId: details.current!.id }))).ok).toBe(true);
  });

  test('a null base means "the record had none": a revision added since is a conflict', async () => {
    const { alice, bob, call } = setup();
    expect((await call({ ...answer(bob), recordId: 'r2', baseRevisionId: null })).ok).toBe(true);
    const mine = await call({ ...answer(alice), recordId: 'r2', baseRevisionId: null });
    expect(!mine.ok && mine.error.code).toBe('conflict');
  });

  test('without a base, another person\'s answer is never replaced unless lastWriteWins is sent', async () => {
    const { alice, bob, revisions, call } = setup();
    // Over an imported label (and over one's own answer) a submit without base goes through, as before.
    expect((await call(answer(bob))).ok).toBe(true);
    expect((await call(answer(bob, { emotion: 'disgust' }))).ok).toBe(true);
    const blind = await call(answer(alice));
    expect(!blind.ok && blind.error.code).toBe('conflict');
    expect(!blind.ok && SubmitConflictSchema.parse(blind.error.details).current?.author).toBe('bob');
    expect(revisions('r1')).toBe(3);
    expect((await call(answer(alice, { lastWriteWins: true }))).ok).toBe(true);
    expect(revisions('r1')).toBe(4);
  });

  test('a retried submit with the same idempotency key adds one revision and answers the first reply', async () => {
    const { h, alice, bob, revisions, call } = setup();
    const base = (await h['records.get']({ id: 'r1' })).current!.id;
    const key = randomUUID();
    const first = await call(answer(alice, { baseRevisionId: base, idempotencyKey: key }));
    // The first reply was "lost": the retry carries the same key and the same (now stale) base.
    const retry = await call(answer(alice, { baseRevisionId: base, idempotencyKey: key }));
    expect(first.ok && retry.ok).toBe(true);
    expect(retry).toEqual(first);
    expect(revisions('r1')).toBe(2);
    expect((await h['decisions.recent']({ userId: alice, limit: 10 })).decisions).toHaveLength(1);
    // The key belongs to that submit: another user or record cannot reuse it.
    const stolen = await call(answer(bob, { baseRevisionId: base, idempotencyKey: key }));
    expect(!stolen.ok && stolen.error.code).toBe('invalid_input');
    // A new attempt has a new key.
    expect((await call(answer(alice, { idempotencyKey: randomUUID(), emotion: 'fear' }))).ok).toBe(true);
    expect(revisions('r1')).toBe(3);
  });
});
