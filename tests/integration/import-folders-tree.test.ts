/**
 * Folder imports say what they did: nested subfolders are reported (imported with --recursive), the same bytes under
 * two emotion folders is a conflict naming both files, and a split with nothing trainable is refused before a run.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FACE_API_DIR } from '../../pipelines/vision/faceapi';
import { fea } from '../support/cli';

jest.setTimeout(120_000);

const demo = (n: number) => path.join(FACE_API_DIR, 'demo', `sample${n}.jpg`);

function tree(dir: string): string {
  const root = path.join(dir, 'photos');
  const put = (rel: string, src: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.copyFileSync(src, path.join(root, rel));
  };
  put('happiness/a.jpg', demo(1));
  put('happiness/more/b.jpg', demo(2));
  put('happiness/more/deeper/c.jpg', demo(3));
  put('sadness/d.jpg', demo(4));
  // the same bytes as happiness/a.jpg under another emotion
  put('sadness/a-copy.jpg', demo(1));
  return root;
}

test('nested subfolders are reported, not silently skipped; --recursive imports them under the emotion folder', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-folders-'));
  const root = tree(dir);
  const ws = path.join(dir, 'ws');
  expect(fea(['init', ws, '--json']).code).toBe(0);
  const r = fea(['import', ws, root, '--format', 'folders', '--json']);
  // the conflict fails the command (exit 1), the rest is imported
  expect(r.code).toBe(1);
  expect(r.json.nestedFolders).toEqual([
    { folder: 'happiness/more', images: 1, imported: false },
    { folder: 'happiness/more/deeper', images: 1, imported: false },
  ]);
  expect(r.stderr).toContain('happiness/more: 1 image(s) in a subfolder were not imported');
  expect(r.json.imported).toBe(1);
  const conflicts = r.json.errors.filter((e: { reason: string }) => e.reason.includes('conflicting labels'));
  expect(conflicts.map((e: { file: string }) => e.file).sort()).toEqual(['happiness/a.jpg', 'sadness/a-copy.jpg']);
  expect(conflicts.find((e: { file: string }) => e.file === 'happiness/a.jpg').reason).toContain('"sadness/a-copy.jpg" (sadness)');

  const ws2 = path.join(dir, 'ws2');
  expect(fea(['init', ws2, '--json']).code).toBe(0);
  const rec = fea(['import', ws2, root, '--format', 'folders', '--recursive', '--allow-errors', '--json']);
  expect(rec.code).toBe(0);
  expect(rec.json.imported).toBe(3);
  expect(rec.json.nestedFolders.every((n: { imported: boolean }) => n.imported)).toBe(true);
  const ids = fea(['records', ws2, '--json']).json.records.map((x: { id: string; emotion: string }) => `${x.id}:${x.emotion}`).sort();
  expect(ids).toEqual(['happiness/more/b:happiness', 'happiness/more/deeper/c:happiness', 'sadness/d:sadness']);

  // emotion folders give weak records (no AUs): a split of them cannot train, and says why before any run exists
  expect(fea(['split', ws2, '--name', 'main', '--ratios', 'train=1', '--json']).code).toBe(0);
  const t = fea(['train', ws2, '--stage', 'sft', '--split', 'main', '--steps', '2', '--json']);
  expect(t.code).toBe(2);
  expect(t.json.error.message).toMatch(/no trainable records in part "train": training needs records labeled with an emotion and its AUs/);
  expect(fea(['models', ws2, '--json']).json.models.filter((m: { kind: string }) => m.kind === 'policy')).toEqual([]);
});
