import * as path from 'node:path';
import { openWorkspace, type Workspace } from '../../db/open';
import { LATEST_SCHEMA_VERSION } from '../../db/migrations';
import { addRevision, insertImage, insertRecord, listAudit, systemUserId, upsertUser } from '../../db/repositories';
import { createContext } from '../../services/context';
import { createHandlers } from '../../services/handlers';
import { tempDir } from '../support/facial-r1';

function setup(n = 5): { ws: Workspace; h: ReturnType<typeof createHandlers>; alice: number; bob: number } {
  const ws = openWorkspace(path.join(tempDir(), 'ws'), { create: true });
  const db = ws.db;
  const sys = systemUserId(db);
  db.transaction(() => {
  for (let i = 1; i <= n; i++) {
    const img = insertImage(db, { sha256: String(i).padStart(64, '0'), ext: 'png', width: 8, height: 8, originalName: `${i}.png`, subject: `s${i % 2}` });
    insertRecord(db, { id: `r${i}`, imageId: img.id, source: i % 2 ? 'A' : 'B' });
    if (i % 2) addRevision(db, { recordId: `r${i}`, emotion: 'fear', aus: [], reasoning: 'imported', authorId: sys, kind: 'import' });
  }
  })();
  const alice = upsertUser(db, 'alice', 'annotator').user.id;
  const bob = upsertUser(db, 'bob', 'annotator').user.id;
  return { ws, h: createHandlers(createContext(ws)), alice, bob };
}

describe('submit, drafts and undo', () => {
  test('submit adds a human revision, moves the record, records a decision and removes the draft, in one go', async () => {
    const { ws, h, alice } = setup();
    const before = (await h['records.get']({ id: 'r1' })).current!;
    expect(before.kind).toBe('import');
    await h['drafts.save']({ recordId: 'r1', userId: alice, emotion: 'anger', aus: [{ au: 'AU4' }], reasoning: 'draft', parentPredictionId: null });
    const withDraft = await h['records.get']({ id: 'r1', userId: alice });
    expect(withDraft.draft).toMatchObject({ emotion: 'anger', reasoning: 'draft' });
    // a draft never touches revisions
    expect(withDraft.current!.id).toBe(before.id);
    expect((await h['records.history']({ id: 'r1' })).revisions).toHaveLength(1);

    const res = await h['annotations.submit']({
      recordId: 'r1', userId: alice, emotion: 'anger', aus: [{ au: 'AU7', intensity: 'B', side: 'L' }, { au: 'AU4' }], reasoning: '<think>x</think><answer>anger</answer>', baseRevisionId: before.id, leadTimeMs: 1234,
    });
    const after = await h['records.get']({ id: 'r1', userId: alice });
    expect(after.draft).toBeNull();
    expect(after.current).toMatchObject({ id: res.revisionId, kind: 'human', author: 'alice', emotion: 'anger', parentRevisionId: before.id, current: true });
    expect(after.current!.aus).toEqual([{ au: 'AU4', intensity: null, side: null }, { au: 'AU7', intensity: 'B', side: 'L' }]);
    expect(after.row).toMatchObject({ status: 'labeled', emotion: 'anger', aus: ['AU4', 'AU7'], author: 'alice' });
    const rev = ws.db.prepare('SELECT lead_time_ms, provenance FROM revisions WHERE id = ?').get(res.revisionId) as { lead_time_ms: number; provenance: string };
    expect(rev.lead_time_ms).toBe(1234);
    expect(JSON.parse(rev.provenance).conflict).toBeUndefined();
    const decisions = (await h['decisions.recent']({ userId: alice, limit: 10 })).decisions;
    expect(decisions).toEqual([expect.objectContaining({ id: res.decisionId, kind: 'submit', recordId: 'r1', revisionId: res.revisionId, undone: false })]);
    expect(listAudit(ws.db, { entity: 'record', entityId: 'r1' }).map((a) => a.action)).toEqual(['label']);
  });

  test('status follows the labels: both → labeled, one → weak, none → unlabeled', async () => {
    const { h, alice } = setup();
    await h['annotations.submit']({ recordId: 'r2', userId: alice, emotion: null, aus: [{ au: 'AU12' }], reasoning: '' });
    expect((await h['records.get']({ id: 'r2' })).row.status).toBe('weak');
    await h['annotations.submit']({ recordId: 'r2', userId: alice, emotion: 'happiness', aus: [{ au: 'AU12' }], reasoning: '' });
    expect((await h['records.get']({ id: 'r2' })).row.status).toBe('labeled');
    await h['annotations.submit']({ recordId: 'r2', userId: alice, emotion: null, aus: [], reasoning: '' });
    expect((await h['records.get']({ id: 'r2' })).row.status).toBe('unlabeled');
  });

  test('undo restores the previous revision and status; the undone revision stays in history', async () => {
    const { ws, h, alice } = setup();
    const before = await h['records.get']({ id: 'r2' });
    expect(before.row.status).toBe('unlabeled');
    const s1 = await h['annotations.submit']({ recordId: 'r2', userId: alice, emotion: 'happiness', aus: [{ au: 'AU6' }], reasoning: '' });
    const s2 = await h['annotations.submit']({ recordId: 'r3', userId: alice, emotion: 'anger', aus: [{ au: 'AU4' }], reasoning: '' });
    const u1 = await h['decisions.undo']({ userId: alice });
    expect(u1.recordId).toBe('r3');
    const r3 = await h['records.get']({ id: 'r3' });
    expect(r3.row).toMatchObject({ status: 'weak', emotion: 'fear', aus: [] });
    expect(r3.current!.kind).toBe('import');
    const hist = (await h['records.history']({ id: 'r3' })).revisions;
    expect(hist.map((r) => r.id)).toContain(s2.revisionId);
    expect(hist.find((r) => r.id === s2.revisionId)!.current).toBe(false);
    const u2 = await h['decisions.undo']({ userId: alice, decisionId: s1.decisionId });
    expect(u2).toEqual({ recordId: 'r2', restoredRevisionId: null });
    expect((await h['records.get']({ id: 'r2' })).row).toMatchObject({ status: 'unlabeled', emotion: null, aus: [], author: null });
    expect((await h['decisions.recent']({ userId: alice, limit: 5 })).decisions.every((d) => d.undone)).toBe(true);
    await expect(async () => h['decisions.undo']({ userId: alice })).rejects.toThrow(/Nothing to undo/);
    expect(listAudit(ws.db, { entity: 'record' }).filter((a) => a.action === 'undo')).toHaveLength(2);
  });

  test('undo refuses when someone else labeled the record since, and other users cannot undo my decisions', async () => {
    const { h, alice, bob } = setup();
    const mine = await h['annotations.submit']({ recordId: 'r1', userId: alice, emotion: 'anger', aus: [], reasoning: '' });
    await expect(async () => h['decisions.undo']({ userId: bob, decisionId: mine.decisionId })).rejects.toThrow(/another user/);
    await h['annotations.submit']({ recordId: 'r1', userId: bob, emotion: 'sadness', aus: [], reasoning: '', baseRevisionId: mine.revisionId });
    await expect(async () => h['decisions.undo']({ userId: alice })).rejects.toThrow(/changed after/);
  });

  test('skip is a decision that undo can take back; drafts can be discarded', async () => {
    const { h, alice } = setup();
    const { decisionId } = await h['annotations.skip']({ recordId: 'r4', userId: alice, reason: 'blurry' });
    expect((await h['decisions.recent']({ userId: alice, limit: 1 })).decisions[0]).toMatchObject({ id: decisionId, kind: 'skip', reason: 'blurry' });
    expect(await h['decisions.undo']({ userId: alice })).toEqual({ recordId: 'r4', restoredRevisionId: null });
    await h['drafts.save']({ recordId: 'r4', userId: alice, emotion: null, aus: [], reasoning: 'x' });
    expect(await h['drafts.discard']({ recordId: 'r4', userId: alice })).toEqual({ discarded: true });
    expect(await h['drafts.discard']({ recordId: 'r4', userId: alice })).toEqual({ discarded: false });
  });

  test('labels outside the vocabulary are refused; adjective spellings are accepted', async () => {
    const { h, alice } = setup();
    await expect(async () => h['annotations.submit']({ recordId: 'r1', userId: alice, emotion: 'bored', aus: [], reasoning: '' })).rejects.toThrow(/vocabulary/);
    await expect(async () => h['annotations.submit']({ recordId: 'r1', userId: alice, emotion: 'fear', aus: [{ au: 'AU3' }], reasoning: '' })).rejects.toThrow(/not a FACS AU/);
    await h['annotations.submit']({ recordId: 'r1', userId: alice, emotion: 'Happy', aus: [], reasoning: '' });
    expect((await h['records.get']({ id: 'r1' })).row.emotion).toBe('happiness');
  });
});

describe('query, queue, users and stats', () => {
  test('filters, sorting, paging and queue.next agree', async () => {
    const { h, alice } = setup(9);
    const all = await h['records.query']({ filter: {}, sort: { field: 'id', dir: 'asc' }, offset: 0, limit: 100 });
    expect(all.total).toBe(9);
    expect((await h['records.query']({ filter: { status: 'weak' }, sort: { field: 'id', dir: 'asc' }, offset: 0, limit: 2 })).total).toBe(5);
    expect((await h['records.query']({ filter: { source: 'B' }, sort: { field: 'id', dir: 'asc' }, offset: 0, limit: 100 })).rows.map((r) => r.id)).toEqual(['r2', 'r4', 'r6', 'r8']);
    expect((await h['records.query']({ filter: { search: '7' }, sort: { field: 'id', dir: 'asc' }, offset: 0, limit: 100 })).rows.map((r) => r.id)).toEqual(['r7']);
    await h['annotations.submit']({ recordId: 'r4', userId: alice, emotion: 'anger', aus: [{ au: 'AU4' }, { au: 'AU23' }], reasoning: '' });
    expect((await h['records.query']({ filter: { au: 'AU4' }, sort: { field: 'id', dir: 'asc' }, offset: 0, limit: 100 })).rows.map((r) => r.id)).toEqual(['r4']);
    expect((await h['records.query']({ filter: { au: 'AU2' }, sort: { field: 'id', dir: 'asc' }, offset: 0, limit: 100 })).total).toBe(0);
    expect((await h['records.query']({ filter: { author: 'alice' }, sort: { field: 'id', dir: 'asc' }, offset: 0, limit: 100 })).rows.map((r) => r.id)).toEqual(['r4']);
    const page2 = await h['records.query']({ filter: {}, sort: { field: 'emotion', dir: 'desc' }, offset: 3, limit: 3 });
    const full = await h['records.query']({ filter: {}, sort: { field: 'emotion', dir: 'desc' }, offset: 0, limit: 100 });
    expect(page2.rows.map((r) => r.id)).toEqual(full.rows.slice(3, 6).map((r) => r.id));
    for (const sort of [{ field: 'emotion', dir: 'asc' }, { field: 'emotion', dir: 'desc' }, { field: 'source', dir: 'asc' }, { field: 'id', dir: 'desc' }] as const) {
      const order = (await h['records.query']({ filter: {}, sort, offset: 0, limit: 100 })).rows.map((r) => r.id);
      expect((await h['queue.next']({ filter: {}, sort, afterId: null, count: 3 })).ids).toEqual(order.slice(0, 3));
      expect((await h['queue.next']({ filter: {}, sort, afterId: order[2], count: 4 })).ids).toEqual(order.slice(3, 7));
    }
    // the anchor may have left the filter (just labeled): the queue still continues after it
    expect((await h['queue.next']({ filter: { status: 'unlabeled' }, sort: { field: 'id', dir: 'asc' }, afterId: 'r4', count: 2 })).ids).toEqual(['r6', 'r8']);
    expect((await h['records.sources']({})).sources).toEqual(['A', 'B']);
  });

  test('users, keymap settings and stats', async () => {
    const { h, alice } = setup();
    const lead = await h['users.upsert']({ name: 'carol', role: 'lead' });
    expect((await h['users.list']({})).users.map((u) => u.name)).toEqual(['alice', 'bob', 'carol', 'system']);
    expect((await h['users.upsert']({ name: 'carol', role: 'admin' })).id).toBe(lead.id);
    await h['users.saveSettings']({ userId: alice, keymap: { submit: 'Enter' } });
    expect(await h['users.getSettings']({ userId: alice })).toEqual({ keymap: { submit: 'Enter' } });
    await h['annotations.submit']({ recordId: 'r2', userId: alice, emotion: 'happiness', aus: [{ au: 'AU6' }, { au: 'AU12' }], reasoning: '' });
    const s = await h['stats.get']({});
    expect(s).toMatchObject({ records: 5, images: 5, labeled: 1, weak: 3, unlabeled: 1, reviewed: 0, byEmotion: { fear: 3, happiness: 1 }, byAU: { AU6: 1, AU12: 1 } });
    expect(s.progress).toEqual([{ day: new Date().toISOString().slice(0, 10), count: 1 }]);
    expect(s.throughput).toEqual([{ userId: alice, name: 'alice', lastHour: 1, last24h: 1, total: 1 }]);
    const info = await h['workspace.info']({});
    expect(info).toMatchObject({ recordCount: 5, schemaVersion: LATEST_SCHEMA_VERSION });
    expect(info.emotions).toContain('happiness');
    expect(info.aus).toHaveLength(30);
  });
});
