/**
 * The label view after analysis: the landmark/AU-region overlay and the model suggestion; accepting the
 * suggestion by key saves a revision that remembers its prediction. Needs `npm run build` (analysis workers run from dist/).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ApiClient } from '../../contract/api';
import type { RecordDetail } from '../../contract/types';
import { ARTIFACTS_DIR } from '../support/browser';
import { useE2E } from '../support/e2e';
import { LabelPage } from '../support/label-page';
import { humanRevisions } from '../support/revisions';

const e2e = useE2E({ demo: 3, seed: 5 });

async function analyse(api: ApiClient): Promise<void> {
  const { jobId } = await api['analysis.start']({ workers: 1 });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { jobs } = await api['jobs.list']({});
    const job = jobs.find((j) => j.id === jobId);
    if (job && job.status === 'done') return;
    if (job && (job.status === 'failed' || job.status === 'stopped')) throw new Error(`analysis ${job.status}: ${job.message}`);
    if (Date.now() > deadline) throw new Error(`analysis not done after 60 s: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 200)); // polling the job over the API
  }
}

e2e.test('overlay and suggestion: shown after analysis, accepted by key, remembered by the revision', async (ctx) => {
  const { page, db } = ctx;
  await analyse(ctx.api);

  // A record whose analysis found a face and whose suggestion names AUs.
  let target: RecordDetail | null = null;
  for (const id of ['demo-000001', 'demo-000002', 'demo-000003']) {
    const detail = await ctx.api['records.get']({ id });
    if (detail.analysis?.faceFound && detail.suggestion) {
      target = detail;
      break;
    }
  }
  expect(target).not.toBeNull();
  const { row, suggestion, analysis } = target!;

  const label = await LabelPage.open(ctx, { as: 'ivy', record: row.id });
  await label.suggestionPanel().waitFor();
  expect(await label.suggestionPanel().getAttribute('data-prediction-id')).toBe(String(suggestion!.predictionId));
  expect(await label.suggestionPanel().textContent()).toContain(suggestion!.model);

  expect(await label.overlay().count()).toBe(0);
  await label.toggleOverlay();
  expect(await label.overlayCounts()).toEqual({ landmarks: analysis!.landmarks.length, regions: analysis!.auRegions.length });

  await label.acceptSuggestion();
  const presentAUs = suggestion!.aus.filter((a) => a.present).map((a) => a.au);
  const form = await label.formState();
  expect(form.emotion).toBe(suggestion!.emotion);
  expect(new Set(form.aus)).toEqual(new Set(presentAUs));
  expect(form.reasoning.length).toBeGreaterThan(0);

  await ctx.screenshot('label-view-overlay-suggestion');
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'label-view-overlay.png') });

  // Zoom keys scale the image; the fit key (Shift+1) fits it again.
  const fitted = await label.imageWidth();
  await label.zoomIn();
  await label.zoomIn();
  expect(await label.imageWidth()).toBeGreaterThan(fitted * 1.4);
  await label.resetZoom();
  expect(Math.round(await label.imageWidth())).toBe(Math.round(fitted));

  await label.submit();
  await label.submitAnywayIfAsked(); // the model's reasoning may not pass every check
  await label.waitForRecord({ notId: row.id });
  await label.waitUntilStored(row.id);
  const [rev] = humanRevisions(db(), row.id);
  expect(rev).toMatchObject({ author: 'ivy', emotion: suggestion!.emotion, parent_prediction_id: suggestion!.predictionId });
});
