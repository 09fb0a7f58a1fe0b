/**
 * The review view as a page object (like ./label-page.ts): methods are the lead's actions, done with the keyboard
 * as a lead does them, and reads of what the screen shows. It knows the view's selectors, so the specs don't.
 *
 *   const review = await ReviewPage.open(ctx, { as: 'lea', round: 2 });
 *   const first = await review.selectedRecord();
 *   await review.accept();                        // A; the next pending candidate is selected
 *   await review.fix({ emotion: 'sadness' });     // F, a number key, Enter
 *   await review.reject(1);                       // R, then reason 1 of REJECT_REASONS
 *   const { snapshotId } = await review.approve();
 */
import type { Page } from 'playwright-core';
import type { E2EContext } from './e2e';

/** Emotions are keyed 1–9 in vocabulary order (the demo workspace's vocabulary), as in the label view. */
const EMOTION_KEY: Record<string, string> = { anger: '1', disgust: '2', fear: '3', happiness: '4', neutral: '5', sadness: '6', surprise: '7' };

const VIEW = '[data-testid="review-view"]';

export interface SelectedCandidate {
  candidateId: number;
  recordId: string;
  decision: string;
}

/** Makes every page of the context start signed in as an existing user (made with `fea users … add`). */
export async function signInAsExisting(ctx: E2EContext, name: string): Promise<number> {
  const { users } = await ctx.api['users.list']({});
  const user = users.find((u) => u.name === name);
  if (!user) throw new Error(`no user ${name} in the workspace`);
  await ctx.page.addInitScript((userId) => localStorage.setItem('fea.userId', String(userId)), user.id);
  return user.id;
}

export class ReviewPage {
  userId = 0;

  constructor(private readonly ctx: E2EContext) {}

  /** Signs in as `as`, opens the review view, picks `round` (else the view's default) and waits for its first candidate. */
  static async open(ctx: E2EContext, options: { as: string; round?: number }): Promise<ReviewPage> {
    const review = new ReviewPage(ctx);
    review.userId = await signInAsExisting(ctx, options.as);
    await ctx.gotoApp('#/review');
    await ctx.page.waitForSelector(`${VIEW} [data-testid="round-item"]`, { timeout: 15_000 });
    if (options.round !== undefined) await review.pickRound(options.round);
    await review.waitForCandidate();
    return review;
  }

  /** Switches the profile in the top bar (as a second person at the same screen does); the view opens afresh. */
  async switchTo(name: string): Promise<void> {
    const { users } = await this.ctx.api['users.list']({});
    const user = users.find((u) => u.name === name);
    if (!user) throw new Error(`no user ${name} in the workspace`);
    await this.page.selectOption('[data-testid="user-select"]', String(user.id));
    this.userId = user.id;
    await this.page.waitForSelector(`[data-testid="round-item"]`, { timeout: 15_000 });
  }

  private get page(): Page {
    return this.ctx.page;
  }

  async pickRound(roundId: number): Promise<void> {
    await this.page.click(`[data-testid="round-item"][data-round-id="${roundId}"]`);
    await this.page.waitForSelector(`${VIEW}[data-round-id="${roundId}"]`);
  }

  /** Waits until a candidate (other than `notId`) is selected and its evidence is shown. */
  async waitForCandidate(notId?: number): Promise<SelectedCandidate> {
    await this.page.waitForFunction(
      ({ view, notId: not }) => {
        const el = document.querySelector(view);
        const id = el?.getAttribute('data-selected-id');
        return !!el && el.getAttribute('data-ready') === 'true' && !!id && Number(id) !== not;
      },
      { view: VIEW, notId: notId ?? -1 },
      { timeout: 15_000, polling: 'raf' },
    );
    return this.selected();
  }

  /** The selected row, as the queue shows it. */
  async selected(): Promise<SelectedCandidate> {
    const row = this.page.locator('[data-testid="candidate-row"][data-selected="true"]');
    return {
      candidateId: Number(await row.getAttribute('data-candidate-id')),
      recordId: (await row.getAttribute('data-record-id')) ?? '',
      decision: (await row.getAttribute('data-decision')) ?? '',
    };
  }

  /** The queue's rows in order: candidate, record and decision. */
  async rows(): Promise<SelectedCandidate[]> {
    return this.page.$$eval('[data-testid="candidate-row"]', (els) =>
      els.map((e) => ({ candidateId: Number(e.getAttribute('data-candidate-id')), recordId: e.getAttribute('data-record-id') ?? '', decision: e.getAttribute('data-decision') ?? '' })),
    );
  }

  /** Shows only candidates with at least one hallucination flag (on), or all again (off); resolves to the rows' flag counts. */
  async filterFlagged(on: boolean): Promise<number[]> {
    await this.page.setChecked('[data-testid="filter-flags"]', on);
    await this.page.waitForFunction(
      (want) => {
        const rows = [...document.querySelectorAll('[data-testid="candidate-row"]')];
        return want ? rows.every((r) => Number(r.getAttribute('data-flags')) >= 1) : rows.some((r) => Number(r.getAttribute('data-flags')) === 0);
      },
      on,
    );
    return this.page.$$eval('[data-testid="candidate-row"]', (els) => els.map((e) => Number(e.getAttribute('data-flags'))));
  }

  async next(): Promise<SelectedCandidate> {
    const before = (await this.selected()).candidateId;
    await this.page.keyboard.press('j');
    return this.waitForCandidate(before);
  }

  async previous(): Promise<SelectedCandidate> {
    const before = (await this.selected()).candidateId;
    await this.page.keyboard.press('k');
    return this.waitForCandidate(before);
  }

  private async waitForDecision(candidateId: number, decision: string): Promise<void> {
    await this.page.waitForSelector(`[data-testid="candidate-row"][data-candidate-id="${candidateId}"][data-decision="${decision}"]`, { timeout: 15_000 });
  }

  /** A: accepts the selected candidate; resolves once its row says so and the next one is shown. */
  async accept(): Promise<SelectedCandidate> {
    const c = await this.selected();
    await this.page.keyboard.press('a');
    await this.waitForDecision(c.candidateId, 'accepted');
    await this.waitForCandidate(c.candidateId);
    return c;
  }

  /** F: opens the label form on the selected candidate, changes the emotion (number key), saves with Enter. */
  async fix(change: { emotion: string }): Promise<SelectedCandidate> {
    const c = await this.selected();
    await this.page.keyboard.press('f');
    await this.page.waitForSelector('[data-testid="fix-form"]');
    await this.page.keyboard.press(EMOTION_KEY[change.emotion]);
    await this.page.waitForSelector(`[data-testid="fix-form"] [aria-checked="true"]`);
    await this.page.keyboard.press('Enter');
    await this.waitForDecision(c.candidateId, 'fixed');
    await this.waitForCandidate(c.candidateId);
    return c;
  }

  /** R, then a number key: rejects the selected candidate with REJECT_REASONS[quickPick - 1]. */
  async reject(quickPick: number): Promise<SelectedCandidate> {
    const c = await this.selected();
    await this.page.keyboard.press('r');
    await this.page.waitForSelector('[data-testid="reject-prompt"]');
    await this.page.keyboard.press(String(quickPick));
    await this.waitForDecision(c.candidateId, 'rejected');
    await this.waitForCandidate(c.candidateId);
    return c;
  }

  /** U: undoes the lead's last decision; resolves once that candidate is pending again. */
  async undo(candidateId: number): Promise<void> {
    await this.page.keyboard.press('u');
    await this.waitForDecision(candidateId, 'pending');
  }

  /** The AU claims in the reasoning, with whether each is flagged as a possible hallucination. */
  async claims(): Promise<{ au: string; flagged: boolean }[]> {
    return this.page.$$eval('[data-testid="claim"]', (els) => els.map((e) => ({ au: e.getAttribute('data-au') ?? '', flagged: e.getAttribute('data-flagged') === 'true' })));
  }

  /** Hovers the first claim of `au`; resolves to the AUs whose regions are lit on the image. */
  async hoverClaim(au: string): Promise<string[]> {
    await this.page.hover(`[data-testid="claim"][data-au="${au}"]`);
    return this.page.$$eval('[data-testid="au-region"][data-lit="true"]', (els) => [...new Set(els.map((e) => e.getAttribute('data-au') ?? ''))]);
  }

  /** The batch accept's count (its dry run), leaving the dialog open. */
  async batchCount(minAgreement: number): Promise<number> {
    await this.page.fill('[data-testid="batch-threshold"]', String(minAgreement));
    await this.page.click('[data-testid="batch-accept"]');
    const el = await this.page.waitForSelector('[data-testid="batch-count"]');
    return Number(await el.getAttribute('data-count'));
  }

  async closeDialog(): Promise<void> {
    await this.page.keyboard.press('Escape');
  }

  /** Clicks Approve; resolves to the snapshot id and lineage shown, or throws with the service's message. */
  async approve(): Promise<{ snapshotId: number; lineage: string }> {
    await this.page.click('[data-testid="approve"]');
    const el = await this.page.waitForSelector('[data-testid="approval"][data-snapshot-id]:not([data-snapshot-id=""]), [data-testid="approve-error"]', { timeout: 20_000 });
    if ((await el.getAttribute('data-testid')) === 'approve-error') throw new Error(`approval refused: ${await el.textContent()}`);
    const lineage = (await this.page.locator('[data-testid="approval-lineage"]').textContent()) ?? '';
    return { snapshotId: Number(await el.getAttribute('data-snapshot-id')), lineage };
  }

  /** Clicks Approve expecting a refusal; resolves to the message shown. */
  async approveRefused(): Promise<string> {
    await this.page.click('[data-testid="approve"]');
    const el = await this.page.waitForSelector('[data-testid="approve-error"]', { timeout: 15_000 });
    return (await el.textContent()) ?? '';
  }
}
