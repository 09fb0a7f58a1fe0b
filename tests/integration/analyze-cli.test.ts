/** `fea analyze` as a process: SIGKILL mid-run loses no committed image, the rerun finishes the rest, nothing twice. */
import { spawn, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { openWorkspace } from '../../db/open';
import { REPO_ROOT } from '../../pipelines/runtime/worker-path';

jest.setTimeout(120_000);

const ASTRONAUT = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png';
const BIN = path.join(REPO_ROOT, 'bin', 'fea.js');

function fea(args: string[]) {
  return spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('fea analyze', () => {
  let dir: string;
  let wsDir: string;
  const N = 5;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-analyze-cli-'));
    wsDir = path.join(dir, 'ws');
    const ws = openWorkspace(wsDir, { create: true });
    const now = new Date().toISOString();
    for (let i = 0; i < N; i++) {
      // Three photos (images.source 'photos') and two 48-50 px grayscale face crops whose source is on their records only.
      const crop = i >= 3;
      const bytes = crop
        ? await sharp(ASTRONAUT).extract({ left: 143, top: 56, width: 154, height: 154 }).resize(45 + i).grayscale().png().toBuffer()
        : await sharp(ASTRONAUT).resize(300 + 20 * i).jpeg().toBuffer();
      const sha = crypto.createHash('sha256').update(bytes).digest('hex');
      const rel = `${sha.slice(0, 2)}/${sha}.jpg`;
      fs.mkdirSync(path.join(ws.mediaDir, sha.slice(0, 2)), { recursive: true });
      fs.writeFileSync(path.join(ws.mediaDir, rel), bytes);
      const id = ws.db
        .prepare('INSERT INTO images (sha256, rel_path, width, height, original_name, source, created_at) VALUES (?, ?, 0, 0, ?, ?, ?)')
        .run(sha, rel, `a${i}.jpg`, crop ? null : 'photos', now).lastInsertRowid;
      ws.db
        .prepare("INSERT INTO records (id, image_id, source, question, status, created_at, updated_at) VALUES (?, ?, ?, 'q', 'unlabeled', ?, ?)")
        .run(`r${i}`, id, crop ? 'crops' : null, now, now);
    }
    ws.close();
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const counts = () => {
    const db = new Database(path.join(wsDir, 'fea.sqlite'), { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT (SELECT COUNT(*) FROM analyses) AS analyses, (SELECT COUNT(*) FROM predictions) AS predictions').get() as { analyses: number; predictions: number };
    } finally {
      db.close();
    }
  };

  it('refuses a bad --workers value', () => {
    const r = spawnSync(process.execPath, [BIN, 'analyze', wsDir, '--workers', '0'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/fea: --workers: "0" is not a whole number/);
  });

  it('survives SIGKILL after the first commit and resumes without duplicates', async () => {
    const child = fea(['analyze', wsDir, '--workers', '1', '--json']);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let killedAt = 0;
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      const n = counts().analyses;
      if (n >= 1) {
        child.kill('SIGKILL');
        killedAt = n;
        break;
      }
    }
    await exited;
    const afterKill = counts();
    expect(afterKill.analyses).toBeGreaterThanOrEqual(killedAt);
    expect(afterKill.analyses).toBeGreaterThanOrEqual(1);
    expect(afterKill.analyses).toBeLessThan(N);
    // Each committed image has its predictions (same transaction) and its crops (written before the row).
    expect(afterKill.predictions).toBe(afterKill.analyses * 2);
    const db = new Database(path.join(wsDir, 'fea.sqlite'), { readonly: true });
    for (const r of db.prepare('SELECT crop_gray_path, crop_color_path FROM analyses').all() as { crop_gray_path: string; crop_color_path: string }[]) {
      expect(fs.existsSync(path.join(wsDir, 'media', r.crop_gray_path))).toBe(true);
      expect(fs.existsSync(path.join(wsDir, 'media', r.crop_color_path))).toBe(true);
    }
    db.close();

    const rerun = fea(['analyze', wsDir, '--workers', '1', '--json']);
    let stdout = '';
    rerun.stdout.on('data', (d) => (stdout += d));
    const code = await new Promise<number | null>((resolve) => rerun.on('exit', (c) => resolve(c)));
    expect(code).toBe(0);
    const last = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(last).toMatchObject({
      analyzed: N - afterKill.analyses,
      alreadyAnalyzed: afterKill.analyses,
      skipped: 0,
      failed: 0,
      remaining: 0,
      backend: process.env.FEA_BACKEND ?? 'wasm',
      errors: [],
    });
    expect(last.facesFound).toBe(N - afterKill.analyses);
    // Faces per dataset source, over the whole workspace (both runs): the crops are found on a padded canvas.
    expect(last.facesBySource).toEqual({
      photos: { analyzed: 3, facesFound: 3, detection: { direct: 3 } },
      crops: { analyzed: 2, facesFound: 2, detection: { padded: 2 } },
    });
    expect(typeof last.seconds).toBe('number');
    expect(counts()).toEqual({ analyses: N, predictions: 2 * N });
  });
});
