/**
 * The dashboard's new numbers from stats.get: face-analysis coverage over records (and the same faces per source as
 * `fea analyze --json`), skipped records by reason with the queue's `skipped` filter agreeing, and the median time
 * per record from the label view's submissions, undone ones left out.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fea } from '../support/cli';
import { openWorkspace } from '../../db/open';
import { facesBySource, saveAnalysis, type NewAnalysis } from '../../db/repositories/analysis';
import { createContext } from '../../services/context';
import { createHandlers } from '../../services/handlers';
import { call } from '../../cli/workspace';

jest.setTimeout(60_000);

const analysis = (imageId: number, patch: Partial<NewAnalysis>): NewAnalysis => ({
  imageId, faceFound: false, box: null, landmarks: [], descriptor: null, cropGrayPath: null, cropColorPath: null,
  auEstimates: {}, expressions: {}, phash: null, backend: 'cpu', error: null, ...patch,
});

test('stats.get: analysis coverage, faces per source, skipped records with reasons (= the queue filter), median time per record', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-dash-stats-'));
  const ws = path.join(dir, 'ws');
  expect(fea(['init', ws, '--demo', '6', '--json']).code).toBe(0);
  const ctx = createContext(openWorkspace(ws));
  try {
    const db = ctx.ws.db;
    const h = createHandlers(ctx);
    const before = await call(h, 'stats.get', {});
    expect(before.analysis).toEqual({ records: 6, analyzed: 0, facesFound: 0, notAnalysable: [], facesBySource: {} });
    expect(before.skipped).toEqual({ records: 0, reasons: [] });
    expect(before.labelTime).toEqual({ medianMs: null, submissions: 0 });

    // images 1–2 found a face (2 on a padded canvas), 3 did not, 4 was refused; 5–6 not analysed; 2 comes from FER-2013
    db.prepare("UPDATE images SET source = 'FER-2013' WHERE id = 2").run();
    saveAnalysis(db, analysis(1, { faceFound: true, box: { x: 1, y: 1, width: 10, height: 10, detection: 'direct' } }));
    saveAnalysis(db, analysis(2, { faceFound: true, box: { x: 1, y: 1, width: 10, height: 10, detection: 'padded' } }));
    saveAnalysis(db, analysis(3, {}));
    saveAnalysis(db, analysis(4, { error: 'too_large: 20000 × 20000 px is over the limit' }));
    const stats = await call(h, 'stats.get', {});
    expect(stats.analysis).toMatchObject({ records: 6, analyzed: 3, facesFound: 2, notAnalysable: [{ reason: 'too_large', records: 1 }] });
    expect(stats.analysis.facesBySource).toEqual(facesBySource(db));
    expect(stats.analysis.facesBySource).toEqual({
      demo: { analyzed: 2, facesFound: 1, detection: { direct: 1, none: 1 } },
      'FER-2013': { analyzed: 1, facesFound: 1, detection: { padded: 1 } },
    });

    const user = await call(h, 'users.upsert', { name: 'tess', role: 'annotator' });
    await call(h, 'annotations.skip', { recordId: 'demo-000001', userId: user.id, reason: 'face hidden' });
    await call(h, 'annotations.skip', { recordId: 'demo-000002', userId: user.id, reason: 'face hidden' });
    await call(h, 'annotations.skip', { recordId: 'demo-000003', userId: user.id, reason: 'two faces' });
    const body = { userId: user.id, emotion: 'happiness', aus: [{ au: 'AU6' }, { au: 'AU12' }], reasoning: '<think>Cheeks raised (AU6), lip corners up (AU12).</think><answer>happiness</answer>', lastWriteWins: true };
    // a record skipped and then labeled is no longer skipped; times 4 s, 9 s, 2 s, then an undone 100 s
    await call(h, 'annotations.submit', { ...body, recordId: 'demo-000003', leadTimeMs: 4000 });
    await call(h, 'annotations.submit', { ...body, recordId: 'demo-000004', leadTimeMs: 9000 });
    await call(h, 'annotations.submit', { ...body, recordId: 'demo-000005', leadTimeMs: 2000 });
    await call(h, 'annotations.submit', { ...body, recordId: 'demo-000006', leadTimeMs: 100_000 });
    await call(h, 'decisions.undo', { userId: user.id });

    const after = await call(h, 'stats.get', {});
    expect(after.skipped).toEqual({ records: 2, reasons: [{ reason: 'face hidden', records: 2 }] });
    expect(after.labelTime).toEqual({ medianMs: 4000, submissions: 3 });
    const sort = { field: 'id', dir: 'asc' } as const;
    const skipped = await call(h, 'records.query', { filter: { skipped: true }, sort, offset: 0, limit: 50 });
    expect(skipped.rows.map((r) => r.id)).toEqual(['demo-000001', 'demo-000002']);
    expect(skipped.total).toBe(after.skipped.records);
    const notSkipped = await call(h, 'records.query', { filter: { skipped: false }, sort, offset: 0, limit: 50 });
    expect(notSkipped.total).toBe(4);
    // undoing the label of a skipped record makes it skipped again; undoing a skip takes the record out
    const undo = async (n: number) => {
      for (let i = 0; i < n; i++) await call(h, 'decisions.undo', { userId: user.id });
    };
    await undo(3);
    expect((await call(h, 'stats.get', {})).skipped).toEqual({ records: 3, reasons: [{ reason: 'face hidden', records: 2 }, { reason: 'two faces', records: 1 }] });
    await undo(2);
    expect((await call(h, 'stats.get', {})).skipped).toEqual({ records: 1, reasons: [{ reason: 'face hidden', records: 1 }] });
  } finally {
    ctx.ws.close();
  }
});
