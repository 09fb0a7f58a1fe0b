/**
 * The export view's contract methods through dispatch: export.preview (the datasheet and the split's leakage report
 * with thumbnails' image keys, writing nothing), export.start (a job with progress events; refusing a relative folder,
 * one inside the media, an unknown split, and a folder holding an export unless force), jobs.cancel, and
 * export.datasheet of the finished export.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Output } from '../../contract/api';
import { dispatch } from '../../contract/dispatch';
import type { ApiEvent, Job } from '../../contract/types';
import type { Workspace } from '../../db/open';
import { createContext, type ServiceContext } from '../../services/context';
import { createHandlers } from '../../services/handlers';
import { importDataset } from '../../services/import/import';
import sharp from 'sharp';
import { FACE_API_DIR } from '../../pipelines/vision/faceapi';
import { tempDir, writeJsonl } from '../support/facial-r1';
import { datasetWorkspace } from '../support/dataset-workspace';


let ws: Workspace;
let ctx: ServiceContext;
let handlers: ReturnType<typeof createHandlers>;
beforeAll(async () => {
  ws = await datasetWorkspace();
  await importDataset(ws, await nearDuplicates(path.join(tempDir(), 'near')));
  ctx = createContext(ws);
  handlers = createHandlers(ctx);
}, 60_000);
afterAll(() => ws.close());

/** Photos, each with a smaller lossy copy (different bytes, same picture): near-duplicate pairs for the leakage report. */
async function nearDuplicates(dir: string): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  const lines = [];
  for (const i of [1, 2, 3, 4, 5, 6]) {
    const base = await sharp(path.join(FACE_API_DIR, 'demo', `sample${i}.jpg`)).resize({ width: 96 }).png().toBuffer();
    fs.writeFileSync(path.join(dir, `base-${i}.png`), base);
    fs.writeFileSync(path.join(dir, `near-${i}.jpg`), await sharp(base).resize({ width: 48 }).jpeg({ quality: 50 }).toBuffer());
    for (const kind of ['base', 'near'])
      lines.push({ id: `${kind}-${i}`, dataset: 'NEAR', image: `${kind}-${i}.${kind === 'base' ? 'png' : 'jpg'}`, question: 'What is the emotion of this face?', AUs: [], labels: ['happiness'], description: '', meta_info: { subject: `${kind}${i}` } });
  }
  const file = path.join(dir, 'near.jsonl');
  writeJsonl(file, lines);
  return file;
}

async function call<T>(name: string, input: unknown): Promise<T> {
  const r = await dispatch(handlers, name, input);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.value as T;
}
async function refusal(name: string, input: unknown): Promise<{ code: string; message: string }> {
  const r = await dispatch(handlers, name, input);
  if (r.ok) throw new Error(`${name} was not refused`);
  return r.error;
}
async function finished(jobId: string): Promise<Job> {
  for (let i = 0; i < 600; i++) {
    const j = ctx.jobs.get(jobId)!;
    if (j.status !== 'running' && j.status !== 'queued') return j;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${jobId} did not finish`);
}

test('export.preview: the datasheet numbers per part and emotion, and the leakage report with image keys; nothing written', async () => {
  const before = fs.readdirSync(ws.dir).sort();
  const all = await call<Output<'export.preview'>>('export.preview', {});
  expect(all.leakage).toBeNull();
  expect(all.datasheet.records).toBeGreaterThan(0);
  expect(Object.values(all.datasheet.byEmotion).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(all.datasheet.records);

  await call('splits.create', { name: 'main', ratios: { train: 0.5, test: 0.5 }, group: null, nearDupThreshold: 12, seed: 1 });
  const p = await call<Output<'export.preview'>>('export.preview', { split: 'main', snapshot: null });
  expect(Object.keys(p.datasheet.parts).sort()).toEqual(['test', 'train']);
  for (const [, part] of Object.entries(p.datasheet.parts)) expect(Object.values(part.byEmotion).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(part.n);
  expect(p.leakage).not.toBeNull();
  expect(p.leakage!.nearDupThreshold).toBe(12);
  const pairs = [...p.leakage!.examples.nearDuplicates, ...p.leakage!.examples.exactDuplicates];
  expect(p.leakage!.nearDuplicatePairs).toBeGreaterThan(0);
  expect(pairs.length).toBeGreaterThan(0);
  for (const pair of pairs) {
    for (const id of [pair.a, pair.b]) expect(fs.existsSync(path.join(ws.mediaDir, p.images[id]))).toBe(true);
  }
  expect(fs.readdirSync(ws.dir).sort()).toEqual(before);
  expect((await refusal('export.preview', { split: 'nope' })).code).toBe('not_found');
});

test('export.start refuses a relative folder, one in the media or holding the workspace, an unknown split or format', async () => {
  expect((await refusal('export.start', { format: 'easyr1', outDir: 'relative/out' })).code).toBe('invalid_input');
  expect((await refusal('export.start', { format: 'easyr1', outDir: path.join(ws.mediaDir, 'x') })).code).toBe('forbidden');
  expect((await refusal('export.start', { format: 'easyr1', outDir: ws.dir })).code).toBe('forbidden');
  expect((await refusal('export.start', { format: 'easyr1', outDir: path.dirname(ws.dir) })).code).toBe('forbidden');
  expect((await refusal('export.start', { format: 'easyr1', outDir: path.join(tempDir(), 'o'), split: 'nope' })).code).toBe('not_found');
  expect((await refusal('export.start', { format: 'csv', outDir: path.join(tempDir(), 'o') })).code).toBe('invalid_input');
  expect(fs.existsSync(path.join(ws.mediaDir, 'x'))).toBe(false);
});

test('export.start runs the engine export as a job with progress; export.datasheet reads the finished one; replace needs force', async () => {
  const out = path.join(tempDir(), 'easyr1');
  const events: Job[] = [];
  const off = ctx.events.subscribe((e: ApiEvent) => e.type === 'job.progress' && events.push(e.job));
  const { jobId } = await call<{ jobId: string }>('export.start', { format: 'easyr1', outDir: out, split: 'main', snapshot: null });
  const job = await finished(jobId);
  off();
  expect(job).toMatchObject({ kind: 'export', status: 'done' });
  expect(events.filter((j) => j.id === jobId).map((j) => j.status)).toEqual(expect.arrayContaining(['running', 'done']));
  for (const f of ['manifest.json', 'DATASHEET.md', 'datasheet.json', 'main_train.jsonl', 'main_test.jsonl']) expect(fs.existsSync(path.join(out, f))).toBe(true);

  const preview = await call<Output<'export.preview'>>('export.preview', { split: 'main' });
  const sheet = await call<Output<'export.datasheet'>>('export.datasheet', { outDir: out });
  expect(sheet.markdown).toMatch(/^# Datasheet/);
  expect(sheet.markdown).toContain('**easyr1**');
  expect(sheet.datasheet).toMatchObject({ format: 'easyr1', records: preview.datasheet.records, parts: preview.datasheet.parts, split: { name: 'main' } });

  const again = await refusal('export.start', { format: 'easyr1', outDir: out, split: 'main' });
  expect(again.code).toBe('conflict');
  expect(again.message).toMatch(/already holds an export.*replace/);
  const replaced = await call<{ jobId: string }>('export.start', { format: 'easyr1', outDir: out, split: 'main', force: true });
  expect((await finished(replaced.jobId)).status).toBe('done');

  expect((await refusal('export.datasheet', { outDir: path.join(tempDir(), 'empty') })).code).toBe('not_found');

  // A datasheet.json edited by hand is read with its schema: the field is named, nothing is cast.
  const sheetFile = path.join(out, 'datasheet.json');
  fs.writeFileSync(sheetFile, JSON.stringify({ ...sheet.datasheet, records: 'many' }));
  const edited = await refusal('export.datasheet', { outDir: out });
  expect(edited.code).toBe('invalid_input');
  expect(edited.message).toContain(`${sheetFile}: field records`);
});

test('jobs.cancel stops an export: nothing marked complete', async () => {
  const out = path.join(tempDir(), 'cancelled');
  const { jobId } = await call<{ jobId: string }>('export.start', { format: 'trl', outDir: out });
  expect(await call('jobs.cancel', { jobId })).toEqual({ cancelled: true });
  expect((await finished(jobId)).status).toBe('stopped');
  expect(fs.existsSync(path.join(out, 'manifest.json'))).toBe(false);
});
