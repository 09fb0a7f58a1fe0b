/**
 * In Chromium against server mode: a trained model's eval outputs are never offered on the test part's records, while
 * its suggestions (models.suggest, chosen in Settings) show on the train part; creating a profile with a taken name
 * offers to switch to it and never changes its role.
 */
import type { ApiClient } from '../../contract/api';
import { useE2E } from '../support/e2e';
import { LabelPage } from '../support/label-page';

const e2e = useE2E({ demo: 24, seed: 3 });
const TINY = { 'model.imageSize': 32, 'model.patchHidden': 8, 'model.featDim': 32, 'model.hidden': 48, 'model.embDim': 12, 'model.window': 6, 'sft.batchSize': 8 };

async function trainTiny(api: ApiClient): Promise<number> {
  const { runId } = await api['training.start']({ stage: 'sft', split: 'main', steps: 3, config: TINY });
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const { run } = await api['runs.get']({ runId });
    if (run.status === 'done' && run.modelId !== null) return run.modelId;
    if (run.status === 'failed') throw new Error(`run ${runId} failed: ${run.error}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`run ${runId} did not finish`);
}

e2e.test('eval outputs are never suggestions on test records; the chosen policy suggests on the train part', async (ctx) => {
  const { api, db, page, gotoApp, screenshot } = ctx;
  await api['splits.create']({ name: 'main', ratios: { train: 0.75, test: 0.25 }, seed: 1 });
  const modelId = await trainTiny(api);
  // the run evaluated the model on main/test: its outputs are stored, as eval outputs
  const purposes = db().prepare('SELECT DISTINCT purpose FROM predictions WHERE model_id = ?').all(modelId);
  expect(purposes).toEqual([{ purpose: 'eval' }]);
  const parts = db().prepare("SELECT a.record_id AS id, a.part FROM split_assignments a JOIN splits s ON s.id = a.split_id WHERE s.name = 'main' ORDER BY a.record_id").all() as { id: string; part: string }[];
  const test = parts.filter((p) => p.part === 'test');
  const train = parts.filter((p) => p.part === 'train');

  // the model chosen as the suggestion source, before it wrote any suggestion: nothing offered anywhere
  await api['suggestions.saveSettings']({ modelId, allowHeldOut: [] });
  const label = await LabelPage.open(ctx, { as: 'kim', record: test[0].id });
  expect(await label.suggestion()).toBeNull();
  await label.goto(train[0].id);
  expect(await label.suggestion()).toBeNull();

  // its suggestions on the train part show there, and still not on the test part
  expect((await api['models.suggest']({ modelId, split: 'main', part: 'train' })).written).toBe(train.length);
  // another client wrote them: this page's prefetched details go only when its records.changed event arrives, so
  // the annotator opens the record afresh
  await label.goto(train[1].id);
  await label.reload();
  expect(await label.suggestion()).toEqual({ model: `policy-sft-model-${modelId}@1` });
  for (const r of test.slice(0, 3)) {
    await label.goto(r.id);
    expect(await label.suggestion()).toBeNull();
  }

  // Settings shows the choice and the split's held-out part
  await gotoApp('#/settings');
  await page.getByTestId('suggestion-settings').waitFor();
  expect(await page.getByTestId('suggestion-model').inputValue()).toBe(String(modelId));
  expect(await page.getByTestId('suggestion-split-main').innerText()).toContain('main / test');
  await screenshot('suggestion-settings');
  expect(ctx.pageErrors).toEqual([]);
}, 150_000);

e2e.test('creating a profile with a taken name offers to switch to it; its role is not changed', async (ctx) => {
  const { api, db, page, gotoApp, url } = ctx;
  const lead = await api['users.upsert']({ name: 'morgan', role: 'lead' });
  await gotoApp();
  await page.getByTestId('profile-gate').waitFor();
  // the tab has an icon (the page names it and the server serves it)
  const icon = await page.locator('link[rel="icon"]').getAttribute('href');
  expect((await page.request.get(new URL(icon!, url).href)).status()).toBe(200);
  await page.getByTestId('profile-name').fill('morgan');
  await page.getByTestId('profile-role').selectOption('annotator');
  await page.getByTestId('profile-create').click();
  await page.getByTestId('profile-exists').waitFor();
  expect(await page.getByTestId('profile-exists').innerText()).toContain('A profile named morgan exists already (lead)');
  expect(db().prepare('SELECT role FROM users WHERE id = ?').get(lead.id)).toEqual({ role: 'lead' });
  await page.getByTestId('profile-switch').click();
  await page.getByTestId('profile-gate').waitFor({ state: 'detached' });
  expect(await page.evaluate(() => localStorage.getItem('fea.userId'))).toBe(String(lead.id));
  expect(db().prepare('SELECT role FROM users WHERE id = ?').get(lead.id)).toEqual({ role: 'lead' });
  expect(ctx.pageErrors).toEqual([]);
});
