/**
 * import.preview and import.start over the real HTTP server on loopback, with the renderer's typed client: the
 * preview of a JSONL and of a folder tree says what would be added (per emotion, nested folders, conflicts) and
 * names each bad line's file, line and field while writing nothing; the path is checked server-side; import.start
 * runs as a job whose result holds the final report, its records committed; a cancelled import stops at a batch
 * boundary with what it committed reported; analysis.status counts the images still to analyse.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import type { ApiClient } from '../../contract/api';
import type { ImportSummary, Job } from '../../contract/types';
import { initWorkspace } from '../../services/workspace/init';
import { startServer, type RunningServer } from '../../server';
import { apiClient, ApiCallError } from '../support/api';
import { tempDir, validLine, writeJsonl } from '../support/facial-r1';
import { writeFolderInput, writeJsonlInput } from '../support/import-inputs';

jest.setTimeout(60_000);

const tmp = tempDir('fea-import-api-');
const wsDir = path.join(tmp, 'ws');
let server: RunningServer;
let api: ApiClient;
let db: Database.Database;

beforeAll(async () => {
  await initWorkspace(wsDir, { demo: 0, seed: 1 });
  const rendererDir = path.join(tmp, 'renderer');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>FEA Studio</title>');
  server = await startServer({ workspaceDir: wsDir, port: 0, rendererDir });
  api = apiClient(server.url);
  db = new Database(path.join(wsDir, 'fea.sqlite'), { readonly: true });
});

afterAll(async () => {
  db.close();
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
const mediaFiles = () => fs.readdirSync(path.join(wsDir, 'media'), { recursive: true }).filter((f) => String(f).match(/\.(png|jpg|jpeg)$/)).length;

async function refusal(p: Promise<unknown>): Promise<ApiCallError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiCallError) return err;
    throw err;
  }
  throw new Error('not refused');
}

async function finished(jobId: string): Promise<Job> {
  for (const until = Date.now() + 30_000; Date.now() < until; ) {
    const job = (await api['jobs.list']({})).jobs.find((j) => j.id === jobId);
    if (job && job.status !== 'running' && job.status !== 'queued') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${jobId} did not finish`);
}

function report(job: Job): ImportSummary {
  if (job.result?.kind !== 'import') throw new Error(`job ${job.id} has no import report: ${JSON.stringify(job)}`);
  return job.result.report;
}

test('the path is checked on the server: absolute, present, readable, of the kind the format reads', async () => {
  const { file, root } = { file: writeJsonlInput(path.join(tmp, 'chk')).file, root: writeFolderInput(path.join(tmp, 'chk')).root };
  expect((await refusal(api['import.preview']({ path: 'faces.jsonl' }))).message).toMatch(/must be an absolute path, got "faces.jsonl"/);
  const missing = await refusal(api['import.preview']({ path: path.join(tmp, 'nope.jsonl') }));
  expect([missing.code, missing.message]).toEqual(['not_found', expect.stringMatching(/nope\.jsonl does not exist/)]);
  expect((await refusal(api['import.preview']({ path: root, format: 'facial-r1' }))).message).toMatch(/is a folder; the facial-r1 format reads a file .*choose "folders"/);
  expect((await refusal(api['import.start']({ path: file, format: 'folders' }))).message).toMatch(/is a file; the folders format reads a folder/);
  if (process.getuid?.() !== 0) {
    const locked = path.join(tmp, 'locked.jsonl');
    fs.writeFileSync(locked, '{}\n', { mode: 0o000 });
    const denied = await refusal(api['import.preview']({ path: locked }));
    expect([denied.code, denied.message]).toEqual(['forbidden', expect.stringMatching(/cannot be read \(permission denied\)/)]);
  }
  expect((await refusal(api['import.preview']({ path: file, format: 'nope' as 'folders' }))).code).toBe('invalid_input');
});

test('a JSONL: the preview counts what would be added and names each bad line, writing nothing; the import commits it as a job', async () => {
  const input = writeJsonlInput(path.join(tmp, 'jsonl'));
  const before = { records: count('records'), images: count('images'), audit: count('audit_log'), media: mediaFiles() };
  const preview = await api['import.preview']({ path: input.file });
  expect(preview).toMatchObject({ dryRun: true, format: 'facial-r1', imported: input.expected.imported, duplicates: 0, byEmotion: input.expected.byEmotion, images: { new: 4, reused: 0 }, errorCount: 2 });
  expect(preview.errors).toEqual(input.expected.errors.map((e) => ({ file: 'faces.jsonl', line: e.line, field: e.field, reason: expect.stringMatching(e.reason) })));
  expect({ records: count('records'), images: count('images'), audit: count('audit_log'), media: mediaFiles() }).toEqual(before);
  expect((await api['import.preview']({ path: input.file, maxErrors: 1 })).errors).toHaveLength(1);

  const { jobId } = await api['import.start']({ path: input.file });
  const job = await finished(jobId);
  expect(job).toMatchObject({ kind: 'import', status: 'done', message: '4 imported, 0 already in the workspace, 2 errors' });
  expect(job.total).toBeGreaterThan(0);
  expect(report(job)).toEqual({ ...preview, dryRun: false });
  expect(count('records')).toBe(before.records + 4);
  expect((await api['analysis.status']({})).pending).toBe(4);

  // Again: every id is there; nothing would be added, nothing is rewritten.
  expect(await api['import.preview']({ path: input.file })).toMatchObject({ imported: 0, duplicates: 4, errorCount: 2 });
});

test('a folder tree: nested folders and conflicts in the preview; recursive imports the nested images', async () => {
  const input = writeFolderInput(path.join(tmp, 'tree'));
  const before = count('records');
  const flat = await api['import.preview']({ path: input.root, format: 'folders' });
  expect(flat).toMatchObject({ imported: input.expected.imported, conflicts: 2, nestedFolders: input.expected.nested.map((n) => ({ ...n, imported: false })) });
  expect(flat.errors.map((e) => [e.file, e.reason])).toEqual(input.expected.conflictFiles.map((f) => [f, expect.stringMatching(/conflicting labels/)]));
  const deep = await api['import.preview']({ path: input.root, format: 'folders', recursive: true });
  expect(deep).toMatchObject({ imported: input.expected.importedRecursive, byEmotion: { happiness: 1, sadness: 1, surprise: 1 }, nestedFolders: [expect.objectContaining({ imported: true })] });
  expect(count('records')).toBe(before);

  const job = await finished((await api['import.start']({ path: input.root, format: 'folders', recursive: true })).jobId);
  expect(report(job)).toMatchObject({ dryRun: false, imported: 3, conflicts: 2, errorCount: 2 });
  expect(count('records')).toBe(before + 3);
});

test('a cancelled import stops at a transaction boundary and reports what it committed', async () => {
  const dir = path.join(tmp, 'big');
  fs.mkdirSync(dir, { recursive: true });
  writeJsonl(path.join(dir, 'big.jsonl'), Array.from({ length: 1200 }, (_, i) => validLine(dir, 1000 + i)));
  const before = count('records');
  const { jobId } = await api['import.start']({ path: path.join(dir, 'big.jsonl') });
  expect(await api['jobs.cancel']({ jobId })).toEqual({ cancelled: true });
  const job = await finished(jobId);
  const r = report(job);
  expect([job.status, r.cancelled]).toEqual(['stopped', true]);
  expect(r.imported).toBeGreaterThan(0);
  expect(r.imported).toBeLessThan(1200);
  expect(r.imported % 200).toBe(0); // whole batches: one transaction each
  expect(count('records')).toBe(before + r.imported);
});
