import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { openWorkspace, WorkspaceError, schemaVersion } from '../../db/open';
import { LATEST_SCHEMA_VERSION } from '../../db/migrations';
import { addRevision, insertImage, insertRecord, listAudit, appendAudit, systemUserId } from '../../db/repositories';
import { tempDir } from '../support/facial-r1';

describe('workspace schema', () => {
  test('a new workspace is at the latest schema version, with WAL and foreign keys on', () => {
    const dir = tempDir();
    const ws = openWorkspace(path.join(dir, 'ws'), { create: true });
    expect(schemaVersion(ws.db)).toBe(LATEST_SCHEMA_VERSION);
    expect(ws.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(ws.db.pragma('foreign_keys', { simple: true })).toBe(1);
    ws.close();
  });

  test('opening a workspace made by a newer FEA Studio fails with a clear message', () => {
    const dir = path.join(tempDir(), 'ws');
    openWorkspace(dir, { create: true }).close();
    const raw = new Database(path.join(dir, 'fea.sqlite'));
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    raw.close();
    expect(() => openWorkspace(dir)).toThrow(WorkspaceError);
    expect(() => openWorkspace(dir)).toThrow(/newer FEA Studio/);
  });

  test('opening a folder that is not a workspace says how to create one', () => {
    expect(() => openWorkspace(tempDir())).toThrow(/fea init/);
  });

  test('revisions and their AUs are immutable; the audit log is append-only', () => {
    const ws = openWorkspace(path.join(tempDir(), 'ws'), { create: true });
    const db = ws.db;
    const img = insertImage(db, { sha256: 'a'.repeat(64), ext: 'png', width: 1, height: 1, originalName: 'x.png' });
    insertRecord(db, { id: 'r1', imageId: img.id });
    const { revisionId, status } = addRevision(db, { recordId: 'r1', emotion: 'fear', aus: [{ au: 'AU4' }, { au: 'AU1', intensity: 'C', side: 'L' }], reasoning: '', authorId: systemUserId(db), kind: 'import' });
    expect(status).toBe('labeled');
    expect(() => db.prepare('UPDATE revisions SET emotion = ? WHERE id = ?').run('anger', revisionId)).toThrow(/immutable/);
    expect(() => db.prepare('DELETE FROM revisions WHERE id = ?').run(revisionId)).toThrow(/immutable/);
    expect(() => db.prepare("UPDATE revision_aus SET intensity = 'E' WHERE revision_id = ?").run(revisionId)).toThrow(/immutable/);
    expect(() => db.prepare("INSERT INTO revision_aus (revision_id, au, intensity) VALUES (?, 'AU9', 'F')").run(revisionId)).toThrow();
    const row = db.prepare('SELECT emotion, aus, status, current_revision_id FROM records WHERE id = ?').get('r1');
    expect(row).toEqual({ emotion: 'fear', aus: 'AU1 AU4', status: 'labeled', current_revision_id: revisionId });
    appendAudit(db, { actor: 'test', action: 'label', entity: 'record', entityId: 'r1' });
    expect(listAudit(db, { entity: 'record' })).toHaveLength(1);
    expect(() => db.prepare("UPDATE audit_log SET actor = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    ws.close();
  });

  test('the workspace folder can move: media paths are relative', () => {
    const base = tempDir();
    const ws = openWorkspace(path.join(base, 'a'), { create: true });
    insertImage(ws.db, { sha256: 'b'.repeat(64), ext: 'png', width: 1, height: 1, originalName: 'x.png' });
    ws.close();
    fs.renameSync(path.join(base, 'a'), path.join(base, 'b'));
    const moved = openWorkspace(path.join(base, 'b'));
    const { rel_path } = moved.db.prepare('SELECT rel_path FROM images').get() as { rel_path: string };
    expect(rel_path).toBe(`bb/${'b'.repeat(64)}.png`);
    expect(path.isAbsolute(rel_path)).toBe(false);
    moved.close();
  });
});
