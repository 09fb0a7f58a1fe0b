/** users.create never changes an existing profile's role; a split created with a userId is audited as that user. */
import * as path from 'node:path';
import { dispatch } from '../../contract/dispatch';
import { openWorkspace } from '../../db/open';
import { addRevision, insertImage, insertRecord, listAudit, listUsers, systemUserId } from '../../db/repositories';
import { createContext } from '../../services/context';
import { createHandlers } from '../../services/handlers';
import { tempDir } from '../support/facial-r1';

function setup() {
  const ws = openWorkspace(path.join(tempDir(), 'ws'), { create: true });
  const sys = systemUserId(ws.db);
  ws.db.transaction(() => {
    for (let i = 1; i <= 8; i++) {
      const img = insertImage(ws.db, { sha256: String(i).padStart(64, '0'), ext: 'png', width: 8, height: 8, originalName: `${i}.png`, subject: `s${i}` });
      insertRecord(ws.db, { id: `r${i}`, imageId: img.id, source: 'A' });
      addRevision(ws.db, { recordId: `r${i}`, emotion: i % 2 ? 'fear' : 'anger', aus: [], reasoning: 'imported', authorId: sys, kind: 'import' });
    }
  })();
  return { ws, h: createHandlers(createContext(ws)) };
}

test('users.create: a new name is created; a taken one answers that profile unchanged (created: false)', async () => {
  const { ws, h } = setup();
  try {
    const first = await h['users.create']({ name: 'kim', role: 'lead' });
    expect(first).toMatchObject({ created: true, user: { name: 'kim', role: 'lead' } });
    const again = await h['users.create']({ name: 'kim', role: 'annotator' });
    expect(again).toEqual({ created: false, user: first.user });
    expect(listUsers(ws.db).find((u) => u.name === 'kim')?.role).toBe('lead');
    expect(listAudit(ws.db, { entity: 'user' })).toHaveLength(1);
  } finally {
    ws.close();
  }
});

test("splits.create with a userId: the audit log's actor is that user; without one, system; an unknown user is refused", async () => {
  const { ws, h } = setup();
  try {
    const kim = (await h['users.create']({ name: 'kim', role: 'researcher' })).user;
    expect((await dispatch(h, 'splits.create', { name: 'a', ratios: { train: 0.5, test: 0.5 }, seed: 1, userId: kim.id })).ok).toBe(true);
    expect((await dispatch(h, 'splits.create', { name: 'b', ratios: { train: 0.5, test: 0.5 }, seed: 1 })).ok).toBe(true);
    expect(await dispatch(h, 'splits.create', { name: 'c', ratios: { train: 0.5, test: 0.5 }, seed: 1, userId: 999 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const audit = listAudit(ws.db, { entity: 'split' });
    expect(Object.fromEntries(audit.map((e) => [e.entityId, e.actor]))).toEqual({ a: 'kim', b: 'system' });
    expect(audit.every((e) => !('userId' in e.detail))).toBe(true);
  } finally {
    ws.close();
  }
});
