/** A reader that closes stdout early (`fea records ws | head`) ends the command quietly: no stack trace, exit 0. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../support/facial-r1';
import { FEA_BIN, REPO_ROOT, fea } from '../support/cli';

beforeAll(() => {
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'cli', 'index.js'))) throw new Error('the CLI is not built: run "npm run build:node" first');
});

/** Runs fea with stdout piped into a reader that closes after `readBytes` bytes (0: before anything arrives). */
function feaIntoClosingReader(args: string[], readBytes: number): Promise<{ code: number | null; signal: string | null; stderr: string; read: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [FEA_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let read = 0;
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    if (readBytes === 0) child.stdout.destroy();
    else
      child.stdout.on('data', (b: Buffer) => {
        read += b.length;
        if (read >= readBytes) child.stdout.destroy();
      });
    child.on('close', (code, signal) => resolve({ code, signal, stderr, read }));
  });
}

describe('fea on a closed stdout', () => {
  const ws = path.join(tempDir('fea-epipe-'), 'ws');
  beforeAll(() => {
    expect(fea(['init', ws, '--demo', '600', '--seed', '1', '--json']).code).toBe(0);
  }, 60_000);

  test.each([
    ['a reader that closes at once', 0, []],
    ['head: the first bytes only', 100, []],
    ['head on --json', 100, ['--json']],
  ])('records --limit 100000 into %s: quiet exit 0', async (_name, readBytes, extra) => {
    const r = await feaIntoClosingReader(['records', ws, '--limit', '100000', ...extra], readBytes);
    expect(r.stderr).toBe('');
    expect(r).toMatchObject({ code: 0, signal: null });
  }, 60_000);
});
