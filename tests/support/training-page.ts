/**
 * The training view as a page object (like ./label-page.ts): methods are a researcher's actions on the start form and
 * the runs list, and reads of what the view shows. It knows the view's selectors, so the specs don't.
 *
 *   const training = await TrainingPage.open(ctx, { as: 'rae' });
 *   await training.chooseSplit('heldout');
 *   expect(await training.refusal()).toMatch(/no trainable records/);
 *   expect(await training.canStart()).toBe(false);
 *   await training.showRun(3);
 *   expect(await training.curveGroups()).toEqual([{ group: 'training', title: 'Training', panels: [...] }, …]);
 */
import type { Page } from 'playwright-core';
import type { E2EContext } from './e2e';

const VIEW = '[data-testid="training-view"]';

export interface CurveGroup {
  group: string;
  title: string;
  panels: string[];
}

export class TrainingPage {
  constructor(private readonly ctx: E2EContext) {}

  private get page(): Page {
    return this.ctx.page;
  }

  /** Signs in as `as` (made when missing) and opens the training view, loaded. */
  static async open(ctx: E2EContext, options: { as: string }): Promise<TrainingPage> {
    const user = await ctx.api['users.upsert']({ name: options.as, role: 'researcher' });
    await ctx.page.addInitScript((id) => localStorage.setItem('fea.userId', String(id)), user.id);
    await ctx.gotoApp('#/training');
    await ctx.page.locator(`${VIEW}[data-loaded="true"]`).waitFor({ timeout: 15_000 });
    return new TrainingPage(ctx);
  }

  async chooseStage(stage: 'sft' | 'rl'): Promise<void> {
    await this.page.getByTestId(`start-stage-${stage}`).click();
  }

  async chooseSplit(name: string): Promise<void> {
    await this.page.getByTestId('start-split').selectOption(name);
  }

  /** The form's refusal of the chosen split, once the service has answered; null when it accepts it. */
  async refusal(): Promise<string | null> {
    const refusal = this.page.getByTestId('start-refusal');
    const accepted = this.page.getByTestId('start-check');
    await refusal.or(accepted).first().waitFor({ timeout: 10_000 });
    return (await refusal.count()) > 0 ? refusal.innerText() : null;
  }

  /** What the form says a run on the chosen split will train on, and with which seed. */
  async accepted(): Promise<string> {
    return this.page.getByTestId('start-check').innerText({ timeout: 10_000 });
  }

  async canStart(): Promise<boolean> {
    return this.page.getByTestId('start-submit').isEnabled();
  }

  /** The seed the runs list shows for a run. */
  async runSeed(runId: number): Promise<number> {
    return Number(await this.page.getByTestId(`run-seed-${runId}`).innerText());
  }

  /** The curves card's subtitle ("run #3 · SFT · main · seed 4"). */
  async curvesSubtitle(): Promise<string> {
    return this.page.getByTestId('card-curves').locator('.dt-card__sub').innerText();
  }

  /** Clicks a run in the runs list and waits for its curves. */
  async showRun(runId: number): Promise<void> {
    await this.page.getByTestId(`run-row-${runId}`).click();
    await this.page.getByTestId('run-curves').waitFor({ timeout: 10_000 });
  }

  /** The curve groups in order, with each panel's title. */
  async curveGroups(): Promise<CurveGroup[]> {
    return this.page.locator('[data-testid="run-curves"] [data-testid^="curve-group-"]').evaluateAll((sections) =>
      sections.map((s) => ({
        group: (s.getAttribute('data-testid') ?? '').replace('curve-group-', ''),
        title: s.querySelector('.tr-mult-group__title')?.textContent ?? '',
        panels: [...s.querySelectorAll('.tr-mult__title')].map((t) => t.textContent ?? ''),
      })),
    );
  }
}
