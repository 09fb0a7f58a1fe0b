/**
 * A desktop user loads their own images without a terminal (server mode in Chromium; a path field where Electron
 * has Browse…): from the top bar's Import, a small JSONL is previewed — counts per emotion and an error row naming
 * file, line and field, nothing written yet — then imported as a job with its final report; a folder tree's preview
 * shows its nested folder and the conflicting files, and with "subfolders too" it imports them. Then "Analyse N new
 * images" starts face analysis, whose progress moves in the view and the header; after a reload the running job is
 * still shown and its progress goes on, and from another view the header's job leads back to it; cancelling stops
 * it with images left. Needs `npm run build`.
 * Screenshots: test-artifacts/import-dialog.png (preview with error rows), test-artifacts/analysis-progress.png.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ARTIFACTS_DIR } from '../support/browser';
import { useE2E } from '../support/e2e';
import { tempDir } from '../support/facial-r1';
import { ImportPage } from '../support/import-page';
import { writeFolderInput, writeJsonlInput } from '../support/import-inputs';

// Enough images that analysis (one worker) is still running when the user cancels it, on a fast machine too.
const e2e = useE2E({ demo: 150, seed: 4 });

const count = (ctx: ReturnType<typeof e2e>, sql: string) => (ctx.db().prepare(sql).get() as { n: number }).n;

e2e.test(
  'import a JSONL and a folder tree from the UI with preview, progress and errors; analyse, watch, reload, cancel',
  async (ctx) => {
    const dir = tempDir('fea-e2e-import-');
    try {
      const jsonl = writeJsonlInput(path.join(dir, 'jsonl'));
      const tree = writeFolderInput(path.join(dir, 'tree'));
      const records = count(ctx, 'SELECT COUNT(*) n FROM records');
      const imp = await ImportPage.open(ctx, { as: 'ada' });

      // The JSONL: preview first (Import waits for it), nothing written by the preview.
      await imp.choose(jsonl.file, 'facial-r1');
      expect(await imp.importBlocked()).toBe(true);
      const preview = await imp.preview();
      expect(preview.counts).toMatchObject({ records: jsonl.expected.imported, errors: 2, 'already in the workspace': 0 });
      expect(preview.byEmotion).toEqual(jsonl.expected.byEmotion);
      expect(preview.errors.map((e) => [e.file, e.line, e.field])).toEqual(jsonl.expected.errors.map((e) => ['faces.jsonl', e.line, e.field]));
      jsonl.expected.errors.forEach((e, i) => expect(preview.errors[i].reason).toMatch(e.reason));
      expect(count(ctx, 'SELECT COUNT(*) n FROM records')).toBe(records);
      fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
      await ctx.page.screenshot({ path: path.join(ARTIFACTS_DIR, 'import-dialog.png'), fullPage: true });

      const report = await imp.importAndWait();
      expect(report.counts).toMatchObject({ records: 4, errors: 2 });
      expect(report.errors.map((e) => e.line)).toEqual([3, 5]);
      const job = await imp.importJob();
      expect([job.status, job.done]).toEqual(['done', job.total]);
      expect(job.total).toBeGreaterThan(0);
      expect((await imp.headerJobs()).map((j) => j.kind)).toContain('import');
      expect(count(ctx, 'SELECT COUNT(*) n FROM records')).toBe(records + 4);

      // The folder tree: its nested folder and the two files of one photo under two emotions, then imported recursively.
      await imp.choose(tree.root, 'folders');
      const flat = await imp.preview();
      expect(flat.counts).toMatchObject({ records: tree.expected.imported, conflicts: 2 });
      expect(flat.nestedFolders).toEqual(tree.expected.nested.map((n) => n.folder));
      expect(flat.errors.map((e) => e.file)).toEqual(tree.expected.conflictFiles);
      await imp.choose(tree.root, 'folders', { recursive: true });
      expect(await imp.importBlocked()).toBe(true); // the preview was of the other choice
      expect((await imp.preview()).counts.records).toBe(tree.expected.importedRecursive);
      expect((await imp.importAndWait()).counts.records).toBe(3);
      expect(count(ctx, 'SELECT COUNT(*) n FROM records')).toBe(records + 7);

      // Face analysis of the images without one, offered where the import ended.
      const images = count(ctx, 'SELECT COUNT(*) n FROM images');
      await ctx.page.waitForFunction((n) => document.querySelector('[data-testid="analysis-pending"]')?.textContent === String(n), images);
      expect(await imp.analyseNewOffer()).toBe(`Analyse ${images} new images`);
      await imp.acceptAnalyseNew();
      const first = await imp.waitForAnalysed(1);
      expect(first.total).toBe(images);
      expect(first.status).toBe('running');
      expect(await imp.headerJobs()).toContainEqual(expect.objectContaining({ kind: 'analyze', status: 'running' }));

      // A reload keeps the running job: in the header and in the view, whose progress goes on.
      await imp.reload();
      expect(await imp.headerJobs()).toContainEqual(expect.objectContaining({ kind: 'analyze', status: 'running' }));
      const resumed = await imp.waitForAnalysed(first.done + 1);
      expect(resumed.status).toBe('running');
      // From another view, the header's job leads back to it.
      await ctx.page.getByTestId('nav-dashboard').click();
      await imp.followHeaderJob('analyze');
      const after = await imp.waitForAnalysed(resumed.done + 1);
      expect(after.status).toBe('running');
      const { jobs } = await ctx.api['jobs.list']({});
      expect(jobs.find((j) => j.kind === 'analyze')?.counters).toEqual(expect.objectContaining({ analysed: expect.any(Number), facesFound: expect.any(Number) }));
      await ctx.page.screenshot({ path: path.join(ARTIFACTS_DIR, 'analysis-progress.png'), fullPage: true });

      const stopped = await imp.cancelAnalysis();
      expect(stopped.status).toBe('stopped');
      const analysed = count(ctx, 'SELECT COUNT(*) n FROM analyses');
      expect(analysed).toBeGreaterThanOrEqual(after.done);
      expect(analysed).toBeLessThan(images);
      // Faces found so far, as shown, are the analyses' faces in the workspace (this run made all of them).
      expect(await imp.facesFound()).toBe(count(ctx, 'SELECT COALESCE(SUM(face_found), 0) n FROM analyses'));
      await ctx.page.waitForFunction((n) => document.querySelector('[data-testid="analysis-pending"]')?.textContent === String(n), images - analysed);
      expect(ctx.pageErrors).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
  240_000,
);
