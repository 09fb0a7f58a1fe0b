/**
 * Two imports of one file at the same time: the duplicate check before reading images is only a shortcut; the
 * insert itself yields on an id already there, so the later import counts the overlap as duplicates and goes on.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { openWorkspace } from '../../db/open';
import { importDataset } from '../../services/import/import';
import { FEA_BIN } from '../support/cli';
import { tempDir, validLine, writeJsonl } from '../support/facial-r1';

function fixture(n: number): { dir: string; file: string } {
  const dir = tempDir();
  const file = path.join(dir, 'same.jsonl');
  writeJsonl(file, Array.from({ length: n }, (_, i) => validLine(dir, i + 1)));
  return { dir, file };
}

function feaAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [FEA_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('two concurrent imports of one file', () => {
  test('two connections: both pass the early check, the second counts every conflict as a duplicate', async () => {
    const { file } = fixture(60);
    const wsDir = path.join(tempDir(), 'ws');
    const a = openWorkspace(wsDir, { create: true });
    const b = openWorkspace(wsDir);
    const [ra, rb] = await Promise.all([importDataset(a, file), importDataset(b, file)]);
    expect(ra.errors).toEqual([]);
    expect(rb.errors).toEqual([]);
    expect(ra.imported + rb.imported).toBe(60);
    expect(ra.imported + ra.duplicates).toBe(60);
    expect(rb.imported + rb.duplicates).toBe(60);
    expect(a.db.prepare('SELECT COUNT(*) AS n FROM records').get()).toEqual({ n: 60 });
    expect(a.db.prepare('SELECT COUNT(*) AS n FROM revisions').get()).toEqual({ n: 60 });
    expect(a.db.prepare('SELECT COUNT(*) AS n FROM images').get()).toEqual({ n: 60 });
    a.close();
    b.close();
  });

  test('two fea import processes at once: both exit 0 and every line lands exactly once', async () => {
    const n = 1500;
    const { file } = fixture(n);
    const wsDir = path.join(tempDir(), 'ws');
    openWorkspace(wsDir, { create: true }).close();
    const runs = await Promise.all([feaAsync(['import', wsDir, file, '--json']), feaAsync(['import', wsDir, file, '--json'])]);
    const reports = runs.map((r) => {
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      return JSON.parse(r.stdout.trim().split('\n').pop()!);
    });
    for (const rep of reports) {
      expect(rep.errors).toEqual([]);
      expect(rep.imported + rep.duplicates).toBe(n);
    }
    expect(reports[0].imported + reports[1].imported).toBe(n);
    const ws = openWorkspace(wsDir);
    expect(ws.db.prepare('SELECT COUNT(*) AS n FROM records').get()).toEqual({ n });
    expect(ws.db.prepare('SELECT COUNT(*) AS n FROM revisions').get()).toEqual({ n });
    ws.close();
  }, 120_000);
});
