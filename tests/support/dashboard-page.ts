/**
 * The dashboard as a page object (like ./label-page.ts): reads of its tiles and tables as numbers, waits for them to
 * change on their own (no reload, no Refresh click), and the way from the skipped tile into the queue.
 *
 *   const dashboard = await DashboardPage.open(ctx, { as: 'dana' });
 *   await dashboard.waitUntil(async () => (await dashboard.coverage()).analyzed === 6);
 *   expect(await dashboard.skipped()).toEqual({ records: 2, reasons: ['1 two faces', …] });
 *   await dashboard.openSkippedInQueue();
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { E2EContext } from './e2e';

const VIEW = '[data-testid="dashboard-view"]';
const num = (text: string) => Number(text.replace(/[^0-9.-]/g, ''));

export interface SourceRow {
  source: string;
  analyzed: number;
  facesFound: number;
}

export class DashboardPage {
  constructor(private readonly ctx: E2EContext) {}

  private get page(): Page {
    return this.ctx.page;
  }

  /** Signs in as `as` (made when missing) and opens the dashboard, loaded. */
  static async open(ctx: E2EContext, options: { as: string }): Promise<DashboardPage> {
    const user = await ctx.api['users.upsert']({ name: options.as, role: 'lead' });
    await ctx.page.addInitScript((id) => localStorage.setItem('fea.userId', String(id)), user.id);
    await ctx.gotoApp('#/dashboard');
    await ctx.page.locator(`${VIEW}[data-loaded="true"]`).waitFor({ timeout: 15_000 });
    return new DashboardPage(ctx);
  }

  /** The face-analysis tile: records analysed of all, and those with a face found. */
  async coverage(): Promise<{ analyzed: number; records: number; facesFound: number }> {
    const tile = this.page.getByTestId('tile-coverage');
    const value = await tile.locator('.db-tile__value').innerText();
    const [analyzed, records] = value.split('/').map(num);
    return { analyzed, records, facesFound: num(await tile.getByTestId('coverage-faces').innerText()) };
  }

  /** The skipped tile: how many, and its reason lines as shown ("2 face hidden"). */
  async skipped(): Promise<{ records: number; reasons: string[] }> {
    const tile = this.page.getByTestId('tile-skipped');
    const records = num(await tile.getByTestId('count-skipped').innerText());
    const reasons = records > 0 ? (await tile.locator('[data-testid="skipped-reasons"] li').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()) : [];
    return { records, reasons };
  }

  /** The time-per-record tile's value as shown ("6.0 s", "–"). */
  async timePerRecord(): Promise<string> {
    return this.page.getByTestId('label-time').innerText();
  }

  /** The faces-per-source table's rows (none before any analysis). */
  async facesBySource(): Promise<SourceRow[]> {
    return this.page.locator('[data-testid="faces-by-source"] tbody tr').evaluateAll((rows) =>
      rows.map((r) => ({
        source: (r.getAttribute('data-testid') ?? '').replace('faces-source-', ''),
        analyzed: Number(r.querySelector('[data-testid="faces-source-analyzed"]')?.textContent?.replace(/[^0-9]/g, '')),
        facesFound: Number(r.querySelector('[data-testid="faces-source-found"]')?.textContent?.replace(/[^0-9]/g, '')),
      })),
    );
  }

  /** Waits until `ok` holds of what the dashboard shows, as it refreshes by itself. */
  async waitUntil(ok: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await ok().catch(() => false)) return;
      if (Date.now() > deadline) throw new Error(`the dashboard did not show ${what} within ${timeoutMs / 1000} s`);
      await this.page.waitForTimeout(200); // the dashboard refreshes on events; this only re-reads it
    }
  }

  /** "Open in queue" on the skipped tile; resolves with the record ids the queue then lists. */
  async openSkippedInQueue(): Promise<string[]> {
    await this.page.getByTestId('open-skipped-queue').click();
    await this.page.getByTestId('queue-view').waitFor();
    await this.page.waitForFunction(() => !/loading/.test(document.querySelector('[data-testid="queue-total"]')?.textContent ?? 'loading'));
    return this.page.locator('[data-testid="queue-row"][data-record-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-record-id') ?? ''));
  }

  /** The queue's Skipped filter as the queue view shows it ('' any, 'yes', 'no'). */
  async queueSkippedFilter(): Promise<string> {
    return this.page.getByTestId('filter-skipped').inputValue();
  }

  /** A screenshot of the viewport at `width`×`height` (the dashboard's first screen). */
  async screenshot(file: string, width = 1440, height = 900): Promise<void> {
    const vp = this.page.viewportSize();
    await this.page.setViewportSize({ width, height });
    await this.page.waitForFunction(() => [...document.querySelectorAll('[data-testid="dashboard-view"] .recharts-responsive-container')].every((c) => c.querySelector('svg.recharts-surface')));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await this.page.screenshot({ path: file });
    if (vp) await this.page.setViewportSize(vp);
  }
}
