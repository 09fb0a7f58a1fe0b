/**
 * The engine exports as files: one set per split part, images placed once under images/ (copied, or hard-linked
 * read-only with --link), manifest.json listing every file with sha256 and size, paging across page boundaries,
 * and a cancelled export leaving nothing that looks complete.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Workspace } from '../../db/open';
import { exportEngine, ENGINE_FORMATS } from '../../services/export/engines';
import { fea } from '../support/cli';
import { tempDir } from '../support/facial-r1';
import { DATASET_FIXTURES, datasetWorkspace } from '../support/dataset-workspace';


let ws: Workspace;
beforeAll(async () => {
  ws = await datasetWorkspace();
});
afterAll(() => ws.close());

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name]));
}

function jsonl(file: string): Record<string, unknown>[] {
  return fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

test.each(ENGINE_FORMATS)('%s: files per part, manifest of every file with sha256 and size, written last', async (format) => {
  const out = path.join(tempDir(), format);
  const r = await exportEngine(ws, out, format, { split: 'rafdb', pageSize: 2, rowGroupSize: 2 });
  expect(r.cancelled).toBe(false);
  expect(r.records).toBe(6);
  expect(r.images).toBe(6);
  expect(r.skippedNoEmotion).toBe(0);
  const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { files: { path: string; sha256: string; bytes: number }[]; records: number };
  expect(manifest.records).toBe(6);
  const listed = manifest.files.map((f) => f.path).sort();
  expect(listed).toEqual(walk(out).filter((f) => f !== 'manifest.json').sort());
  for (const f of manifest.files) {
    const data = fs.readFileSync(path.join(out, f.path));
    expect([f.path, data.length, createHash('sha256').update(data).digest('hex')]).toEqual([f.path, f.bytes, f.sha256]);
  }
  expect(listed.some((f) => f.endsWith('.partial'))).toBe(false);
  expect(Object.fromEntries(r.files.map((f) => [path.basename(f.file), f.records]))).toEqual(
    {
      'llama-factory': { 'rafdb_test.json': 2, 'rafdb_train.json': 4 },
      trl: { 'rafdb_test_sft.jsonl': 2, 'rafdb_test_grpo.jsonl': 2, 'rafdb_train_sft.jsonl': 4, 'rafdb_train_grpo.jsonl': 4 },
      verl: { 'rafdb_test.parquet': 2, 'rafdb_train.parquet': 4 },
      easyr1: { 'rafdb_test.jsonl': 2, 'rafdb_train.jsonl': 4 },
    }[format],
  );
  if (format === 'llama-factory') {
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(out, 'dataset_info.json'), 'utf8')))).toEqual(['rafdb_test', 'rafdb_train']);
    const train = JSON.parse(fs.readFileSync(path.join(out, 'rafdb_train.json'), 'utf8')) as { images: string[] }[];
    expect(train).toHaveLength(4);
    for (const t of train) expect(fs.existsSync(path.join(out, t.images[0]))).toBe(true);
  }
  if (format === 'easyr1') {
    const lines = jsonl(path.join(out, 'rafdb_train.jsonl'));
    expect(lines.map((l) => JSON.parse(l.answer as string).label)).toEqual(['happiness', 'sadness', 'surprise', 'neutral']);
  }
});

test('without a split: one set of files over every record with an emotion; records without one are counted', async () => {
  const out = path.join(tempDir(), 'all');
  const r = await exportEngine(ws, out, 'easyr1', { pageSize: 3 });
  expect(r.records).toBe(9);
  expect(r.skippedNoEmotion).toBe(1); // aus/faces/c: AUs only
  const lines = jsonl(r.files[0].file);
  expect(lines).toHaveLength(9);
  expect(JSON.parse(lines.find((l) => (l.answer as string).includes('AU25'))!.answer as string)).toEqual({ label: 'happiness', aus: ['AU6', 'AU12', 'AU25'] });
});

test('cancelled: no manifest, no data file and no partial file is left', async () => {
  const out = path.join(tempDir(), 'cancel');
  const controller = new AbortController();
  const r = await exportEngine(ws, out, 'trl', {
    split: 'rafdb',
    pageSize: 1,
    signal: controller.signal,
    onProgress: (done) => {
      if (done >= 8) controller.abort(); // after the 6 images, inside the records
    },
  });
  expect(r.cancelled).toBe(true);
  expect(r.manifest).toBeNull();
  expect(walk(out).filter((f) => !f.startsWith('images/'))).toEqual([]);
});

test('--link: images are read-only hard links of the workspace media; a second export is refused unless --force', async () => {
  const out = path.join(tempDir(), 'link');
  const r = await exportEngine(ws, out, 'verl', { split: 'rafdb', link: true });
  expect(r.linked).toBe(6);
  const img = walk(out).find((f) => f.startsWith('images/'))!;
  const st = fs.statSync(path.join(out, img));
  expect(st.nlink).toBeGreaterThan(1);
  expect(st.mode & 0o222).toBe(0);
  await expect(exportEngine(ws, out, 'verl', { split: 'rafdb' })).rejects.toThrow(/already holds an export .*manifest\.json/);
  const again = await exportEngine(ws, out, 'easyr1', { split: 'rafdb', force: true });
  expect(walk(out).filter((f) => !f.startsWith('images/')).sort()).toEqual([
    'DATASHEET.md',
    'datasheet-aus.svg',
    'datasheet-emotions.svg',
    'datasheet-provenance.svg',
    'datasheet.json',
    'manifest.json',
    'rafdb_test.jsonl',
    'rafdb_train.jsonl',
  ]);
  expect(again.records).toBe(6);
});

test('CLI: --format easyr1 --json ends with one JSON report; unknown formats and splits are refused', () => {
  const dir = tempDir();
  const wsDir = path.join(dir, 'ws');
  expect(fea(['init', wsDir, '--json']).code).toBe(0);
  expect(fea(['import', wsDir, path.join(DATASET_FIXTURES, 'rafdb', 'basic'), '--format', 'rafdb', '--json']).code).toBe(0);
  const r = fea(['export', wsDir, '--format', 'easyr1', '--out', path.join(dir, 'out'), '--split', 'rafdb', '--json']);
  expect(r.code).toBe(0);
  expect(r.json).toMatchObject({ format: 'easyr1', records: 6, images: 6, split: 'rafdb', cancelled: false });
  expect(fea(['export', wsDir, '--format', 'parquet', '--out', path.join(dir, 'x')]).code).toBe(2);
  expect(fea(['export', wsDir, '--format', 'verl', '--out', path.join(dir, 'y'), '--split', 'nope', '--json']).json).toMatchObject({ error: { code: 'usage' } });
});
