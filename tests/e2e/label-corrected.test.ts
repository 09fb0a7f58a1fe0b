/**
 * The label view as issue 12 item 14–15 left it: clicking an AU moves no cell of the grid; AU27–AU43 have keys of
 * their own; the overlay's O and the zoom keys cannot be confused; 100 % is the image's natural size and Fit its own
 * button; the overlay's AU labels do not overlap; the suggestion says its score for this record and how its source
 * did on the labeled records; merging it keeps the form's AUs. Needs `npm run build` (analysis workers run from dist/).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ApiClient } from '../../contract/api';
import { ARTIFACTS_DIR } from '../support/browser';
import { useE2E } from '../support/e2e';
import { LabelPage } from '../support/label-page';

const e2e = useE2E({ demo: 4, seed: 5 });

async function analyse(api: ApiClient): Promise<void> {
  const { jobId } = await api['analysis.start']({ workers: 1 });
  const deadline = Date.now() + 90_000;
  for (;;) {
    const { jobs } = await api['jobs.list']({});
    const job = jobs.find((j) => j.id === jobId);
    if (job && job.status === 'done') return;
    if (job && (job.status === 'failed' || job.status === 'stopped')) throw new Error(`analysis ${job.status}: ${job.message}`);
    if (Date.now() > deadline) throw new Error(`analysis not done after 90 s: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 200)); // polling the job over the API
  }
}

const overlapping = (a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

e2e.test('an annotator at 1440 px: steady AU grid, keys for every AU, 1:1 zoom, tidy overlay, a suggestion with its track record', async (ctx) => {
  const { api, page } = ctx;
  await page.setViewportSize({ width: 1440, height: 900 });
  await analyse(api);

  // Two records labeled by someone else first: the suggestion source gets a track record.
  const { id: lee } = await api['users.upsert']({ name: 'lee', role: 'annotator' });
  const ids = ['demo-000002', 'demo-000003', 'demo-000004'];
  for (const id of ids.slice(0, 2)) {
    const d = await api['records.get']({ id });
    await api['annotations.submit']({ recordId: id, userId: lee, emotion: 'happiness', aus: [{ au: 'AU6' }, { au: 'AU12' }], reasoning: 'x', baseRevisionId: d.current?.id ?? null });
  }
  const trust = await api['suggestions.trust']({});
  expect(trust.records).toBeGreaterThanOrEqual(1);

  const label = await LabelPage.open(ctx, { as: 'ana', record: 'demo-000001' });
  const detail = await api['records.get']({ id: 'demo-000001' });
  const suggestion = detail.suggestion!;
  expect(suggestion).not.toBeNull();

  // The suggestion says how far to trust it.
  const shown = await label.suggestionTrust();
  expect(shown.score).toBeCloseTo(suggestion.emotionScore!);
  expect(shown.text).toContain('top-emotion probability');
  expect(shown.records).toBe(trust.records);
  expect(shown.emotionAccuracy).toBe(trust.emotion?.accuracy ?? null);
  expect(shown.text).toContain(`Measured on ${trust.records} labeled record`);

  // Clicking an AU moves no cell of the grid; its FACS name is its accessible name.
  await label.clearForm();
  const before = await label.auCellBoxes();
  await label.clickAU(9);
  expect((await label.formState()).aus).toEqual(['AU9']);
  expect(await label.auCellBoxes()).toEqual(before);
  await label.clickAU(9);
  expect(await label.auAccessibleName(27)).toBe('AU27 Mouth stretch');

  // AU27–AU43 toggle by their keys, and Shift on them steps the intensity.
  for (const au of [27, 28, 29, 30, 31, 32, 43]) await label.toggleAU(au);
  expect((await label.formState()).aus).toEqual(['AU27', 'AU28', 'AU29', 'AU30', 'AU31', 'AU32', 'AU43']);
  await label.stepIntensity(27);
  expect(await label.auIntensity(27)).toBe('A');
  await label.toggleAU(43);
  expect((await label.formState()).aus).not.toContain('AU43');

  // The key help lists every AU's key, and the overlay's O beside zoom keys that cannot be read as O.
  const help = await label.keyHelp();
  expect(help['AU43 Eyes closed']).toBe('\\');
  expect(help['Toggle the analysis overlay (the letter O)']).toBe('O');
  expect(help['Fit the image (reset zoom and pan)']).toBe('Shift+1');
  expect(help['Zoom to 100 % (1 image pixel = 1 screen pixel)']).toBe('Shift+0');
  expect(Object.values(help)).not.toContain('0');
  expect(help["Merge the suggestion's AUs into the form (keeps its AUs, marks, emotion, reasoning)"]).toBe('Shift+A');

  // O toggles the overlay and nothing else; the fit key fits and leaves the overlay alone.
  const fittedZoom = await label.zoomShown();
  expect(fittedZoom).toMatch(/^Fit · \d+ %$/);
  await label.toggleOverlay();
  expect(await label.overlayOn()).toBe(true);
  expect(await label.zoomShown()).toBe(fittedZoom);

  // The overlay's AU labels overlap nowhere.
  const labels = await label.overlayLabelBoxes();
  expect(labels.length).toBe(detail.analysis!.auRegions.length);
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) expect({ pair: [labels[i].au, labels[j].au], overlap: overlapping(labels[i], labels[j]) }).toEqual({ pair: [labels[i].au, labels[j].au], overlap: false });
  }

  // 100 % is one image pixel per screen pixel; Fit is its own button and key.
  await label.zoomToActualSize();
  let sizes = await label.imageSizes();
  expect(await label.zoomShown()).toBe('100 %');
  expect(sizes.shown).toEqual(sizes.natural);
  await label.resetZoom();
  expect(await label.zoomShown()).toBe(fittedZoom);
  await label.clickZoomButton('actual');
  sizes = await label.imageSizes();
  expect(sizes.shown).toEqual(sizes.natural);
  await label.clickZoomButton('fit');
  expect(await label.zoomShown()).toBe(fittedZoom);
  expect(await label.overlayOn()).toBe(true);

  // Merging the suggestion keeps the form's AUs (and their intensity) and adds its own.
  await label.clearForm();
  await label.pickEmotion('surprise');
  await label.toggleAU(1);
  await label.stepIntensity(1);
  await label.mergeSuggestion();
  const present = suggestion.aus.filter((a) => a.present).map((a) => a.au);
  const form = await label.formState();
  expect(form.emotion).toBe('surprise');
  expect(new Set(form.aus)).toEqual(new Set(['AU1', ...present]));
  expect(await label.auIntensity(1)).toBe('A');

  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'label-view-corrected.png') });
}, 180_000);
