/**
 * The label view as a page object (after Joplin's integration-tests/models/MainScreen.ts): methods are the user's
 * actions, done the way an annotator does them (the keyboard, with the default keymap), and reads of what the
 * screen shows. It knows the view's selectors (data-testid and data-* attributes), so the specs don't.
 *
 *   const label = await LabelPage.open(ctx, { as: 'kim', record: 'demo-000004' });
 *   await label.clearForm();
 *   await label.pickEmotion('happiness');
 *   await label.toggleAU(6);
 *   await label.toggleAU(12);
 *   await label.composeReasoning();
 *   expect(await label.checks()).toEqual({ format: true, aus: true, answer: true, hedges: true });
 *   await label.submitAndNext();
 */
import type { Page } from 'playwright-core';
import { LABEL_VIEW } from './browser';
import type { E2EContext } from './e2e';

/** Emotions are keyed 1–9 in vocabulary order (the demo workspace's vocabulary). */
const EMOTION_KEY: Record<string, string> = { anger: '1', disgust: '2', fear: '3', happiness: '4', neutral: '5', sadness: '6', surprise: '7' };
/**
 * The default keys of the AUs the specs use (Playwright key names): mnemonic letters, and AU27–AU43 on the punctuation
 * keys right of the letters.
 */
const AU_KEY: Record<string, string> = {
  AU1: 'i',
  AU2: 'u',
  AU4: 'b',
  AU5: 'e',
  AU6: 'c',
  AU9: 'n',
  AU12: 'p',
  AU15: 'w',
  AU26: 'j',
  AU27: 'Comma',
  AU28: 'Period',
  AU29: 'Semicolon',
  AU30: 'Quote',
  AU31: 'BracketLeft',
  AU32: 'BracketRight',
  AU43: 'Backslash',
};

export type AU = number | `AU${number}`;
const auName = (au: AU): string => (typeof au === 'number' ? `AU${au}` : au);

export interface FormState {
  emotion: string | null;
  aus: string[];
  reasoning: string;
}

/** Creates (or reuses) a profile through the API and makes every page of the context start signed in as it. */
export async function signInAs(ctx: E2EContext, name: string): Promise<number> {
  const { id } = await ctx.api['users.upsert']({ name, role: 'annotator' });
  await ctx.page.addInitScript((userId) => localStorage.setItem('fea.userId', String(userId)), id);
  return id;
}

/** One side of the conflict dialog, as shown. */
export interface ConflictAnswer {
  who: string;
  emotion: string;
  aus: string[];
  reasoning: string;
}

export class LabelPage {
  /** The id of the record shown, as of the last wait for the view. */
  recordId = '';
  /** The profile `open` signed in as. */
  userId = 0;

  constructor(private readonly ctx: E2EContext) {}

  /** Signs in as `as`, opens the label view (at `record`, else the queue's first) and waits until it is fully shown. */
  static async open(ctx: E2EContext, options: { as: string; record?: string }): Promise<LabelPage> {
    const label = new LabelPage(ctx);
    label.userId = await signInAs(ctx, options.as);
    await ctx.gotoApp(options.record ? `#/label/${options.record}` : '#/label');
    await label.waitForRecord(options.record ? { id: options.record } : {});
    return label;
  }

  private get page(): Page {
    return this.ctx.page;
  }

  /** Waits until the view shows a record (this one, or any but that one) with its data and image. */
  async waitForRecord(options: { id?: string; notId?: string } = {}): Promise<string> {
    this.recordId = await this.ctx.labelView(options);
    return this.recordId;
  }

  // ---- the form -------------------------------------------------------------------------------------------------

  /** Clears emotion, AUs and reasoning (what the import put in the form). */
  async clearForm(): Promise<void> {
    await this.page.keyboard.press('Shift+Backspace');
  }

  async pickEmotion(emotion: string): Promise<void> {
    const key = EMOTION_KEY[emotion];
    if (!key) throw new Error(`LabelPage: no key known for emotion ${emotion}`);
    await this.page.keyboard.press(key);
  }

  /** Toggles an AU by its default key. */
  async toggleAU(au: AU): Promise<void> {
    const key = AU_KEY[auName(au)];
    if (!key) throw new Error(`LabelPage: no key known for ${auName(au)}`);
    await this.page.keyboard.press(key);
  }

  /** Shift+the AU's key: steps its intensity (selecting it first). */
  async stepIntensity(au: AU): Promise<void> {
    const key = AU_KEY[auName(au)];
    if (!key) throw new Error(`LabelPage: no key known for ${auName(au)}`);
    await this.page.keyboard.press(`Shift+${key.length === 1 ? `Key${key.toUpperCase()}` : key}`);
  }

  /** Clicks an AU's cell, as a mouse user does. */
  async clickAU(au: AU): Promise<void> {
    await this.page.getByTestId(`au-${auName(au)}`).click();
  }

  /** The intensity a selected AU shows (A–E), or null. */
  async auIntensity(au: AU): Promise<string | null> {
    return this.page.evaluate((name) => document.querySelector(`[data-testid^="au-${name}-intensity-"].on`)?.textContent ?? null, auName(au));
  }

  /** Every AU cell's box on screen (x, y, width, height), by AU. */
  async auCellBoxes(): Promise<Record<string, [number, number, number, number]>> {
    return this.page.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll('[data-testid^="au-AU"][data-selected]')].map((el) => {
          const r = el.closest('.au-chip')!.getBoundingClientRect();
          return [el.getAttribute('data-testid')!.slice(3), [r.x, r.y, r.width, r.height]];
        }),
      ),
    );
  }

  /** The accessible name (FACS name) of an AU's button. */
  async auAccessibleName(au: AU): Promise<string | null> {
    return this.page.getByTestId(`au-${auName(au)}`).getAttribute('aria-label');
  }

  /** Presses keys as they are (intensity and side marks such as Shift+P or Alt+C, or a remapped key). */
  async press(...keys: string[]): Promise<void> {
    for (const key of keys) await this.page.keyboard.press(key);
  }

  /** Writes the reasoning from the emotion and AUs (Ctrl+Shift+Space). */
  async composeReasoning(): Promise<void> {
    await this.page.keyboard.press('Control+Shift+Space');
  }

  /** Replaces the reasoning text. */
  async fillReasoning(text: string): Promise<void> {
    await this.page.getByTestId('reasoning').fill(text);
  }

  /** Moves into the reasoning editor with Enter and types at its end. */
  async typeReasoning(text: string): Promise<void> {
    await this.page.keyboard.press('Enter');
    await this.page.keyboard.type(text);
  }

  // ---- decisions ------------------------------------------------------------------------------------------------

  /** Ctrl+Enter (from anywhere, the editor included); when checks fail, the view asks first (see confirmModal). */
  async submit(): Promise<void> {
    await this.page.keyboard.press('Control+Enter');
  }

  /** Submits and waits for the next record; returns its id. */
  async submitAndNext(): Promise<string> {
    const from = this.recordId;
    await this.submit();
    return this.waitForRecord({ notId: from });
  }

  /** The "submit anyway?" question asked when checks fail. */
  confirmModal() {
    return this.page.getByTestId('confirm-modal');
  }

  /** Answers the question, when it is shown, with Enter: submit anyway. */
  async submitAnywayIfAsked(): Promise<void> {
    if (await this.confirmModal().count()) await this.page.keyboard.press('Enter');
  }

  /** Answers the question with Esc: the record stays open, unsaved. */
  async keepEditing(): Promise<void> {
    await this.confirmModal().waitFor();
    await this.page.keyboard.press('Escape');
    await this.confirmModal().waitFor({ state: 'detached' });
  }

  /** Opens the skip dialog (s), picks a quick reason by its number; returns the reason it filled in. */
  async skipWithReason(quickPick: number): Promise<string> {
    await this.page.keyboard.press('s');
    await this.page.getByTestId('skip-modal').waitFor();
    await this.page.keyboard.press(String(quickPick));
    return this.page.getByTestId('skip-reason').inputValue();
  }

  /** Confirms the open skip dialog (Enter) and waits for the next record. */
  async confirmSkip(): Promise<string> {
    const from = this.recordId;
    await this.page.keyboard.press('Enter');
    return this.waitForRecord({ notId: from });
  }

  /** Ctrl+Z: undoes the last decision and waits until its record is shown again. */
  async undo(recordId: string): Promise<void> {
    await this.page.keyboard.press('Control+z');
    await this.waitForRecord({ id: recordId });
  }

  /** ArrowLeft: the record before in the queue (the one just labeled). */
  async previous(expectedId?: string): Promise<string> {
    await this.page.keyboard.press('ArrowLeft');
    return this.waitForRecord(expectedId ? { id: expectedId } : { notId: this.recordId });
  }

  /** ArrowRight: the next record in the queue. */
  async next(): Promise<string> {
    await this.page.keyboard.press('ArrowRight');
    return this.waitForRecord({ notId: this.recordId });
  }

  /** Submits are written in the background while the next record shows; Recent lists one once it is stored. */
  async waitUntilStored(recordId: string, count = 1): Promise<void> {
    await this.page.waitForFunction(
      ({ id, n }) => document.querySelectorAll(`[data-testid="recent-item"][data-record-id="${id}"]`).length >= n,
      { id: recordId, n: count },
    );
  }

  // ---- a conflict (someone else answered the record meanwhile) ---------------------------------------------

  conflictDialog() {
    return this.page.getByTestId('conflict-dialog');
  }

  /** Waits for the conflict dialog over `recordId` and reads both answers from it. */
  async waitForConflict(recordId: string): Promise<{ theirs: ConflictAnswer; mine: ConflictAnswer }> {
    await this.page.locator(`[data-testid="conflict-dialog"][data-record-id="${recordId}"]`).waitFor();
    await this.waitForRecord({ id: recordId });
    const read = (side: 'theirs' | 'mine') =>
      this.page.evaluate((s) => {
        const text = (id: string) => document.querySelector(`[data-testid="conflict-${s}-${id}"]`)?.textContent ?? '';
        const aus = [...document.querySelectorAll(`[data-testid="conflict-${s}-aus"] .conflict-au`)].map((el) => el.textContent ?? '');
        return { who: text('who'), emotion: text('emotion'), aus, reasoning: text('reasoning') };
      }, side);
    return { theirs: await read('theirs'), mine: await read('mine') };
  }

  private async resolveConflict(key: string): Promise<void> {
    await this.conflictDialog().waitFor();
    await this.page.keyboard.press(key);
    await this.conflictDialog().waitFor({ state: 'detached' });
  }

  /** K: my answer is submitted again, on top of theirs; the view moves on. Returns the record shown next. */
  async keepMyAnswer(): Promise<string> {
    const from = this.recordId;
    await this.resolveConflict('k');
    return this.waitForRecord({ notId: from });
  }

  /** T: their answer stays, mine is dropped (no new revision); the record stays open with theirs. */
  async takeTheirAnswer(): Promise<void> {
    await this.resolveConflict('t');
  }

  /** M: the form reopens with every AU of both and my emotion and reasoning, to be submitted. */
  async mergeAnswers(): Promise<void> {
    await this.resolveConflict('m');
  }

  // ---- the image, overlay and suggestion ---------------------------------------------------------------------

  async toggleOverlay(): Promise<void> {
    await this.page.keyboard.press('o');
  }

  /** Takes the model suggestion into the form (a), replacing what it holds. */
  async acceptSuggestion(): Promise<void> {
    await this.page.keyboard.press('a');
  }

  /** Adds the suggestion's AUs to the form's (Shift+A). */
  async mergeSuggestion(): Promise<void> {
    await this.page.keyboard.press('Shift+KeyA');
  }

  async zoomIn(): Promise<void> {
    await this.page.keyboard.press('+');
  }

  /** Fits the image to the stage (Shift+1). */
  async resetZoom(): Promise<void> {
    await this.page.keyboard.press('Shift+Digit1');
  }

  /** 100 %: the image at its natural size (Shift+0). */
  async zoomToActualSize(): Promise<void> {
    await this.page.keyboard.press('Shift+Digit0');
  }

  /** Clicks the stage bar's "Fit" or "100 %" button. */
  async clickZoomButton(which: 'fit' | 'actual'): Promise<void> {
    await this.page.getByTestId(`zoom-${which}`).click();
  }

  /** What the stage's corner says about the zoom ("Fit · 37 %", "100 %"). */
  async zoomShown(): Promise<string> {
    return (await this.page.getByTestId('stage-zoom').textContent()) ?? '';
  }

  /** The shown image's size on screen and its natural size, in CSS pixels. */
  async imageSizes(): Promise<{ shown: { w: number; h: number }; natural: { w: number; h: number } }> {
    return this.page.locator('.stage-canvas img').evaluate((img: HTMLImageElement) => {
      const r = img.getBoundingClientRect();
      return { shown: { w: r.width, h: r.height }, natural: { w: img.naturalWidth, h: img.naturalHeight } };
    });
  }

  /** Whether the overlay toggle shows as on. */
  async overlayOn(): Promise<boolean> {
    return ((await this.page.getByTestId('overlay-toggle').getAttribute('class')) ?? '').split(' ').includes('on');
  }

  /** The key help (?) as shown: each command's label → its key, then closed again with Esc. */
  async keyHelp(): Promise<Record<string, string>> {
    await this.page.keyboard.press('?');
    await this.page.getByTestId('key-help').waitFor();
    const rows = await this.page.locator('[data-testid="key-help"] .help-row').evaluateAll((els) =>
      els.map((el) => [el.querySelector('span')?.textContent?.trim() ?? '', el.querySelector('kbd')?.textContent?.trim() ?? '']),
    );
    await this.page.keyboard.press('Escape');
    await this.page.getByTestId('key-help').waitFor({ state: 'detached' });
    return Object.fromEntries(rows);
  }

  /** What the suggestion panel says about trusting it: this record's score, and the measure of its source. */
  async suggestionTrust(): Promise<{ score: number | null; records: number; emotionAccuracy: number | null; auF1: number | null; text: string }> {
    const panel = this.suggestionPanel();
    await panel.locator('[data-testid="suggestion-accuracy"]').waitFor();
    return panel.evaluate((el) => {
      const score = el.querySelector('[data-testid="suggestion-score"]')?.getAttribute('data-score');
      const acc = el.querySelector('[data-testid="suggestion-accuracy"]')!;
      const num = (v: string | null) => (v === null || v === '' ? null : Number(v));
      return {
        score: score ? Number(score) : null,
        records: Number(acc.getAttribute('data-records')),
        emotionAccuracy: num(acc.getAttribute('data-emotion-accuracy')),
        auF1: num(acc.getAttribute('data-au-f1')),
        text: el.querySelector('[data-testid="suggestion-trust"]')!.textContent ?? '',
      };
    });
  }

  /** The overlay's AU labels' boxes on screen. */
  async overlayLabelBoxes(): Promise<{ au: string; x: number; y: number; w: number; h: number }[]> {
    await this.overlay().waitFor();
    return this.page.locator('[data-testid="overlay"] .ov-label').evaluateAll((els) =>
      els.map((el) => {
        const r = el.getBoundingClientRect();
        return { au: el.getAttribute('data-au') ?? '', x: r.x, y: r.y, w: r.width, h: r.height };
      }),
    );
  }

  suggestionPanel() {
    return this.page.getByTestId('suggestion-panel');
  }

  /** Opens another record by its URL and waits until it is shown. */
  async goto(record: string): Promise<void> {
    await this.ctx.gotoApp(`#/label/${record}`);
    await this.waitForRecord({ id: record });
  }

  /** What the suggestion panel offers: null when it is empty, else the model it names. */
  async suggestion(): Promise<{ model: string } | null> {
    const panel = this.suggestionPanel();
    await panel.waitFor();
    if ((await panel.getAttribute('data-empty')) === 'true') return null;
    return { model: (await panel.locator('[title="model"]').innerText()).trim() };
  }

  overlay() {
    return this.page.getByTestId('overlay');
  }

  /** Landmark and AU-region marks drawn by the overlay. */
  async overlayCounts(): Promise<{ landmarks: number; regions: number }> {
    await this.overlay().waitFor();
    return {
      landmarks: await this.page.locator('[data-testid="overlay"] .ov-landmark').count(),
      regions: await this.page.locator('[data-testid="overlay"] .ov-region').count(),
    };
  }

  /** The shown image's width in CSS pixels. */
  imageWidth(): Promise<number> {
    return this.page.locator('.stage-canvas').evaluate((el) => el.getBoundingClientRect().width);
  }

  // ---- reads ------------------------------------------------------------------------------------------------------

  /** The record id the view shows now (read from the page, not from the last wait). */
  async shownRecordId(): Promise<string | null> {
    return this.page.locator(LABEL_VIEW).getAttribute('data-record-id');
  }

  /** What the form holds: the selected emotion, the selected AUs in screen order, the reasoning text. */
  async formState(): Promise<FormState> {
    return this.page.evaluate(() => {
      const emotion = document.querySelector('[data-testid^="emotion-"][data-selected="true"]')?.getAttribute('data-testid')?.slice('emotion-'.length) ?? null;
      const aus = [...document.querySelectorAll('[data-testid^="au-AU"][data-selected="true"]')].map((el) => el.getAttribute('data-testid')!.slice(3));
      const reasoning = (document.querySelector('[data-testid="reasoning"]') as HTMLTextAreaElement).value;
      return { emotion, aus, reasoning };
    });
  }

  /** Waits until the form shows `emotion` as selected. */
  async waitForEmotion(emotion: string | null): Promise<void> {
    await this.page.waitForFunction((e) => document.querySelector(`[data-testid="emotion-${e}"]`)?.getAttribute('data-selected') === 'true', emotion);
  }

  /** The live reasoning checks, by name: format, aus, answer, hedges. */
  async checks(): Promise<Record<string, boolean>> {
    return this.page.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll('[data-testid^="check-"][data-ok]')].map((el) => [el.getAttribute('data-testid')!.slice(6), el.getAttribute('data-ok') === 'true']),
      ),
    );
  }

  /** What one check says (its explanation included). */
  async checkText(name: 'format' | 'aus' | 'answer' | 'hedges'): Promise<string> {
    return (await this.page.getByTestId(`check-${name}`).textContent()) ?? '';
  }

  /** The key shown on an AU's button. */
  async auKeyShown(au: AU): Promise<string | null> {
    return this.page.locator(`[data-testid="au-${auName(au)}"] kbd`).textContent();
  }

  /** Waits until the draft autosave reports "saved". */
  async waitForDraftSaved(): Promise<void> {
    await this.page.locator('[data-testid="draft-state"][data-state="saved"]').waitFor();
  }

  /** Waits for the notice that a draft was put back into the form. */
  async waitForDraftRestored(): Promise<void> {
    await this.page.getByTestId('draft-restored').waitFor();
  }

  /** Reloads the page and waits until the same record is shown again. */
  async reload(): Promise<void> {
    const id = this.recordId;
    await this.page.reload();
    await this.waitForRecord({ id });
  }

  /** Record ids in Recent, newest first (waits until it lists one). */
  async recentIds(): Promise<(string | null)[]> {
    await this.page.locator('[data-testid="recent-item"]').first().waitFor();
    return this.page.locator('[data-testid="recent-item"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-record-id')));
  }

  /** Waits until Recent marks the decision on this record as undone. */
  async waitForUndoneInRecent(recordId: string): Promise<void> {
    await this.page.locator(`[data-testid="recent-item"][data-record-id="${recordId}"].undone`).waitFor();
  }

  /** The history panel's entries, newest first; `count` waits until there are exactly that many. */
  async historyItems(count?: number): Promise<string[]> {
    if (count === undefined) await this.page.locator('[data-testid="history-item"]').first().waitFor();
    else await this.page.waitForFunction((n) => document.querySelectorAll('[data-testid="history-item"]').length === n, count);
    return this.page.locator('[data-testid="history-item"]').allTextContents();
  }

  // ---- the labeling queue, as shown under the image -----------------------------------------------------------

  /** The queue's filter and order as the label view shows them. */
  async queueShown(): Promise<{ filter: string; order: string; filtered: boolean }> {
    const bar = this.page.getByTestId('label-queue');
    const filter = (await this.page.getByTestId('label-queue-filter').textContent()) ?? '';
    // the menu shows a short name; what the order means is the option's title
    const order = await this.page.getByTestId('label-queue-order').evaluate((el) => {
      const o = (el as HTMLSelectElement).selectedOptions[0];
      return o?.title || o?.textContent || '';
    });
    return { filter, order, filtered: (await bar.getAttribute('class'))?.includes('filtered') ?? false };
  }

  /** Picks the queue's order in the label view (one step). */
  async setQueueOrder(field: 'todo' | 'uncertain' | 'id'): Promise<void> {
    await this.page.getByTestId('label-queue-order').selectOption(field);
  }

  /** Clears the queue's filter from the label view. */
  async clearQueueFilter(): Promise<void> {
    await this.page.getByTestId('label-queue-clear').click();
    await this.page.getByTestId('label-queue-clear').waitFor({ state: 'detached' });
  }
}

/** The queue view, driven by its keys. */
export class QueuePage {
  constructor(private readonly ctx: E2EContext) {}

  /** Opens the queue view and waits until its rows are loaded; nothing is clicked. */
  static async open(ctx: E2EContext): Promise<QueuePage> {
    const q = new QueuePage(ctx);
    await ctx.gotoApp('#/queue');
    await q.waitForRows();
    return q;
  }

  private get page(): Page {
    return this.ctx.page;
  }

  async waitForRows(): Promise<void> {
    await this.page.locator('[data-testid="queue-row"][data-record-id]').first().waitFor();
    await this.page.waitForFunction(() => !document.querySelector('.queue-row.placeholder'));
  }

  async press(...keys: string[]): Promise<void> {
    for (const k of keys) await this.page.keyboard.press(k);
  }

  /** The ids listed, in order. */
  async rowIds(): Promise<string[]> {
    return this.page.locator('[data-testid="queue-row"][data-record-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-record-id')!));
  }

  /** The id of the row the keys have selected. */
  async selectedId(): Promise<string | null> {
    return this.page.locator('[data-testid="queue-row"].selected').getAttribute('data-record-id');
  }

  /** Types into the search field by its key (/) and waits until the list shows `count` records. */
  async search(text: string, count: number): Promise<void> {
    const field = this.page.getByTestId('queue-search');
    if (!(await field.evaluate((el) => el === document.activeElement))) await this.page.keyboard.press('/');
    if (!(await field.evaluate((el) => el === document.activeElement))) throw new Error('/ did not focus the search field');
    await field.fill(text);
    await this.page.waitForFunction(
      (n) => document.querySelector('[data-testid="queue-total"]')?.textContent?.replace(/\D/g, '') === String(n) && document.querySelectorAll('[data-testid="queue-row"][data-record-id]').length === n,
      count,
    );
  }
}
