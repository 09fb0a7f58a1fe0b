/**
 * Committed work reaches fea.sqlite itself, not only its -wal file: at open (a WAL left by a crash), periodically
 * while open, and at close. A copy of fea.sqlite alone (its WAL lost) then still holds it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DB_FILE, openWorkspace } from '../../db/open';
import { getUserByName, upsertUser } from '../../db/repositories';
import { tempDir } from '../support/facial-r1';

/** fea.sqlite copied without its -wal, as a backup tool or a careless copy would. */
function withoutWal(wsDir: string): string {
  const copy = path.join(tempDir('fea-walcopy-'), 'ws');
  fs.mkdirSync(path.join(copy, 'media'), { recursive: true });
  fs.copyFileSync(path.join(wsDir, DB_FILE), path.join(copy, DB_FILE));
  return copy;
}

function hasUser(wsDir: string, name: string): boolean {
  const ws = openWorkspace(wsDir, { readonly: true });
  try {
    return getUserByName(ws.db, name) !== undefined;
  } finally {
    ws.close();
  }
}

test('periodically while open: a write is in fea.sqlite within the checkpoint interval', async () => {
  const dir = path.join(tempDir('fea-wal-'), 'ws');
  const ws = openWorkspace(dir, { create: true, checkpointEveryMs: 50 });
  try {
    upsertUser(ws.db, 'kim', 'annotator');
    await new Promise((r) => setTimeout(r, 400));
    expect(hasUser(withoutWal(dir), 'kim')).toBe(true);
  } finally {
    ws.close();
  }
});

test('at open: a WAL left by a process that died without closing is copied into fea.sqlite', () => {
  const dir = path.join(tempDir('fea-wal-'), 'ws');
  openWorkspace(dir, { create: true }).close();
  // A writer that exits without closing its connection leaves its commits in the -wal file only.
  const script = `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))});
    const db = new D(${JSON.stringify(path.join(dir, DB_FILE))});
    db.pragma('journal_mode = WAL');
    db.prepare("INSERT INTO users (name, role, created_at) VALUES ('lee', 'annotator', '2026-01-01')").run();
    process.exit(0);`;
  expect(spawnSync(process.execPath, ['-e', script]).status).toBe(0);
  expect(fs.statSync(path.join(dir, `${DB_FILE}-wal`)).size).toBeGreaterThan(0);
  const ws = openWorkspace(dir, { checkpointEveryMs: 0 });
  try {
    expect(hasUser(withoutWal(dir), 'lee')).toBe(true);
  } finally {
    ws.close();
  }
});

test('at close: the -wal file is emptied', () => {
  const dir = path.join(tempDir('fea-wal-'), 'ws');
  const ws = openWorkspace(dir, { create: true, checkpointEveryMs: 0 });
  const reader = openWorkspace(dir, { readonly: true });
  upsertUser(ws.db, 'ann', 'annotator');
  ws.close();
  const wal = path.join(dir, `${DB_FILE}-wal`);
  expect(fs.existsSync(wal) ? fs.statSync(wal).size : 0).toBe(0);
  reader.close();
  expect(hasUser(withoutWal(dir), 'ann')).toBe(true);
});
