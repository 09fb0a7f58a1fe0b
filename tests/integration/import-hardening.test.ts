/**
 * What a careless user or a hostile dataset can hand to import: special and endless files as images, paths out
 * of the images folder, over-long fields and lines, PNGs that do not decode or claim huge sizes, and sources that
 * change after import. Each is a per-line error (naming line and path) or leaves the workspace untouched.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openWorkspace, type Workspace } from '../../db/open';
import { importDataset } from '../../services/import/import';
import { verifyMediaFile } from '../../services/import/media';
import { sha256 } from '../../services/import/media';
import { tempDir, validLine, writeJsonl } from '../support/facial-r1';
import { makePng, pngBrokenZlib, pngHeaderOnly } from '../support/png';

function newWs(): Workspace {
  return openWorkspace(path.join(tempDir(), 'ws'), { create: true });
}

function ids(ws: Workspace): string[] {
  return (ws.db.prepare('SELECT id FROM records ORDER BY id').all() as { id: string }[]).map((r) => r.id);
}

function mediaOf(ws: Workspace, id: string): string {
  const row = ws.db.prepare('SELECT i.rel_path FROM records r JOIN images i ON i.id = r.image_id WHERE r.id = ?').get(id) as { rel_path: string };
  return path.join(ws.mediaDir, row.rel_path);
}

describe('special and oversized files as images', () => {
  test('a FIFO and a file over the size cap are per-line errors naming line and path; the rest imports', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'imgs'), { recursive: true });
    execFileSync('mkfifo', [path.join(dir, 'imgs', 'pipe.png')]);
    fs.writeFileSync(path.join(dir, 'imgs', 'big.png'), makePng(7, 64, 64));
    writeJsonl(path.join(dir, 'a.jsonl'), [
      validLine(dir, 1),
      validLine(dir, 2, { image: 'imgs/pipe.png' }),
      validLine(dir, 3, { image: 'imgs/big.png' }),
      validLine(dir, 4),
    ]);
    const ws = newWs();
    const report = await importDataset(ws, path.join(dir, 'a.jsonl'), { maxImageBytes: 4096 });
    expect(report.imported).toBe(2);
    expect(report.errors).toEqual([
      { line: 2, field: 'image', reason: expect.stringMatching(/imgs\/pipe\.png is not a regular file/) },
      { line: 3, field: 'image', reason: expect.stringMatching(/imgs\/big\.png is .* over the .* limit/) },
    ]);
    expect(ids(ws)).toEqual(['rec-00001', 'rec-00004']);
    ws.close();
  }, 20_000);

  test('/dev/zero and /proc/self/root/dev/zero are refused at once, unread', async () => {
    const dir = tempDir();
    writeJsonl(path.join(dir, 'z.jsonl'), [validLine(dir, 1, { image: '/dev/zero' }), validLine(dir, 2, { image: '/proc/self/root/dev/zero' }), validLine(dir, 3)]);
    const ws = newWs();
    const before = process.memoryUsage().rss;
    const report = await importDataset(ws, path.join(dir, 'z.jsonl'), { allowOutside: true });
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
    expect(report.imported).toBe(1);
    expect(report.errors.map((e) => e.line)).toEqual([1, 2]);
    for (const e of report.errors) expect(e.reason).toMatch(/dev\/zero is not a regular file/);
    ws.close();
  }, 20_000);
});

describe('workspace media are immutable', () => {
  test('rewriting a source image in place after import leaves the workspace image and its hash intact', async () => {
    const dir = tempDir();
    writeJsonl(path.join(dir, 'a.jsonl'), [validLine(dir, 1)]);
    const src = path.join(dir, 'imgs', 'rec-00001.png');
    const original = fs.readFileSync(src);
    const ws = newWs();
    await importDataset(ws, path.join(dir, 'a.jsonl'));
    // cp onto it / rsync --inplace / an editor saving to the same path: same inode, new bytes
    fs.writeFileSync(src, makePng(12345));
    const media = mediaOf(ws, 'rec-00001');
    expect(fs.readFileSync(media)).toEqual(original);
    const row = ws.db.prepare('SELECT sha256, rel_path FROM images').get() as { sha256: string; rel_path: string };
    expect(await verifyMediaFile(ws.mediaDir, row.rel_path, row.sha256)).toMatchObject({ ok: true, links: 1 });
    ws.close();
  });

  test("repairing a torn media file that is a link to a user's file replaces it and never writes into that file", async () => {
    const dir = tempDir();
    const line = validLine(dir, 1);
    writeJsonl(path.join(dir, 'a.jsonl'), [line]);
    const bytes = fs.readFileSync(path.join(dir, 'imgs', 'rec-00001.png'));
    const sha = sha256(bytes);
    const ws = newWs();
    // An earlier, hard-linking import died after linking the media name to a user's file that then changed.
    const users = path.join(dir, 'users-photo.png');
    const theirs = makePng(4242, 8, 8);
    fs.writeFileSync(users, theirs);
    fs.mkdirSync(path.join(ws.mediaDir, sha.slice(0, 2)), { recursive: true });
    const media = path.join(ws.mediaDir, sha.slice(0, 2), `${sha}.png`);
    fs.linkSync(users, media);
    const report = await importDataset(ws, path.join(dir, 'a.jsonl'));
    expect(report.imported).toBe(1);
    expect(fs.readFileSync(users)).toEqual(theirs);
    expect(fs.readFileSync(media)).toEqual(bytes);
    expect(fs.statSync(media).ino).not.toBe(fs.statSync(users).ino);
    ws.close();
  });

  test('media: link makes the linked file read-only; verifyMediaFile flags a writable link and changed bytes', async () => {
    const dir = tempDir();
    writeJsonl(path.join(dir, 'a.jsonl'), [validLine(dir, 1)]);
    const src = path.join(dir, 'imgs', 'rec-00001.png');
    const ws = newWs();
    const report = await importDataset(ws, path.join(dir, 'a.jsonl'), { media: 'link' });
    expect(report.images).toMatchObject({ linked: 1, copied: 0 });
    const row = ws.db.prepare('SELECT sha256, rel_path FROM images').get() as { sha256: string; rel_path: string };
    expect(await verifyMediaFile(ws.mediaDir, row.rel_path, row.sha256)).toEqual({ ok: true, size: fs.statSync(src).size, links: 2, readOnly: true });
    fs.chmodSync(src, 0o644);
    expect(await verifyMediaFile(ws.mediaDir, row.rel_path, row.sha256)).toMatchObject({ ok: false, problem: 'writable_link' });
    fs.writeFileSync(src, makePng(999));
    expect(await verifyMediaFile(ws.mediaDir, row.rel_path, row.sha256)).toMatchObject({ ok: false, problem: 'mismatch' });
    fs.rmSync(src);
    fs.rmSync(path.join(ws.mediaDir, row.rel_path));
    expect(await verifyMediaFile(ws.mediaDir, row.rel_path, row.sha256)).toMatchObject({ ok: false, problem: 'missing' });
    ws.close();
  });
});

describe('image paths stay inside the images folder', () => {
  test('.., absolute paths and symbolic links out of --images are per-line errors unless allowOutside', async () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    fs.mkdirSync(data);
    fs.writeFileSync(path.join(dir, 'secret.png'), makePng(77));
    fs.mkdirSync(path.join(data, 'imgs'), { recursive: true });
    fs.symlinkSync(path.join(dir, 'secret.png'), path.join(data, 'imgs', 'link.png'));
    fs.writeFileSync(path.join(data, 'imgs', 'inner.png'), makePng(78));
    fs.symlinkSync(path.join(data, 'imgs', 'inner.png'), path.join(data, 'imgs', 'inner-link.png'));
    const lines = [
      validLine(data, 1),
      validLine(data, 2, { image: '../secret.png' }),
      validLine(data, 3, { image: path.join(dir, 'secret.png') }),
      validLine(data, 4, { image: 'imgs/link.png' }),
      validLine(data, 5, { image: 'imgs/../imgs/inner-link.png' }),
    ];
    writeJsonl(path.join(data, 'a.jsonl'), lines);
    const ws = newWs();
    const report = await importDataset(ws, path.join(data, 'a.jsonl'));
    expect(report.imported).toBe(2);
    expect(report.errors.map((e) => e.line)).toEqual([2, 3, 4]);
    expect(report.errors[0].reason).toMatch(/"\.\.\/secret\.png" is outside the images folder/);
    expect(report.errors[1].reason).toMatch(/secret\.png" is outside the images folder/);
    expect(report.errors[2].reason).toMatch(/imgs\/link\.png is a link to .*secret\.png, outside the images folder/);
    expect(ids(ws)).toEqual(['rec-00001', 'rec-00005']);
    const allowed = await importDataset(ws, path.join(data, 'a.jsonl'), { allowOutside: true });
    expect(allowed).toMatchObject({ imported: 3, duplicates: 2, errors: [] });
    ws.close();
  });
});

describe('field and line limits', () => {
  test('ids over 256 characters, question or reasoning over 64 KB and lines over 1 MB are refused by line number', async () => {
    const dir = tempDir();
    const big = 'x'.repeat(64 * 1024 + 1);
    writeJsonl(path.join(dir, 'a.jsonl'), [
      validLine(dir, 1, { id: 'i'.repeat(257) }),
      validLine(dir, 2, { id: '😀'.repeat(256) }), // 256 characters (512 UTF-16 units): allowed
      validLine(dir, 3, { question: big }),
      validLine(dir, 4, { description: big }),
      validLine(dir, 5, { description: 'é'.repeat(32 * 1024 + 1) }), // 64 KB + 2 bytes of UTF-8
      validLine(dir, 6, { meta_info: { pad: 'p'.repeat(1024 * 1024) } }),
      validLine(dir, 7, { description: 'y'.repeat(64 * 1024) }), // exactly the limit
    ]);
    const ws = newWs();
    const report = await importDataset(ws, path.join(dir, 'a.jsonl'));
    expect(report.errors.map((e) => [e.line, e.reason])).toEqual([
      [1, expect.stringMatching(/id is 257 characters, over the 256-character limit/)],
      [3, expect.stringMatching(/question is 65537 bytes, over/)],
      [4, expect.stringMatching(/description is 65537 bytes, over/)],
      [5, expect.stringMatching(/description is 65538 bytes, over/)],
      [6, expect.stringMatching(/line is \d+ bytes, over the 1048576-byte \(1 MB\) line limit/)],
    ]);
    expect(report.imported).toBe(2);
    expect(ids(ws)).toEqual(['rec-00007', '😀'.repeat(256)].sort());
    ws.close();
  });
});

describe('PNGs that cannot decode or claim huge sizes', () => {
  test('broken zlib with valid CRCs, short image data and huge claimed dimensions are refused at import', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'imgs'), { recursive: true });
    const put = (name: string, b: Buffer) => fs.writeFileSync(path.join(dir, 'imgs', name), b);
    put('zlib.png', pngBrokenZlib(5));
    put('short.png', pngHeaderOnly(64, 64));
    put('huge.png', pngHeaderOnly(100_000, 100_000));
    put('wide.png', pngHeaderOnly(20_000, 8));
    writeJsonl(path.join(dir, 'a.jsonl'), [
      validLine(dir, 1, { image: 'imgs/zlib.png' }),
      validLine(dir, 2, { image: 'imgs/short.png' }),
      validLine(dir, 3, { image: 'imgs/huge.png' }),
      validLine(dir, 4, { image: 'imgs/wide.png' }),
      validLine(dir, 5),
    ]);
    const ws = newWs();
    const report = await importDataset(ws, path.join(dir, 'a.jsonl'));
    expect(report.imported).toBe(1);
    expect(report.errors.map((e) => [e.line, e.reason])).toEqual([
      [1, expect.stringMatching(/imgs\/zlib\.png cannot be decoded: PNG image data does not inflate/)],
      [2, expect.stringMatching(/imgs\/short\.png cannot be decoded: PNG image data is short/)],
      [3, expect.stringMatching(/imgs\/huge\.png cannot be decoded: PNG claims 100000×100000 px, over the import limit/)],
      [4, expect.stringMatching(/imgs\/wide\.png cannot be decoded: PNG claims 20000×8 px/)],
    ]);
    ws.close();
  });
});
