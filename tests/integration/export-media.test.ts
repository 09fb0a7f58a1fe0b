/** Exported images are copies by default: editing one never changes the workspace's media. `--link` links read-only media. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openWorkspace } from '../../db/open';
import { exportFacialR1 } from '../../services/export/export';
import { initWorkspace } from '../../services/workspace/init';
import { tempDir } from '../support/facial-r1';

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

test('export copies images: writing into an exported image leaves the workspace media intact', async () => {
  const dir = path.join(tempDir(), 'ws');
  await initWorkspace(dir, { demo: 4, seed: 1 });
  const ws = openWorkspace(dir);
  try {
    const report = exportFacialR1(ws, path.join(dir, '..', 'out'));
    expect(report.copied).toBe(4);
    expect(report.linked).toBe(0);
    const before = filesUnder(path.join(dir, 'media')).map((f) => [f, fs.readFileSync(f)] as const);
    const exported = filesUnder(path.join(dir, '..', 'out', 'images'));
    expect(exported).toHaveLength(4);
    for (const file of exported) {
      expect(fs.statSync(file).nlink).toBe(1);
      fs.writeFileSync(file, Buffer.from('edited'));
    }
    for (const [file, bytes] of before) expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  } finally {
    ws.close();
  }
});

test('export --link hard-links images and makes the workspace media file read-only first', async () => {
  const dir = path.join(tempDir(), 'ws');
  await initWorkspace(dir, { demo: 3, seed: 2 });
  const ws = openWorkspace(dir);
  try {
    const report = exportFacialR1(ws, path.join(dir, '..', 'out'), { link: true });
    expect(report.linked).toBe(3);
    for (const file of filesUnder(path.join(dir, '..', 'out', 'images'))) {
      const st = fs.statSync(file);
      expect(st.nlink).toBeGreaterThan(1);
      expect(st.mode & 0o222).toBe(0);
    }
  } finally {
    ws.close();
  }
});
