/**
 * The label view after analysis: the landmark/AU-region overlay and the model suggestion; accepting the
 * suggestion by key saves a revision that remembers its prediction. Needs `npm run build` (analysis workers run from dist/).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Job, RecordDetail } from '../../contract/types';
import { ARTIFACTS_DIR, useE2E } from './harness';
import { formState, humanRevisions, signInAs, waitForDecisions } from './label-helpers';

const e2e = useE2E({ demo: 3, seed: 5 });

async function analyse(ctx: Parameters<Parameters<typeof e2e.test>[1]>[0]): Promise<void> {
  const started = await ctx.api<{ jobId: string }>('analysis.start', { workers: 1 });
  if (!started.ok) throw new Error(`analysis.start: ${started.error.message}`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await ctx.api<{ jobs: Job[] }>('jobs.list', {});
    const job = res.ok ? res.value.jobs.find((j) => j.id === started.value.jobId) : undefined;
    if (job && job.status === 'done') return;
    if (job && (job.status === 'failed' || job.status === 'stopped')) throw new Error(`analysis ${job.status}: ${job.message}`);
    if (Date.now() > deadline) throw new Error(`analysis not done after 60 s: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 200)); // polling the job over the API
  }
}

e2e.test('overlay and suggestion: shown after analysis, accepted by key, remembered by the revision', async (ctx) => {
  const { page, gotoApp, labelView, db } = ctx;
  await signInAs(ctx, 'ivy');
  await analyse(ctx);

  // A record whose analysis found a face and whose suggestion names AUs.
  let target: RecordDetail | null = null;
  for (const id of ['demo-000001', 'demo-000002', 'demo-000003']) {
    const res = await ctx.api<RecordDetail>('records.get', { id });
    if (res.ok && res.value.analysis?.faceFound && res.value.suggestion) {
      target = res.value;
      break;
    }
  }
  expect(target).not.toBeNull();
  const { row, suggestion, analysis } = target!;

  await gotoApp(`#/label/${row.id}`);
  await labelView({ id: row.id });
  await page.getByTestId('suggestion-panel').waitFor();
  expect(await page.getByTestId('suggestion-panel').getAttribute('data-prediction-id')).toBe(String(suggestion!.predictionId));
  expect(await page.getByTestId('suggestion-panel').textContent()).toContain(suggestion!.model);

  expect(await page.getByTestId('overlay').count()).toBe(0);
  await page.keyboard.press('o');
  await page.getByTestId('overlay').waitFor();
  expect(await page.locator('[data-testid="overlay"] .ov-landmark').count()).toBe(analysis!.landmarks.length);
  expect(await page.locator('[data-testid="overlay"] .ov-region').count()).toBe(analysis!.auRegions.length);

  await page.keyboard.press('a'); // accept the suggestion into the form
  const presentAUs = suggestion!.aus.filter((a) => a.present).map((a) => a.au);
  const form = await formState(page);
  expect(form.emotion).toBe(suggestion!.emotion);
  expect(new Set(form.aus)).toEqual(new Set(presentAUs));
  expect(form.reasoning.length).toBeGreaterThan(0);

  await ctx.screenshot('label-view-overlay-suggestion');
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'label-view-overlay.png') });

  // Zoom keys scale the image; 0 resets.
  const size = () => page.locator('.stage-canvas').evaluate((el) => el.getBoundingClientRect().width);
  const fitted = await size();
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  expect(await size()).toBeGreaterThan(fitted * 1.4);
  await page.keyboard.press('0');
  expect(Math.round(await size())).toBe(Math.round(fitted));

  await page.keyboard.press('Control+Enter');
  if (await page.getByTestId('confirm-modal').count()) await page.keyboard.press('Enter'); // the model's reasoning may not pass every check
  await labelView({ notId: row.id });
  await waitForDecisions(page, row.id);
  const [rev] = humanRevisions(db(), row.id);
  expect(rev).toMatchObject({ author: 'ivy', emotion: suggestion!.emotion, parent_prediction_id: suggestion!.predictionId });
});
