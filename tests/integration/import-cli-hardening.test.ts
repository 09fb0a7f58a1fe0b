/** `fea import` flags of the hardening (--link, --allow-outside, --max-image-mb) and its memory on a large JSONL. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FEA_BIN, fea } from '../support/cli';
import { tempDir, validLine, writeJsonl } from '../support/facial-r1';
import { makePng } from '../support/png';

function newWs(): string {
  const ws = path.join(tempDir(), 'ws');
  expect(fea(['init', ws, '--json']).code).toBe(0);
  return ws;
}

describe('fea import hardening flags', () => {
  test('copies by default; --link hard-links read-only; --copy-media is still accepted', () => {
    const dir = tempDir();
    writeJsonl(path.join(dir, 'a.jsonl'), [validLine(dir, 1)]);
    const src = path.join(dir, 'imgs', 'rec-00001.png');
    const byDefault = fea(['import', newWs(), path.join(dir, 'a.jsonl'), '--json']);
    expect(byDefault.json.images).toMatchObject({ new: 1, copied: 1, linked: 0 });
    expect(fea(['import', newWs(), path.join(dir, 'a.jsonl'), '--copy-media', '--json']).json.images).toMatchObject({ copied: 1, linked: 0 });
    expect(fs.statSync(src).mode & 0o222).not.toBe(0);
    const linked = fea(['import', newWs(), path.join(dir, 'a.jsonl'), '--link', '--json']);
    expect(linked.json.images).toMatchObject({ new: 1, copied: 0, linked: 1 });
    expect(fs.statSync(src).mode & 0o222).toBe(0);
    expect(fea(['import', newWs(), path.join(dir, 'a.jsonl'), '--link', '--copy-media', '--json']).code).toBe(2);
  });

  test('--allow-outside admits ../ paths; --max-image-mb caps image files; both errors name line and path', () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    fs.mkdirSync(data);
    fs.writeFileSync(path.join(dir, 'out.png'), makePng(5, 64, 64));
    writeJsonl(path.join(data, 'a.jsonl'), [validLine(data, 1), validLine(data, 2, { image: '../out.png' })]);
    const ws = newWs();
    const refused = fea(['import', ws, path.join(data, 'a.jsonl'), '--json']);
    expect(refused.json).toMatchObject({ imported: 1, errors: [{ line: 2, reason: expect.stringMatching(/"\.\.\/out\.png" is outside the images folder/) }] });
    const plain = fea(['import', ws, path.join(data, 'a.jsonl')]);
    expect(plain.stderr).toMatch(/a\.jsonl:2: image "\.\.\/out\.png" is outside/);
    const capped = fea(['import', ws, path.join(data, 'a.jsonl'), '--allow-outside', '--max-image-mb', '0.005', '--json']);
    expect(capped.json).toMatchObject({ imported: 0, duplicates: 1, errors: [{ line: 2, reason: expect.stringMatching(/image file \.\.\/out\.png is .* over the 6 KB limit/) }] });
    expect(fea(['import', ws, path.join(data, 'a.jsonl'), '--allow-outside', '--json']).json).toMatchObject({ imported: 1, duplicates: 1, errors: [] });
    expect(fea(['import', ws, path.join(data, 'a.jsonl'), '--max-image-mb', 'lots', '--json']).code).toBe(2);
  });

  test('a FIFO given as the JSONL is refused at once', () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'in.jsonl');
    spawnSync('mkfifo', [fifo]);
    const r = fea(['import', newWs(), fifo, '--json'], { timeoutMs: 15_000 });
    expect(r.code).toBe(2);
    expect(r.json.error.message).toMatch(/not a regular file/);
  });

  test('an 80 MB JSONL imports line by line within a 48 MB heap', () => {
    const dir = tempDir();
    const file = path.join(dir, 'big.jsonl');
    const fd = fs.openSync(file, 'w');
    const filler = `${JSON.stringify({ id: 'skip', is_valid: false, pad: 'z'.repeat(1000) })}\n`.repeat(1000);
    for (let i = 0; i < 80; i++) fs.writeSync(fd, filler);
    fs.writeSync(fd, `${JSON.stringify(validLine(dir, 1))}\n`);
    fs.closeSync(fd);
    const ws = newWs();
    const r = spawnSync(process.execPath, ['--max-old-space-size=48', FEA_BIN, 'import', ws, file, '--json'], { encoding: 'utf8', timeout: 90_000 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toMatchObject({ imported: 1, skipped: 80_000, errors: [] });
  }, 120_000);
});
