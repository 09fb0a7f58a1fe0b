/**
 * The import view as a page object (like ./label-page.ts): a user's actions — open it from the navigation, name a
 * path and its format, preview, import, start and cancel face analysis — and reads of what the screen shows. It
 * knows the view's selectors, so the specs don't.
 *
 *   const imp = await ImportPage.open(ctx, { as: 'ada' });
 *   await imp.choose('/tmp/x/faces.jsonl', 'facial-r1');
 *   const preview = await imp.preview();          // { counts, byEmotion, errors }
 *   const report = await imp.importAndWait();     // the final report, the same shape
 *   await imp.startAnalysis(1);
 */
import type { Locator, Page } from 'playwright-core';
import type { ImportFormat } from '../../contract/types';
import type { E2EContext } from './e2e';
import { signInAs } from './label-page';

const VIEW = '[data-testid="import-view"]';

export interface ShownErrorRow {
  file: string;
  line: number;
  field: string;
  reason: string;
}

export interface ShownSummary {
  /** The counts table: row name → number. */
  counts: Record<string, number>;
  byEmotion: Record<string, number>;
  nestedFolders: string[];
  errors: ShownErrorRow[];
}

export interface ShownJob {
  status: string;
  done: number;
  total: number;
  text: string;
}

export class ImportPage {
  userId = 0;

  constructor(private readonly ctx: E2EContext) {}

  /** Signs in as `as`, opens the app and goes to Import through the top bar's navigation. */
  static async open(ctx: E2EContext, options: { as: string }): Promise<ImportPage> {
    const imp = new ImportPage(ctx);
    imp.userId = await signInAs(ctx, options.as);
    await ctx.gotoApp('#/dashboard');
    await ctx.page.getByTestId('nav-import').click();
    await imp.waitForView();
    return imp;
  }

  private get page(): Page {
    return this.ctx.page;
  }

  async waitForView(): Promise<void> {
    await this.page.waitForSelector(`${VIEW} [data-testid="analysis-coverage"]`, { timeout: 15_000 });
  }

  /** Types the path and picks the format (and, for folder trees, whether subfolders are imported too). */
  async choose(path: string, format: ImportFormat, options: { recursive?: boolean } = {}): Promise<void> {
    await this.page.getByTestId('import-format').selectOption(format);
    await this.page.getByTestId('import-path').fill(path);
    if (format === 'folders') await this.page.getByTestId('import-recursive').setChecked(!!options.recursive);
  }

  /** Clicks Preview and reads the preview once shown. */
  async preview(): Promise<ShownSummary> {
    await this.page.getByTestId('import-preview-button').click();
    await this.page.getByTestId('import-preview').waitFor({ timeout: 30_000 });
    return this.readSummary('import-preview');
  }

  previewCard(): Locator {
    return this.page.getByTestId('import-preview');
  }

  async importBlocked(): Promise<boolean> {
    return this.page.getByTestId('import-start').isDisabled();
  }

  /** Clicks Import and waits for the job to end; returns the final report shown. */
  async importAndWait(): Promise<ShownSummary> {
    await this.page.getByTestId('import-start').click();
    await this.page.waitForSelector('[data-testid="import-job"][data-status="done"]', { timeout: 60_000 });
    await this.page.getByTestId('import-report').waitFor();
    return this.readSummary('import-report');
  }

  async importJob(): Promise<ShownJob> {
    return this.readJob('import-job');
  }

  /** The "Analyse N new images" offer after an import, or null when not offered. */
  async analyseNewOffer(): Promise<string | null> {
    const b = this.page.getByTestId('import-analyse-new');
    return (await b.count()) ? b.innerText() : null;
  }

  async acceptAnalyseNew(): Promise<void> {
    await this.page.getByTestId('import-analyse-new').click();
    await this.page.getByTestId('analysis-job').waitFor();
  }

  async pendingImages(): Promise<number> {
    return Number(await this.page.getByTestId('analysis-pending').innerText());
  }

  async startAnalysis(workers: number): Promise<void> {
    await this.page.getByTestId('analysis-workers').fill(String(workers));
    await this.page.getByTestId('analysis-start').click();
    await this.page.getByTestId('analysis-job').waitFor();
  }

  async analysisJob(): Promise<ShownJob> {
    return this.readJob('analysis-job');
  }

  async facesFound(): Promise<number> {
    return Number(await this.page.getByTestId('analysis-faces').innerText());
  }

  /** Waits until the analysis job shows at least `n` images done. */
  async waitForAnalysed(n: number, timeoutMs = 90_000): Promise<ShownJob> {
    await this.page.waitForFunction(
      (min) => {
        const t = document.querySelector('[data-testid="analysis-job-text"]')?.textContent ?? '';
        const m = /^(\d+) \/ (\d+)/.exec(t.trim());
        return m !== null && Number(m[1]) >= min;
      },
      n,
      { timeout: timeoutMs },
    );
    return this.analysisJob();
  }

  async cancelAnalysis(): Promise<ShownJob> {
    await this.page.getByTestId('analysis-job-cancel').click();
    await this.page.waitForSelector('[data-testid="analysis-job"][data-status="stopped"]', { timeout: 60_000 });
    return this.analysisJob();
  }

  /** The top bar's job indicator: each job shown as kind and status text. */
  async headerJobs(): Promise<{ kind: string; text: string; status: string }[]> {
    return this.page.getByTestId('job').evaluateAll((els) =>
      els.map((el) => ({
        kind: el.querySelector('.job-kind')?.textContent ?? '',
        text: el.querySelector('.job-text')?.textContent ?? '',
        status: [...el.classList].find((c) => c.startsWith('job-') && c !== 'job')?.slice(4) ?? '',
      })),
    );
  }

  /** From another view: clicks the header's job of this kind, which leads to where it is watched. */
  async followHeaderJob(kind: string): Promise<void> {
    await this.page.locator('[data-testid="job"] .job-kind', { hasText: kind }).click();
    await this.waitForView();
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.waitForView();
  }

  private async readJob(testId: string): Promise<ShownJob> {
    const el = this.page.getByTestId(testId);
    const text = (await el.getByTestId(`${testId}-text`).innerText()).trim();
    const m = /^(\d+) \/ (\d+)/.exec(text);
    return { status: (await el.getAttribute('data-status')) ?? '', done: m ? Number(m[1]) : 0, total: m ? Number(m[2]) : 0, text };
  }

  private async readSummary(prefix: string): Promise<ShownSummary> {
    const card = this.page.getByTestId(prefix);
    const counts = await card.getByTestId(`${prefix}-counts`).evaluate((t) =>
      Object.fromEntries([...t.querySelectorAll('tr')].map((tr) => [tr.getAttribute('data-count') ?? '', Number(tr.querySelector('td')?.textContent ?? 'NaN')])),
    );
    const emotions = card.getByTestId(`${prefix}-emotions`);
    const byEmotion = (await emotions.count())
      ? await emotions.evaluate((t) => Object.fromEntries([...t.querySelectorAll('tbody tr')].map((tr) => [tr.getAttribute('data-emotion') ?? '', Number(tr.querySelectorAll('td')[1]?.textContent)])))
      : {};
    const nested = card.getByTestId(`${prefix}-nested`);
    const nestedFolders = (await nested.count()) ? await nested.evaluate((t) => [...t.querySelectorAll('tbody tr')].map((tr) => tr.querySelector('td')?.textContent ?? '')) : [];
    const errors = await card.getByTestId(`${prefix}-error-row`).evaluateAll((rows) =>
      rows.map((tr) => {
        const td = [...tr.querySelectorAll('td')].map((c) => c.textContent ?? '');
        return { file: td[0], line: Number(td[1]), field: td[2], reason: td[3] };
      }),
    );
    return { counts, byEmotion, nestedFolders, errors };
  }
}
