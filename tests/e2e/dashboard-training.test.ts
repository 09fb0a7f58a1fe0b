/**
 * Dashboard and Training views in Chromium against server mode on a demo workspace:
 * the dashboard's counts equal the database's and its charts render; the training view renders its
 * start form, and — where the training service is available — a tiny SFT run's curves, eval table and
 * confusion matrix, then a tiny RL run from it with its result line and the selected step marked on its curves.
 * Screenshots: test-artifacts/dashboard-full.png, test-artifacts/training.png (+ curves/confusion/rl-curves).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { ApiClient } from '../../contract/api';
import type { User } from '../../contract/types';
import { direction } from '../../renderer/src/training/runResult';
import { ARTIFACTS_DIR } from '../support/browser';
import { useE2E } from '../support/e2e';

const e2e = useE2E({ demo: 60, seed: 1 });
const SPLIT = 'main';

/** Full-length screenshot of a view that scrolls inside the shell: grow the viewport to its content first. */
async function viewScreenshot(page: Page, selector: string, file: string): Promise<void> {
  const height = await page.locator(selector).evaluate((el) => el.scrollHeight + el.getBoundingClientRect().top);
  const vp = page.viewportSize()!;
  await page.setViewportSize({ width: vp.width, height: Math.min(4000, Math.max(vp.height, Math.ceil(height))) });
  // Charts re-measure on resize; wait until every responsive container has a rendered surface again.
  await page.waitForFunction(
    (sel) => [...document.querySelectorAll(`${sel} .recharts-responsive-container`)].every((c) => c.querySelector('svg.recharts-surface')),
    selector,
  );
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file });
  await page.setViewportSize(vp);
}

/** A profile and the split both tests use; each test can run alone (jest -t). */
async function setup(api: ApiClient): Promise<User> {
  const user = await api['users.upsert']({ name: 'dana', role: 'annotator' });
  const { splits } = await api['splits.list']({});
  if (!splits.some((s) => s.name === SPLIT)) await api['splits.create']({ name: SPLIT, ratios: { train: 0.8, test: 0.2 }, stratify: 'emotion', group: 'subject', seed: 1 });
  return user;
}

/** The status tiles show exactly the database's counts. */
async function expectCountsMatchDb(page: Page, db: import('better-sqlite3').Database): Promise<void> {
  const byStatus = Object.fromEntries(
    (db.prepare('SELECT status, COUNT(*) AS n FROM records GROUP BY status').all() as { status: string; n: number }[]).map((r) => [r.status, r.n]),
  );
  const total = (db.prepare('SELECT COUNT(*) AS n FROM records').get() as { n: number }).n;
  expect(total).toBe(60);
  const shown: Record<string, string> = {};
  const expected: Record<string, string> = {};
  for (const status of ['unlabeled', 'weak', 'labeled', 'reviewed']) {
    shown[status] = await page.getByTestId(`count-${status}`).innerText();
    expected[status] = String(byStatus[status] ?? 0);
  }
  expect(shown).toEqual(expected);
}

e2e.test('dashboard: counts match the database, charts, progress, throughput and splits render', async (ctx) => {
  const { page, api, db, gotoApp, context } = ctx;
  const user = await setup(api);
  // Two human labels, so progress and throughput have something to show.
  const rows = await api['records.query']({ filter: {}, limit: 2 });
  for (const r of rows.rows)
    await api['annotations.submit']({
      recordId: r.id,
      userId: user.id,
      emotion: 'happiness',
      aus: [{ au: 'AU6' }, { au: 'AU12' }],
      reasoning: '<think>The cheeks are raised (AU6) and the lip corners are pulled up (AU12); together these indicate happiness.</think><answer>happiness</answer>',
    });
  await context.addInitScript((id) => localStorage.setItem('fea.userId', String(id)), user.id);

  await gotoApp('#/dashboard');
  const view = page.locator('[data-testid="dashboard-view"][data-loaded="true"]');
  await view.waitFor({ timeout: 15_000 });

  await expectCountsMatchDb(page, db());
  expect(await page.getByTestId('tile-records').innerText()).toContain('60');

  // Charts drew bars; the AU chart is ordered by AU number.
  await page.locator('[data-testid="emotion-chart"] .recharts-bar-rectangle').first().waitFor();
  const emotionsWithLabels = (db().prepare('SELECT COUNT(DISTINCT emotion) AS n FROM records WHERE emotion IS NOT NULL').get() as { n: number }).n;
  expect(await page.locator('[data-testid="emotion-chart"] .recharts-bar-rectangle').count()).toBeGreaterThanOrEqual(emotionsWithLabels);
  const auTicks = await page.locator('[data-testid="au-chart"] .recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value').allTextContents();
  expect(auTicks.length).toBeGreaterThan(0);
  expect(auTicks.map((t) => Number(t.replace('AU', '')))).toEqual([...auTicks.map((t) => Number(t.replace('AU', '')))].sort((a, b) => a - b));
  await page.locator('[data-testid="progress-chart"] .recharts-surface').first().waitFor();

  // Throughput: the current user's row is highlighted and counts their two labels.
  const me = page.getByTestId(`throughput-row-${user.id}`);
  expect(await me.getAttribute('data-current')).toBe('true');
  expect(await page.getByTestId('throughput-me').innerText()).toMatch(/2\s+total/);

  // Splits summary shows the split's parts with their sizes from the database.
  const parts = db().prepare('SELECT a.part AS part, COUNT(*) AS n FROM split_assignments a JOIN splits s ON s.id = a.split_id WHERE s.name = ? GROUP BY a.part').all(SPLIT) as { part: string; n: number }[];
  for (const p of parts) expect(await page.getByTestId(`split-part-${SPLIT}-${p.part}`).innerText()).toContain(String(p.n));

  // A label submitted elsewhere shows up through the records.changed event, without a reload.
  const third = await api['records.query']({ filter: {}, offset: 2, limit: 1 });
  await api['annotations.submit']({
    recordId: third.rows[0].id,
    userId: user.id,
    emotion: 'neutral',
    aus: [],
    reasoning: '<think>The face is relaxed with a calm, even expression; together these indicate neutral.</think><answer>neutral</answer>',
  });
  await page.waitForFunction(() => /3\s+total/.test(document.querySelector('[data-testid="throughput-me"]')?.textContent ?? ''), undefined, { timeout: 10_000 });
  const humanRevisions = (db().prepare("SELECT COUNT(*) AS n FROM revisions WHERE kind = 'human'").get() as { n: number }).n;
  expect(humanRevisions).toBe(3);
  await expectCountsMatchDb(page, db());

  // the full length; dashboard.png (the first screen at 1440×900) comes from dashboard-coverage.test.ts
  await viewScreenshot(page, '[data-testid="dashboard-view"]', path.join(ARTIFACTS_DIR, 'dashboard-full.png'));
  expect(ctx.pageErrors).toEqual([]);
});

/** Whether the training service answers (it is built separately; until then the view shows its empty states). */
async function trainingAvailable(api: ApiClient): Promise<boolean> {
  return api['runs.list']({}).then(
    () => true,
    () => false,
  );
}

e2e.test(
  'training: start form, runs, and (when training is available) a tiny SFT run with curves, eval and confusion matrix, then RL from it',
  async (ctx) => {
    const { page, api, gotoApp, context } = ctx;
    const user = await setup(api);
    await context.addInitScript((id) => localStorage.setItem('fea.userId', String(id)), user.id);
    await gotoApp('#/training');
    await page.locator('[data-testid="training-view"][data-loaded="true"]').waitFor({ timeout: 15_000 });
    // The split made by the dashboard test is offered by the start form.
    const form = page.getByTestId('start-run-form');
    await form.waitFor();
    expect(await page.getByTestId('start-split').inputValue()).toBe(SPLIT);
    await page.getByTestId('start-stage-rl').click();
    await page.getByTestId('start-advanced').locator('summary').click();
    for (const id of ['start-group-size', 'start-beta', 'start-epsilon', 'start-loss-type', 'start-sample-weights', 'start-w-format', 'start-w-accuracy', 'start-w-au', 'start-lr'])
      await page.getByTestId(id).waitFor();
    await page.getByTestId('start-stage-sft').click();

    if (!(await trainingAvailable(api))) {
      // Not built yet: the view must still guide the user.
      await page.getByTestId('runs-empty').waitFor();
      await page.getByTestId('models-empty').waitFor();
      await viewScreenshot(page, '[data-testid="training-view"]', path.join(ARTIFACTS_DIR, 'training.png'));
      console.warn('training service not available (runs.list failed): checked empty states only');
      return;
    }

    // A tiny SFT run, started from the form.
    await page.getByTestId('start-epochs').fill('1');
    await page.getByTestId('start-steps').fill('12');
    await page.getByTestId('start-seed').fill('1');
    await page.getByTestId('start-submit').click();
    await page.getByTestId('start-notice').waitFor({ timeout: 15_000 });
    const runs = await api['runs.list']({});
    const run = [...runs.runs].sort((a, b) => b.id - a.id)[0];
    const row = page.getByTestId(`run-row-${run.id}`);
    await row.waitFor();

    // Curves appear live while the run is going, and the run ends (done) within the budget.
    await page.getByTestId('run-curves').locator('.recharts-line-curve').first().waitFor({ timeout: 30_000 });
    await page.waitForFunction((id) => document.querySelector(`[data-testid="run-row-${id}"]`)?.getAttribute('data-status') !== 'running', run.id, { timeout: 40_000 }).catch(() => undefined);
    await page.getByTestId('curve-loss').waitFor();
    // the trainer's own numbers (throughput, live tensors) are in the Engine group, with titles
    expect(await page.getByTestId('curve-group-engine').locator('.tr-mult__title').allInnerTexts()).toEqual(expect.arrayContaining(['Tokens / s', 'Sequences / s', 'Live tensors']));
    await page.getByTestId('card-curves').screenshot({ path: path.join(ARTIFACTS_DIR, 'training-curves.png') });

    const status = await row.getAttribute('data-status');
    if (status === 'done') {
      // Evaluate the new model on the test part from the UI; the confusion matrix counts add up to n.
      await page.getByTestId('tab-eval').click();
      await page.getByTestId('eval-part').selectOption('test');
      await page.getByTestId('eval-run').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="eval-run"]')?.textContent === 'Evaluate', undefined, { timeout: 30_000 });
      await page.getByTestId(`eval-row-${SPLIT}/test`).waitFor();
      const cells = page.locator('[data-testid="confusion"] [data-count]');
      const counts = await cells.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
      const n = Number(await page.getByTestId(`eval-row-${SPLIT}/test`).locator('td').nth(1).innerText());
      expect(counts.reduce((a, b) => a + b, 0)).toBe(n);
      await page.getByTestId('confusion').screenshot({ path: path.join(ARTIFACTS_DIR, 'training-confusion.png') });

      // SFT's result line: its model is the last step; SFT curves get no model marker.
      const sftLine = page.locator('[data-testid="run-result"][data-stage="sft"]');
      await sftLine.waitFor({ timeout: 10_000 });
      expect(await sftLine.getByTestId('run-result-model').innerText()).toMatch(/^model = step 12 of 12 \(last step/);
      expect(await page.locator('[data-testid="run-curves"] .tr-model-line').count()).toBe(0);

      // A tiny RL run from the SFT model (the form's default base), started from the form.
      await page.getByTestId('start-stage-rl').click();
      await page.getByTestId('start-steps').fill('2');
      await page.getByTestId('start-group-size').fill('2');
      await page.getByTestId('start-submit').click();
      await page.getByTestId('start-notice').filter({ hasText: `Run #${run.id + 1} started` }).waitFor({ timeout: 15_000 });
      const rlId = run.id + 1;
      await page.waitForFunction((id) => document.querySelector(`[data-testid="run-row-${id}"]`)?.getAttribute('data-status') === 'done', rlId, { timeout: 60_000 });
      const { run: rlRun } = await api['runs.get']({ runId: rlId });
      expect(rlRun.result?.stage).toBe('rl');
      if (rlRun.result?.stage !== 'rl') return;
      const selected = rlRun.result.selectedStep;
      expect(selected).toBeGreaterThanOrEqual(1);
      expect(selected).toBeLessThanOrEqual(2);

      // Its result line: the model's step, and before → after values with their direction.
      const rlLine = page.locator('[data-testid="run-result"][data-stage="rl"]');
      await rlLine.waitFor({ timeout: 10_000 });
      expect(await rlLine.getAttribute('data-step')).toBe(String(selected));
      expect(await rlLine.getByTestId('run-result-model').innerText()).toMatch(new RegExp(`^model = step ${selected} of 2 \\((best on held-out subjects|last step)`));
      const sampled = rlLine.getByTestId('run-result-sampled');
      const { start, end } = rlRun.result.trainReward.sampled;
      expect(await sampled.innerText()).toBe(`${start!.toFixed(3)} → ${end.toFixed(3)} ${{ up: '↑', down: '↓', same: '=' }[direction(start!, end)]}`);
      expect(await sampled.getAttribute('data-dir')).toBe(direction(start!, end));
      for (const id of ['run-result-greedy', 'run-result-rollout']) expect(await rlLine.getByTestId(id).innerText()).toMatch(/^-?\d+\.\d{3} → -?\d+\.\d{3} [↑↓=]$/);
      expect(await page.getByTestId(`run-model-step-${rlId}`).innerText()).toContain(`step ${selected} of 2`);
      // the models table says the same of the RL model
      expect(await page.getByTestId(`model-step-${rlRun.modelId}`).innerText()).toContain(`step ${selected} of 2`);
      // Every RL curve marks the selected step with a line labelled "model".
      await page.locator('[data-testid="run-curves"] .tr-model-line line').first().waitFor({ state: 'attached' });
      const panels = page.locator('[data-testid="run-curves"] .tr-mult');
      expect(await page.locator('[data-testid="run-curves"] .tr-mult[data-model-step]').count()).toBe(await panels.count());
      expect(await page.getByTestId('curve-reward').locator('.tr-model-label').textContent()).toBe('model');
      await page.getByTestId('card-curves').screenshot({ path: path.join(ARTIFACTS_DIR, 'training-rl-curves.png') });
    }
    await viewScreenshot(page, '[data-testid="training-view"]', path.join(ARTIFACTS_DIR, 'training.png'));
    expect(ctx.pageErrors).toEqual([]);
    // Leave no worker behind: stop the run if it is still going, and let jobs settle before the server closes.
    if (status === 'running') await api['training.stop']({ runId: run.id });
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const { jobs } = await api['jobs.list']({});
      if (!jobs.some((j) => j.status === 'running' || j.status === 'queued')) break;
      await new Promise((r) => setTimeout(r, 200)); // polling the API, not the UI
    }
  },
  150_000,
);
