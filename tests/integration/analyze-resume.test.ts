/** The analysis service end to end: worker pool, one transaction per image, resume after a stop, bad images, loaders, CSV. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { openWorkspace, type Workspace } from '../../db/open';
import { runAnalysis } from '../../services/analysis/run';
import { loadOverlay, loadSuggestion } from '../../services/analysis/overlay';
import { exportCsv } from '../../services/export/csv';
import { descriptorFromBlob, getAnalysis } from '../../db/repositories/analysis';
import { FACE_API_DIR } from '../../pipelines/vision/faceapi';
import { createContext } from '../../services/context';
import { analysisHandlers } from '../../services/analysis/handlers';
import type { Job } from '../../contract/types';
import { addImageRecord } from '../support/image-record';
import { pngHeaderOnly } from '../support/png';

jest.setTimeout(120_000);

const ASTRONAUT = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png';
const DEMO = path.join(FACE_API_DIR, 'demo');

/** Adds an image file + row + one record, per the v1 schema. */
function addImage(ws: Workspace, name: string, bytes: Buffer, subject: string | null, label?: { emotion: string; status: string }): { imageId: number; recordId: string } {
  const { imageId, recordId } = addImageRecord(ws, name, bytes, { subject, ...(label ?? {}) });
  return { imageId, recordId };
}

describe('analysis service', () => {
  let dir: string;
  let ws: Workspace;
  const ids: Record<string, { imageId: number; recordId: string }> = {};

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-analyze-'));
    ws = openWorkspace(path.join(dir, 'ws'), { create: true });
    // Subject "eileen": a neutral-labelled reference image (the analysis measures her other image against it).
    ids.reference = addImage(ws, 'eileen-ref.jpg', await sharp(ASTRONAUT).resize(400).jpeg().toBuffer(), 'eileen', { emotion: 'neutral', status: 'weak' });
    ids.astronaut = addImage(ws, 'astronaut.png', fs.readFileSync(ASTRONAUT), 'eileen');
    ids.astronautNoSubject = addImage(ws, 'astronaut-flip.png', await sharp(ASTRONAUT).flop().png().toBuffer(), null);
    for (const n of [1, 2, 3, 4]) {
      ids[`demo${n}`] = addImage(ws, `sample${n}.jpg`, await sharp(path.join(DEMO, `sample${n}.jpg`)).resize(480).jpeg().toBuffer(), `group${n}`);
    }
    ids.corrupt = addImage(ws, 'corrupt.jpg', Buffer.from('\xff\xd8 definitely not a jpeg'), null);
    ids.huge = addImage(ws, 'huge.png', pngHeaderOnly(50_000, 50_000), null);
  });

  afterAll(() => {
    ws?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const count = (sql: string) => (ws.db.prepare(sql).get() as { n: number }).n;

  it('stops when asked, keeping every finished image; a rerun does only the rest; a third run does nothing', async () => {
    const total = count('SELECT COUNT(*) AS n FROM images');
    expect(total).toBe(9);

    const controller = new AbortController();
    const committed: number[] = [];
    const first = await runAnalysis(ws, {
      workers: 1,
      signal: controller.signal,
      onResult: (imageId) => {
        committed.push(imageId);
        if (committed.length === 2) controller.abort();
      },
    });
    expect(first.stopped).toBe(true);
    expect(first.backend).toBe(process.env.FEA_BACKEND ?? 'wasm');
    // The neutral reference goes first so the subject's other images can use it.
    expect(committed[0]).toBe(ids.reference.imageId);
    const afterFirst = count('SELECT COUNT(*) AS n FROM analyses');
    expect(afterFirst).toBe(committed.length);
    expect(afterFirst).toBeGreaterThanOrEqual(2);
    expect(first.remaining).toBe(total - afterFirst);
    expect(first.remaining).toBeGreaterThan(0);

    const second = await runAnalysis(ws, { workers: 2 });
    expect(second.stopped).toBe(false);
    expect(second.alreadyAnalyzed).toBe(afterFirst);
    expect(second.analyzed + second.skipped + second.failed).toBe(total - afterFirst);
    expect(second.remaining).toBe(0);
    expect(second.workers).toBe(2);

    // Every image analysed exactly once; two predictions (expression + geometric AU) per analysed record, no duplicates.
    expect(count('SELECT COUNT(*) AS n FROM analyses')).toBe(total);
    expect(count('SELECT COUNT(DISTINCT image_id) AS n FROM analyses')).toBe(total);
    expect(count('SELECT COUNT(*) AS n FROM analyses WHERE error IS NULL')).toBe(7);
    expect(count('SELECT COUNT(*) AS n FROM predictions')).toBe(14);
    expect(count('SELECT COUNT(*) AS n FROM (SELECT record_id, model_id FROM predictions GROUP BY 1, 2 HAVING COUNT(*) > 1)')).toBe(0);
    expect(count("SELECT COUNT(*) AS n FROM models WHERE name IN ('face-api-expression', 'geometric-au')")).toBe(2);

    const third = await runAnalysis(ws, { workers: 2 });
    expect(third).toMatchObject({ analyzed: 0, skipped: 0, failed: 0, alreadyAnalyzed: total, remaining: 0 });
  });

  it('records the backend, crops on disk, landmarks and estimates; the descriptor only when asked', async () => {
    expect((ws.db.prepare("SELECT value FROM meta WHERE key = 'backend'").get() as { value: string }).value).toBe(process.env.FEA_BACKEND ?? 'wasm');
    const rows = ws.db.prepare('SELECT * FROM analyses WHERE error IS NULL').all() as Record<string, unknown>[];
    for (const r of rows) {
      expect(r.backend).toBe(process.env.FEA_BACKEND ?? 'wasm');
      for (const p of [r.crop_gray_path, r.crop_color_path] as string[]) {
        expect(p).toMatch(/^crops\/[0-9a-f]{64}-112[gc]\.png$/);
        expect(fs.existsSync(path.join(ws.mediaDir, p))).toBe(true);
      }
      expect(r.descriptor).toBeNull();
      expect(JSON.parse(r.landmarks as string)).toHaveLength(68);
      expect(Object.keys(JSON.parse(r.au_estimates as string))).toEqual(
        expect.arrayContaining(['AU1', 'AU2', 'AU4', 'AU5', 'AU6', 'AU7', 'AU12', 'AU15', 'AU20', 'AU25', 'AU26', 'AU43']),
      );
      expect(r.phash).toMatch(/^[0-9a-f]{16}$/);
    }
    // Asked for, it is filled in for the analysed images with a face (their other results unchanged); a failed analysis has none.
    const before = getAnalysis(ws.db, ids.astronaut.imageId)!;
    const faces = count('SELECT COUNT(*) AS n FROM analyses WHERE face_found = 1 AND error IS NULL');
    expect(await runAnalysis(ws, { workers: 1, descriptor: true })).toMatchObject({ analyzed: 0, descriptorsFilled: faces });
    expect(count('SELECT COUNT(*) AS n FROM analyses WHERE face_found = 1 AND descriptor IS NULL')).toBe(0);
    expect({ ...getAnalysis(ws.db, ids.astronaut.imageId)!, descriptor: null }).toEqual(before);
    expect(getAnalysis(ws.db, ids.corrupt.imageId)).toMatchObject({ error: expect.any(String), descriptor: null });
    const descriptor = descriptorFromBlob(getAnalysis(ws.db, ids.astronaut.imageId)!.descriptor, 128);
    expect(descriptor).toHaveLength(128);
    expect(Math.hypot(...descriptor!)).toBeGreaterThan(0.1);
    // Every demo photo has a detected face.
    for (const n of [1, 2, 3, 4]) {
      expect(ws.db.prepare('SELECT face_found FROM analyses WHERE image_id = ?').get(ids[`demo${n}`].imageId)).toEqual({ face_found: 1 });
    }
  });

  it('reports and skips the corrupt and the huge image (recorded, not retried)', () => {
    const err = (id: number) => (ws.db.prepare('SELECT error FROM analyses WHERE image_id = ?').get(id) as { error: string }).error;
    expect(err(ids.corrupt.imageId)).toMatch(/^undecodable: cannot read image header/);
    expect(err(ids.huge.imageId)).toMatch(/^too_large: image is 50000×50000 = 2500\.0 MP, over the 40\.0 MP limit; refused before decoding/);
    expect(loadOverlay(ws.db, ids.corrupt.imageId)).toBeNull();
    expect(loadSuggestion(ws.db, ids.corrupt.recordId)).toBeNull();
  });

  it("measures a subject's images against the subject's neutral image", () => {
    const est = (id: number) => JSON.parse((ws.db.prepare('SELECT au_estimates FROM analyses WHERE image_id = ?').get(id) as { au_estimates: string }).au_estimates);
    const withBaseline = est(ids.astronaut.imageId);
    expect(withBaseline.AU12.ref).toBe('subject');
    // Her reference is the same smile, so relative to it the smile is no change...
    expect(withBaseline.AU12.present).toBe(false);
    // ...while the same face without a subject is measured against the population and smiles.
    const population = est(ids.astronautNoSubject.imageId);
    expect(population.AU12).toMatchObject({ present: true, ref: 'population' });
    expect(est(ids.reference.imageId).AU12.ref).toBe('population');
  });

  it('gives the label view its overlay and suggestion', () => {
    const overlay = loadOverlay(ws.db, ids.astronautNoSubject.imageId)!;
    expect(overlay.faceFound).toBe(true);
    expect(overlay.landmarks).toHaveLength(68);
    expect(overlay.box!.width).toBeGreaterThan(50);
    const auRegions = new Set(overlay.auRegions.map((r) => r.au));
    expect(auRegions).toEqual(new Set(['AU1', 'AU2', 'AU4', 'AU5', 'AU6', 'AU7', 'AU12', 'AU15', 'AU20', 'AU25', 'AU26', 'AU43']));
    expect(overlay.auRegions.find((r) => r.au === 'AU12')!.present).toBe(true);

    const s = loadSuggestion(ws.db, ids.astronautNoSubject.recordId)!;
    expect(s.model).toBe('face-api-expression@1.7.15');
    expect(s.emotion).toBe('happiness');
    expect(s.emotionScore).toBeGreaterThan(0.9);
    expect(s.aus.find((a) => a.au === 'AU12')).toMatchObject({ present: true });
    expect(s.reasoning).toMatch(/^<think>.*\(AU12\).*<\/think><answer>happiness<\/answer>$/);
    const row = ws.db.prepare('SELECT p.reasoning, m.name FROM predictions p JOIN models m ON m.id = p.model_id WHERE p.id = ?').get(s.predictionId);
    expect(row).toEqual({ reasoning: s.reasoning, name: 'face-api-expression' });
  });

  it('exports records.csv with labels, predictions and face detection', async () => {
    const out = path.join(dir, 'export');
    const { rows, file } = await exportCsv(ws, out);
    expect(rows).toBe(9);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\r\n');
    const header = lines[0].split(',');
    expect(header).toEqual(expect.arrayContaining(['id', 'image', 'subject', 'split', 'status', 'emotion', 'aus', 'predicted_emotion', 'predicted_emotion_score', 'predicted_aus', 'face_found']));
    const byId = new Map(lines.slice(1).map((l) => [l.split(',')[0], Object.fromEntries(l.split(',').map((v, i) => [header[i], v]))]));
    const astro = byId.get(ids.astronautNoSubject.recordId)!;
    expect(astro).toMatchObject({ predicted_emotion: 'happiness', face_found: '1', status: 'unlabeled' });
    expect(astro.predicted_aus.split(' ')).toContain('AU12');
    expect(byId.get(ids.reference.recordId)).toMatchObject({ emotion: 'neutral', status: 'weak', subject: 'eileen' });
    expect(byId.get(ids.corrupt.recordId)).toMatchObject({ face_found: '', predicted_emotion: '' });
  });
});

describe('analysis.start handler', () => {
  it('runs as a job with progress, can be cancelled, and a restart finishes the rest', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-analyze-job-'));
    const ws = openWorkspace(path.join(dir, 'ws'), { create: true });
    try {
      for (const w of [260, 280, 300]) addImage(ws, `astro-${w}.jpg`, await sharp(ASTRONAUT).resize(w).jpeg().toBuffer(), null);
      const ctx = createContext(ws);
      const handlers = analysisHandlers(ctx);
      const finished = (jobId: string) =>
        new Promise<Job>((resolve) => {
          const off = ctx.events.subscribe((e) => {
            if (e.type === 'job.progress' && e.job.id === jobId && e.job.status !== 'running') {
              off();
              resolve(e.job);
            }
          });
        });

      const { jobId } = await handlers['analysis.start']({ workers: 1 });
      expect(ctx.jobs.get(jobId)).toMatchObject({ kind: 'analyze', status: 'running' });
      const stoppedJob = finished(jobId);
      expect(ctx.jobs.cancel(jobId)).toBe(true);
      expect((await stoppedJob).status).toBe('stopped');

      const changed: string[] = [];
      ctx.events.subscribe((e) => e.type === 'records.changed' && changed.push(...e.ids));
      const again = await handlers['analysis.start']({ workers: 2 });
      const done = await finished(again.jobId);
      expect(done.status).toBe('done');
      expect(done.done).toBe(done.total);
      expect(done.message).toMatch(/analysed \(\d+ faces found\), 0 skipped, 0 failed on (wasm|cpu)/);
      expect((ws.db.prepare('SELECT COUNT(*) FROM analyses').pluck().get() as number)).toBe(3);
      // The label view drops its cached details of exactly the records that got a suggestion.
      expect(changed.length).toBeGreaterThan(0);
      for (const id of changed) expect(id).toMatch(/^rec-astro-\d+\.jpg$/);
    } finally {
      ws.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
