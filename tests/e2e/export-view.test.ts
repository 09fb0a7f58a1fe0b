/**
 * The export view in Chromium against server mode on a demo workspace with a split: the preview shows the split's
 * parts and leakage report with its near-duplicate pairs as thumbnails; exporting easyr1 from the UI runs as a job whose progress is shown; the files and the
 * datasheet are on disk, and the datasheet is shown. A second export into the same folder is refused until
 * "replace" is ticked. Screenshots: test-artifacts/export-view.png, test-artifacts/export-leakage.png.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ARTIFACTS_DIR } from '../support/browser';
import { useE2E } from '../support/e2e';

const e2e = useE2E({ demo: 40, seed: 3 });
const SPLIT = 'main';

e2e.test('export easyr1 from the UI: preview, progress, files and datasheet on disk and shown', async (ctx) => {
  const { page, api, gotoApp, context } = ctx;
  const user = await api['users.upsert']({ name: 'dana', role: 'annotator' });
  await api['splits.create']({ name: SPLIT, ratios: { train: 0.75, test: 0.25 }, stratify: 'emotion', group: 'subject', seed: 1, nearDupThreshold: 12 });
  await context.addInitScript((id) => localStorage.setItem('fea.userId', String(id)), user.id);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-e2e-export-'));
  try {
    await gotoApp('#/export');
    await page.getByTestId('export-view').waitFor();
    await page.getByTestId('export-split').selectOption(SPLIT);
    const parts = page.getByTestId('export-preview-parts');
    await parts.locator('tr[data-part="test"]').waitFor();
    expect(await parts.locator('tbody tr').count()).toBe(2);
    await page.getByTestId('export-leakage-table').waitFor();
    // Near-duplicate pairs across parts, side by side as thumbnails served from the workspace media.
    const preview = await api['export.preview']({ split: SPLIT });
    const pairs = [...preview.leakage!.examples.exactDuplicates, ...preview.leakage!.examples.nearDuplicates];
    expect(pairs.length).toBeGreaterThan(0); // the demo's seed plants some (the checks below are not vacuous)
    expect(await page.getByTestId('export-near-dups').innerText()).toBe(String(preview.leakage!.nearDuplicatePairs));
    await page.getByTestId('export-leak-pair').first().locator('img').nth(1).waitFor();
    expect(await page.getByTestId('export-leak-pair').count()).toBe(Math.min(12, pairs.length));
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="export-leak-pair"] img')].every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0));
    fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
    await page.getByTestId('export-leakage').screenshot({ path: path.join(ARTIFACTS_DIR, 'export-leakage.png') });

    // Only easyr1 (the default); an output folder, then Export.
    for (const f of ['llama-factory', 'trl', 'verl']) expect(await page.getByTestId(`export-format-${f}`).isChecked()).toBe(false);
    expect(await page.getByTestId('export-format-easyr1').isChecked()).toBe(true);
    expect(await page.getByTestId('export-start').isDisabled()).toBe(true);
    await page.getByTestId('export-outdir').fill(out);
    await page.getByTestId('export-start').click();

    const run = page.getByTestId('export-run-easyr1');
    await run.waitFor();
    await page.locator('[data-testid="export-run-easyr1"][data-status="done"]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('export-progress-easyr1').getAttribute('value')).toBe('100');
    const { jobs } = await api['jobs.list']({});
    const job = jobs.find((j) => j.kind === 'export')!;
    expect(job.status).toBe('done');
    expect(job.total).toBeGreaterThan(0);
    expect(job.done).toBe(job.total);

    for (const f of ['manifest.json', 'DATASHEET.md', 'datasheet.json', `${SPLIT}_train.jsonl`, `${SPLIT}_test.jsonl`]) expect(fs.existsSync(path.join(out, f))).toBe(true);
    const onDisk = JSON.parse(fs.readFileSync(path.join(out, 'datasheet.json'), 'utf8')) as { records: number; parts: Record<string, { n: number }> };

    const sheet = page.getByTestId('export-datasheet-easyr1');
    await sheet.waitFor();
    const shownParts = page.getByTestId('export-datasheet-parts-easyr1');
    for (const [part, c] of Object.entries(onDisk.parts)) expect(await shownParts.locator(`tr[data-part="${part}"] td`).nth(1).innerText()).toBe(String(c.n));
    expect(await sheet.innerText()).toContain(`${onDisk.records} records of split ${SPLIT}`);
    await sheet.locator('.recharts-bar-rectangle').first().waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'export-view.png'), fullPage: true });

    // The folder holds an export now: refused until "replace" is ticked.
    await page.getByTestId('export-start').click();
    await page.getByText(/already holds an export/).waitFor();
    await page.getByTestId('export-replace').check();
    await page.getByTestId('export-start').click();
    await page.locator('[data-testid="export-run-easyr1"][data-status="done"]').waitFor({ timeout: 30_000 });
    expect(ctx.pageErrors).toEqual([]);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
