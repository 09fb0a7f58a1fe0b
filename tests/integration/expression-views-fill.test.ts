/**
 * Analyses stored with fewer expression views than asked for get the rest with --fill-views (analysis otherwise
 * skips analysed images), the views they had kept as they were; without it, nothing is analysed again.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { openWorkspace, type Workspace } from '../../db/open';
import { expressionViewsFromBlob, getAnalysis } from '../../db/repositories/analysis';
import { runAnalysis } from '../../services/analysis/run';
import { EXPRESSION_FEATURE_DIM } from '../../pipelines/vision/expression-features';
import { FACE_API_DIR } from '../../pipelines/vision/faceapi';
import { addImageRecord } from '../support/image-record';
import { createContext } from '../../services/context';
import { analysisHandlers } from '../../services/analysis/handlers';
import type { Job } from '../../contract/types';
import { DEFAULT_EXPRESSION_VIEWS } from '../../pipelines/vision/expression-views';

jest.setTimeout(180_000);

const ASTRONAUT = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png';

describe('filling expression views', () => {
  let dir: string;
  let ws: Workspace;
  const ids: number[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-views-fill-'));
    ws = openWorkspace(path.join(dir, 'ws'), { create: true });
    const photos: [string, Buffer][] = [
      ['astronaut.png', fs.readFileSync(ASTRONAUT)],
      ['sample1.jpg', await sharp(path.join(FACE_API_DIR, 'demo', 'sample1.jpg')).resize(480).jpeg().toBuffer()],
    ];
    for (const [name, bytes] of photos) ids.push(addImageRecord(ws, name, bytes, { subject: name, emotion: 'happiness', status: 'labeled' }).imageId);
  });

  afterAll(() => {
    ws?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const views = (imageId: number) => expressionViewsFromBlob(getAnalysis(ws.db, imageId)!.expression_features, EXPRESSION_FEATURE_DIM, imageId)!;

  it('one view as asked; a later run at two views leaves them alone unless told to fill, then fills each once', async () => {
    expect(await runAnalysis(ws, { workers: 1, expressionViews: 1 })).toMatchObject({ analyzed: 2, viewsFilled: 0 });
    const before = ids.map(views);
    before.forEach((v) => expect(v).toHaveLength(1));

    expect(await runAnalysis(ws, { workers: 1, expressionViews: 2 })).toMatchObject({ analyzed: 0, viewsFilled: 0 });
    ids.forEach((id) => expect(views(id)).toHaveLength(1));

    const progress: string[] = [];
    const filled = await runAnalysis(ws, { workers: 1, expressionViews: 2, fillViews: true, onFillProgress: (p) => progress.push(`${p.fill} ${p.done}/${p.total}`) });
    expect(filled).toMatchObject({ analyzed: 0, viewsFilled: 2 });
    expect(progress).toEqual(['views 0/2', 'views 1/2', 'views 2/2']);
    ids.forEach((id, k) => {
      const now = views(id);
      expect(now).toHaveLength(2);
      // the face's own view is what analysis stored before; the new one is its mirror
      expect(Array.from(now[0])).toEqual(Array.from(before[k][0]));
      expect(Array.from(now[1])).not.toEqual(Array.from(now[0]));
    });
    expect(await runAnalysis(ws, { workers: 1, expressionViews: 2, fillViews: true })).toMatchObject({ viewsFilled: 0 });
  });

  it("the app's analysis job fills them when asked, its progress saying so", async () => {
    const extra = addImageRecord(ws, 'astronaut-small.png', await sharp(ASTRONAUT).resize(200).png().toBuffer(), { subject: 'small', emotion: 'happiness', status: 'labeled' }).imageId;
    expect(await runAnalysis(ws, { workers: 1, expressionViews: 1 })).toMatchObject({ analyzed: 1 });
    expect(views(extra)).toHaveLength(1);
    const ctx = createContext(ws);
    const messages: string[] = [];
    const finished = (jobId: string) =>
      new Promise<Job>((resolve) => {
        const off = ctx.events.subscribe((e) => {
          if (e.type !== 'job.progress' || e.job.id !== jobId) return;
          messages.push(e.job.message);
          if (e.job.status !== 'running') {
            off();
            resolve(e.job);
          }
        });
      });
    const { jobId } = await analysisHandlers(ctx)['analysis.start']({ workers: 1, fillViews: true });
    expect((await finished(jobId)).status).toBe('done');
    expect(views(extra)).toHaveLength(DEFAULT_EXPRESSION_VIEWS);
    expect(messages).toContain('giving earlier analyses their expression views: 1 of 1');
  });
});
