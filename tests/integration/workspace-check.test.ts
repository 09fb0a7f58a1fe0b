/**
 * `fea check` finds a damaged b-tree page and altered, deleted or stray media; a damaged workspace is refused by
 * `fea stats` and opened read-only by server mode, whose writes answer `workspace_damaged`.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startServer } from '../../server';
import { tempDir } from '../support/facial-r1';
import { REPO_ROOT, fea } from '../support/cli';
import { checkedAsIs, INTEGRITY_STAMP_FILE } from '../../services/workspace/integrity-stamp';

beforeAll(() => {
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'cli', 'commands', 'check.js'))) throw new Error('the CLI is not built: run "npm run build:node" first');
});

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Overwrites one interior (non-leaf) page of `table`'s b-tree with garbage, at the offset SQLite itself reports. */
function corruptInteriorPage(wsDir: string, table: string): number {
  const file = path.join(wsDir, 'fea.sqlite');
  const db = new Database(file, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const page = db.prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'internal' ORDER BY pageno LIMIT 1").pluck().get(table) as number | undefined;
  db.close();
  if (page === undefined) throw new Error(`${table} has no interior page: add rows`);
  const fd = fs.openSync(file, 'r+');
  const garbage = Buffer.alloc(pageSize);
  for (let i = 0; i < pageSize; i++) garbage[i] = (i * 151 + 7) & 0xff;
  fs.writeSync(fd, garbage, 0, pageSize, (page - 1) * pageSize);
  fs.closeSync(fd);
  return page;
}

function copyWorkspace(from: string): string {
  const to = path.join(tempDir('fea-check-copy-'), 'ws');
  fs.cpSync(from, to, { recursive: true });
  return to;
}

describe('fea check', () => {
  const healthy = path.join(tempDir('fea-check-'), 'ws');
  beforeAll(() => {
    expect(fea(['init', healthy, '--demo', '200', '--seed', '2', '--json']).code).toBe(0);
  }, 60_000);

  test('a healthy workspace passes, full and quick', () => {
    const full = fea(['check', healthy, '--json']);
    expect(full.code).toBe(0);
    expect(full.json).toMatchObject({ ok: true, quick: false, integrity: [], foreignKeys: [], media: { checked: 200, hashed: true, missing: 0, hashMismatch: 0, missingCrops: 0, orphans: 0, linked: 0 } });
    const quick = fea(['check', healthy, '--quick', '--json']);
    expect(quick.code).toBe(0);
    expect(quick.json).toMatchObject({ ok: true, quick: true, media: { checked: 200, hashed: false } });
    const text = fea(['check', healthy]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ok$/m);
  }, 60_000);

  test('a damaged interior page: check reports it and exits 1, stats refuses, server mode refuses writes', async () => {
    const ws = copyWorkspace(healthy);
    corruptInteriorPage(ws, 'revisions');

    const check = fea(['check', ws, '--json']);
    expect(check.code).toBe(1);
    expect(check.json.ok).toBe(false);
    expect(check.json.integrity.length).toBeGreaterThan(0);
    expect(check.json.advice).toMatch(/backup/);
    expect(check.json.error).toMatchObject({ code: 'workspace_damaged', message: expect.stringMatching(/damaged/) });
    expect(fea(['check', ws, '--quick', '--json']).code).toBe(1);

    const stats = fea(['stats', ws]);
    expect(stats.code).toBe(1);
    expect(stats.stdout).not.toMatch(/records/);
    expect(stats.stderr).toMatch(/damaged/);
    expect(stats.stderr).toMatch(/fea check/);
    expect(fea(['stats', ws, '--json']).json).toMatchObject({ error: { code: 'workspace_damaged' } });

    const before = sha(path.join(ws, 'fea.sqlite'));
    const server = await startServer({ workspaceDir: ws, port: 0, log: () => undefined });
    try {
      const statuses: number[] = [];
      const call = async (method: string, input: unknown) => {
        const res = await fetch(`${server.url}api/call/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
        statuses.push(res.status);
        return (await res.json()) as { ok: boolean; error?: { code: string; message: string } };
      };
      const upsert = await call('users.upsert', { name: 'kim', role: 'annotator' });
      expect(statuses).toEqual([503]);
      expect(upsert).toMatchObject({ ok: false, error: { code: 'workspace_damaged' } });
      expect(upsert.error!.message).toMatch(/fea check/);
      expect(upsert.error!.message).toMatch(/backup/);
      const submit = await call('annotations.submit', { recordId: 'demo-000001', userId: 1, emotion: 'happiness', aus: [], reasoning: '' });
      expect(submit).toMatchObject({ ok: false, error: { code: 'workspace_damaged' } });
      // reads that do not touch the damaged page still answer
      expect(await call('users.list', {})).toMatchObject({ ok: true });
    } finally {
      await server.close();
    }
    expect(sha(path.join(ws, 'fea.sqlite'))).toBe(before);
  }, 60_000);

  test("stats' clean check is stamped and stands while only fea commands change the files", () => {
    // a copy has new file times: no stamp stands for it until a check
    const ws = copyWorkspace(healthy);
    expect(checkedAsIs(ws)).toBe(false);
    expect(fea(['stats', ws, '--json']).code).toBe(0);
    expect(fs.existsSync(path.join(ws, INTEGRITY_STAMP_FILE))).toBe(true);
    expect(checkedAsIs(ws)).toBe(true);
    // a fea command that wrote renews the stamp it found standing
    expect(fea(['users', ws, 'add', 'kim', '--role', 'annotator']).code).toBe(0);
    expect(checkedAsIs(ws)).toBe(true);
    // another program's write voids it, and the next stats checks (and stamps) again
    const other = new Database(path.join(ws, 'fea.sqlite'));
    other.prepare("UPDATE users SET role = 'lead' WHERE name = 'kim'").run();
    other.close();
    expect(checkedAsIs(ws)).toBe(false);
    expect(fea(['stats', ws, '--json']).code).toBe(0);
    expect(checkedAsIs(ws)).toBe(true);
    // fea init stamps the database it creates
    const fresh = path.join(tempDir('fea-check-init-'), 'ws');
    expect(fea(['init', fresh]).code).toBe(0);
    expect(checkedAsIs(fresh)).toBe(true);
    // damage written after the stamp changes the file: stats checks again and refuses
    corruptInteriorPage(ws, 'revisions');
    expect(checkedAsIs(ws)).toBe(false);
    expect(fea(['stats', ws, '--json']).json).toMatchObject({ error: { code: 'workspace_damaged' } });
    // a stamp that is not ours (bad JSON, wrong shape) is not trusted
    fs.writeFileSync(path.join(ws, INTEGRITY_STAMP_FILE), '{"db": 1}');
    expect(checkedAsIs(ws)).toBe(false);
  }, 60_000);

  test('a damaged file header: check still answers with a report, stats names the damage', () => {
    const ws = copyWorkspace(healthy);
    const fd = fs.openSync(path.join(ws, 'fea.sqlite'), 'r+');
    fs.writeSync(fd, Buffer.alloc(512, 0x5a), 0, 512, 0);
    fs.closeSync(fd);
    const check = fea(['check', ws, '--json']);
    expect(check.code).toBe(1);
    expect(check.json).toMatchObject({ ok: false, integrity: [expect.stringMatching(/cannot open/)] });
    const stats = fea(['stats', ws, '--json']);
    expect(stats.code).toBe(1);
    expect(stats.json).toMatchObject({ error: { code: 'workspace_damaged' } });
  }, 60_000);

  test('media altered, deleted, stray or hard-linked are reported', () => {
    const ws = copyWorkspace(healthy);
    const db = new Database(path.join(ws, 'fea.sqlite'), { readonly: true });
    const rels = db.prepare('SELECT rel_path FROM images ORDER BY id LIMIT 3').pluck().all() as string[];
    db.close();
    const media = (rel: string) => path.join(ws, 'media', ...rel.split('/'));
    fs.appendFileSync(media(rels[0]), Buffer.from('changed in place'));
    fs.rmSync(media(rels[1]));
    const outside = path.join(tempDir('fea-check-link-'), 'source.png');
    fs.linkSync(media(rels[2]), outside);
    fs.mkdirSync(path.join(ws, 'media', 'zz'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'media', 'zz', 'stray.png'), 'no row names me');

    const r = fea(['check', ws, '--json']);
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ ok: false, integrity: [], media: { checked: 200, missing: 1, hashMismatch: 1, orphans: 1, linked: 1, linkedWritable: 1 } });
    expect(r.json.media.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'hash_mismatch', path: rels[0] }),
        expect.objectContaining({ kind: 'missing', path: rels[1] }),
        expect.objectContaining({ kind: 'orphan', path: 'zz/stray.png' }),
      ]),
    );
    // quick mode sees the deletion without hashing
    expect(fea(['check', ws, '--quick', '--json']).json.media).toMatchObject({ hashed: false, missing: 1, hashMismatch: 0 });
  }, 60_000);
});
