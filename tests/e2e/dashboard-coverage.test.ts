/**
 * The dashboard in Chromium keeps up by itself: face analysis run elsewhere fills its coverage tile and the faces
 * per source table, records skipped in the label queue appear with their reasons, a timed submission gives the time
 * per record, all without a reload; the skipped tile leads to the queue filtered to those records.
 * Screenshot: test-artifacts/dashboard.png (1440×900).
 */
import * as path from 'node:path';
import type { ApiClient } from '../../contract/api';
import { ARTIFACTS_DIR } from '../support/browser';
import { DashboardPage } from '../support/dashboard-page';
import { useE2E } from '../support/e2e';

const e2e = useE2E({ demo: 6, seed: 4 });

async function analysisDone(api: ApiClient, jobId: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const job = (await api['jobs.list']({})).jobs.find((j) => j.id === jobId);
    if (job?.status === 'done') return;
    if (job && (job.status === 'failed' || job.status === 'stopped')) throw new Error(`analysis ${job.status}: ${job.message}`);
    if (Date.now() > deadline) throw new Error(`analysis not done after 120 s: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 250)); // polling the job over the API
  }
}

e2e.test(
  'coverage, faces per source, skipped records and time per record update on their own; the skipped tile opens the queue on them',
  async (ctx) => {
    const { api, db } = ctx;
    const dashboard = await DashboardPage.open(ctx, { as: 'dana' });
    expect(await dashboard.coverage()).toEqual({ analyzed: 0, records: 6, facesFound: 0 });
    expect(await dashboard.skipped()).toEqual({ records: 0, reasons: [] });
    expect(await dashboard.timePerRecord()).toBe('–');
    expect(await dashboard.facesBySource()).toEqual([]);

    // face analysis started elsewhere (another window, the CLI's server): the tiles follow its events
    const { jobId } = await api['analysis.start']({ workers: 1 });
    await analysisDone(api, jobId);
    const faces = (db().prepare('SELECT COUNT(*) AS n FROM analyses WHERE error IS NULL AND face_found = 1').get() as { n: number }).n;
    await dashboard.waitUntil(async () => (await dashboard.coverage()).analyzed === 6, 'all 6 records analysed');
    expect(await dashboard.coverage()).toEqual({ analyzed: 6, records: 6, facesFound: faces });
    expect(await dashboard.facesBySource()).toEqual([{ source: 'demo', analyzed: 6, facesFound: faces }]);

    // an annotator skips two records, and labels one in 6 s
    const annotator = await api['users.upsert']({ name: 'ann', role: 'annotator' });
    await api['annotations.skip']({ recordId: 'demo-000002', userId: annotator.id, reason: 'face hidden by a hand' });
    await api['annotations.skip']({ recordId: 'demo-000005', userId: annotator.id, reason: 'two faces' });
    await dashboard.waitUntil(async () => (await dashboard.skipped()).records === 2, '2 skipped records');
    expect(await dashboard.skipped()).toEqual({ records: 2, reasons: ['1 face hidden by a hand', '1 two faces'] });
    await api['annotations.submit']({
      recordId: 'demo-000001', userId: annotator.id, emotion: 'happiness', aus: [{ au: 'AU6' }, { au: 'AU12' }], lastWriteWins: true, leadTimeMs: 6000,
      reasoning: '<think>The cheeks are raised (AU6) and the lip corners are pulled up (AU12); together these indicate happiness.</think><answer>happiness</answer>',
    });
    await dashboard.waitUntil(async () => (await dashboard.timePerRecord()) === '6.0 s', 'a time per record of 6.0 s');

    await dashboard.screenshot(path.join(ARTIFACTS_DIR, 'dashboard.png'));

    // the way to the skipped records: the queue, filtered to them
    expect(await dashboard.openSkippedInQueue()).toEqual(['demo-000002', 'demo-000005']);
    expect(await dashboard.queueSkippedFilter()).toBe('yes');
    expect(ctx.pageErrors).toEqual([]);
  },
  180_000,
);
