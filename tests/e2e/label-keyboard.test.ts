/**
 * The label view against server mode: keyboard-only labeling read back from the database, the live reasoning
 * checks, drafts across a reload, undo (database and screen) and the revision history.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { composeReasoning } from '../../pipelines/facs/reasoning';
import { ARTIFACTS_DIR, useE2E } from './harness';
import { checks, currentOf, formState, humanRevisions, signInAs, waitForDecisions } from './label-helpers';

const e2e = useE2E({ demo: 10, seed: 3 });

/** Emotions are keyed 1–9 in vocabulary order; AUs by their default mnemonic letters. */
const EMOTION_KEY: Record<string, string> = { anger: '1', disgust: '2', fear: '3', happiness: '4', neutral: '5', sadness: '6', surprise: '7' };
const AU_KEY: Record<string, string> = { AU1: 'i', AU2: 'u', AU4: 'b', AU5: 'e', AU6: 'c', AU12: 'p', AU15: 'w', AU26: 'j' };

e2e.test('labels three records with the keyboard only; the database holds them with their author', async (ctx) => {
  const { page, gotoApp, labelView, db } = ctx;
  await signInAs(ctx, 'kim');
  await gotoApp('#/label');
  const plan = [
    { emotion: 'happiness', aus: ['AU6', 'AU12'], extra: ['Shift+P', 'Alt+C'], marks: 'AU6:L AU12A' },
    { emotion: 'sadness', aus: ['AU1', 'AU4', 'AU15'], extra: [], marks: 'AU1 AU4 AU15' },
    { emotion: 'surprise', aus: ['AU1', 'AU2', 'AU5', 'AU26'], extra: ['Shift+J', 'Shift+J'], marks: 'AU1 AU2 AU5 AU26B' },
  ];
  const labeled: string[] = [];
  let id = await labelView();
  for (const step of plan) {
    labeled.push(id);
    await page.keyboard.press('Shift+Backspace'); // clear what the import put in the form
    await page.keyboard.press(EMOTION_KEY[step.emotion]);
    for (const au of step.aus) await page.keyboard.press(AU_KEY[au]);
    for (const k of step.extra) await page.keyboard.press(k);
    await page.keyboard.press('Control+Shift+Space'); // compose the reasoning
    expect(await formState(page)).toEqual({ emotion: step.emotion, aus: step.aus, reasoning: composeReasoning(step.emotion, step.aus) });
    expect(Object.values(await checks(page))).toEqual([true, true, true, true]);
    await page.keyboard.press('Control+Enter');
    id = await labelView({ notId: id });
  }
  expect(new Set(labeled).size).toBe(3);
  for (const recordId of labeled) await waitForDecisions(page, recordId);

  const rows = humanRevisions(db());
  expect(rows.map((r) => ({ record: r.record_id, emotion: r.emotion, aus: r.aus, reasoning: r.reasoning, author: r.author }))).toEqual(
    plan.map((step, i) => ({ record: labeled[i], emotion: step.emotion, aus: step.marks, reasoning: composeReasoning(step.emotion, step.aus), author: 'kim' })),
  );
  for (const [i, recordId] of labeled.entries()) {
    expect(currentOf(db(), recordId)).toMatchObject({ current_revision_id: rows[i].id, emotion: plan[i].emotion, status: 'labeled' });
  }
  // The submitted record shows up in Recent, newest first.
  await page.locator('[data-testid="recent-item"]').first().waitFor();
  expect(await page.locator('[data-testid="recent-item"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-record-id')))).toEqual([...labeled].reverse());

  await ctx.screenshot('label-view');
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'label-view.png') });
});

e2e.test('the reasoning checks flag a mismatch, ask before submitting it, and pass once fixed', async (ctx) => {
  const { page, gotoApp, labelView, db } = ctx;
  await signInAs(ctx, 'lee');
  await gotoApp('#/label/demo-000004');
  await labelView({ id: 'demo-000004' });
  const before = currentOf(db(), 'demo-000004');

  await page.keyboard.press('Shift+Backspace');
  await page.keyboard.press('4'); // happiness
  await page.keyboard.press('c'); // AU6
  await page.keyboard.press('p'); // AU12
  await page.getByTestId('reasoning').fill('<think>The cheeks are raised (AU6) and the brows are lowered (AU4), maybe.</think><answer>sadness</answer>');
  expect(await checks(page)).toEqual({ format: true, aus: false, answer: false, hedges: false });
  await expect(page.getByTestId('check-aus').textContent()).resolves.toMatch(/not named: AU12.*named but not selected: AU4/);
  await expect(page.getByTestId('check-answer').textContent()).resolves.toContain('sadness');
  await expect(page.getByTestId('check-hedges').textContent()).resolves.toContain('maybe');

  // Ctrl+Enter works from inside the editor; failing checks ask first, and Esc keeps the record open unsaved.
  await page.keyboard.press('Control+Enter');
  await page.getByTestId('confirm-modal').waitFor();
  await page.keyboard.press('Escape');
  await page.getByTestId('confirm-modal').waitFor({ state: 'detached' });
  expect(await page.getByTestId('label-view').getAttribute('data-record-id')).toBe('demo-000004');
  expect(currentOf(db(), 'demo-000004')).toEqual(before);

  await page.getByTestId('reasoning').fill('<think>The cheeks are raised (AU6) and the lip corners are pulled up (AU12).</think><answer>happiness</answer>');
  expect(await checks(page)).toEqual({ format: true, aus: true, answer: true, hedges: true });
  await page.getByTestId('reasoning').fill('The cheeks are raised (AU6) and the lip corners are pulled up (AU12). <answer>happiness</answer>');
  expect(await checks(page)).toMatchObject({ format: false, aus: true });
  await page.getByTestId('reasoning').fill('<think>The cheeks are raised (AU6) and the lip corners are pulled up (AU12).</think><answer>happiness</answer>');

  // Passing checks submit straight away.
  await page.keyboard.press('Control+Enter');
  await labelView({ notId: 'demo-000004' });
  expect(await page.getByTestId('confirm-modal').count()).toBe(0);
  await waitForDecisions(page, 'demo-000004');
  const [rev] = humanRevisions(db(), 'demo-000004');
  expect(rev).toMatchObject({ emotion: 'happiness', aus: 'AU6 AU12', author: 'lee' });
});

e2e.test('a draft autosaves, survives a reload, and never replaces the submitted revision', async (ctx) => {
  const { page, gotoApp, labelView, db } = ctx;
  const userId = await signInAs(ctx, 'max');
  await gotoApp('#/label/demo-000005');
  await labelView({ id: 'demo-000005' });
  const before = currentOf(db(), 'demo-000005');

  await page.keyboard.press('Shift+Backspace');
  await page.keyboard.press('3'); // fear
  await page.keyboard.press('i'); // AU1
  await page.keyboard.press('Enter'); // into the editor
  await page.keyboard.type('<think>The inner brows are raised (AU1)');
  await page.locator('[data-testid="draft-state"][data-state="saved"]').waitFor();
  const draft = db().prepare('SELECT payload FROM drafts WHERE record_id = ? AND user_id = ?').get('demo-000005', userId) as { payload: string } | undefined;
  expect(JSON.parse(draft!.payload)).toMatchObject({ emotion: 'fear', reasoning: '<think>The inner brows are raised (AU1)' });
  expect(currentOf(db(), 'demo-000005')).toEqual(before);

  await page.reload();
  await labelView({ id: 'demo-000005' });
  await page.getByTestId('draft-restored').waitFor();
  expect(await formState(page)).toEqual({ emotion: 'fear', aus: ['AU1'], reasoning: '<think>The inner brows are raised (AU1)' });
  expect(humanRevisions(db(), 'demo-000005')).toEqual([]);
});

e2e.test('undo puts the previous revision back, in the database and on screen', async (ctx) => {
  const { page, gotoApp, labelView, db } = ctx;
  await signInAs(ctx, 'ola');
  await gotoApp('#/label/demo-000006');
  await labelView({ id: 'demo-000006' });
  const before = currentOf(db(), 'demo-000006');
  const shownBefore = await formState(page);
  expect(shownBefore.emotion).toBe(before.emotion);
  const other = before.emotion === 'surprise' ? 'anger' : 'surprise';

  await page.keyboard.press('Shift+Backspace');
  await page.keyboard.press(EMOTION_KEY[other]);
  await page.keyboard.press('Control+Shift+Space');
  await page.keyboard.press('Control+Enter');
  await labelView({ notId: 'demo-000006' });
  await waitForDecisions(page, 'demo-000006');
  const after = currentOf(db(), 'demo-000006');
  expect(after.emotion).toBe(other);
  expect(after.current_revision_id).not.toBe(before.current_revision_id);

  await page.keyboard.press('Control+z');
  await labelView({ id: 'demo-000006' });
  await page.waitForFunction((emotion) => document.querySelector(`[data-testid="emotion-${emotion}"]`)?.getAttribute('data-selected') === 'true', before.emotion);
  expect(await formState(page)).toEqual(shownBefore);
  expect(currentOf(db(), 'demo-000006')).toEqual(before);
  const decision = db().prepare("SELECT kind, undone_at FROM decisions WHERE record_id = 'demo-000006' ORDER BY id DESC").get() as { kind: string; undone_at: string | null };
  expect(decision.kind).toBe('submit');
  expect(decision.undone_at).not.toBeNull();
  await page.locator('[data-testid="recent-item"][data-record-id="demo-000006"].undone').waitFor();
});

e2e.test('history lists every revision with its author and what changed', async (ctx) => {
  const { page, gotoApp, labelView } = ctx;
  await signInAs(ctx, 'pia');
  await gotoApp('#/label/demo-000008');
  await labelView({ id: 'demo-000008' });
  await page.locator('[data-testid="history-item"]').first().waitFor();
  const imported = await page.locator('[data-testid="history-item"]').count();

  for (const step of [
    { emotion: 'happiness', aus: ['AU6', 'AU12'] },
    { emotion: 'happiness', aus: ['AU6'] },
  ]) {
    await page.keyboard.press('Shift+Backspace');
    await page.keyboard.press(EMOTION_KEY[step.emotion]);
    for (const au of step.aus) await page.keyboard.press(AU_KEY[au]);
    await page.keyboard.press('Control+Shift+Space');
    await page.keyboard.press('Control+Enter');
    await labelView({ notId: 'demo-000008' });
    await page.keyboard.press('ArrowLeft'); // back to the record just labeled
    await labelView({ id: 'demo-000008' });
  }
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="history-item"]').length === n, imported + 2);
  const items = await page.locator('[data-testid="history-item"]').allTextContents();
  expect(items[0]).toContain('pia');
  expect(items[0]).toContain('current');
  expect(items[0]).toContain('−AU12');
  expect(items[1]).toContain('pia');
  expect(items[items.length - 1]).toContain('import');
  await ctx.screenshot('label-history');
});

e2e.test('skip asks for a reason (quick pick by number), records it, and moves on', async (ctx) => {
  const { page, gotoApp, labelView, db } = ctx;
  await signInAs(ctx, 'raj');
  await gotoApp('#/label/demo-000009');
  await labelView({ id: 'demo-000009' });
  const before = currentOf(db(), 'demo-000009');
  await page.keyboard.press('s');
  await page.getByTestId('skip-modal').waitFor();
  await page.keyboard.press('3');
  expect(await page.getByTestId('skip-reason').inputValue()).toBe('ambiguous expression');
  await page.keyboard.press('Enter');
  await labelView({ notId: 'demo-000009' });
  await waitForDecisions(page, 'demo-000009');
  const row = db().prepare("SELECT d.kind, d.reason, u.name FROM decisions d JOIN users u ON u.id = d.user_id WHERE d.record_id = 'demo-000009'").get();
  expect(row).toEqual({ kind: 'skip', reason: 'ambiguous expression', name: 'raj' });
  expect(currentOf(db(), 'demo-000009')).toEqual(before);
});

e2e.test('keys are remappable per user: conflicts block saving, the saved key works in the label view after a reload', async (ctx) => {
  const { page, gotoApp, labelView } = ctx;
  await signInAs(ctx, 'uma');
  await gotoApp('#/settings');
  await page.getByTestId('settings-view').waitFor();
  const capture = (action: string) => page.locator(`[data-testid="keymap-${action}"] .key-capture`);

  await capture('au.AU12').click();
  await page.keyboard.press('s'); // taken by Skip
  await page.locator('[data-testid="keymap-au.AU12"].conflict').waitFor();
  expect(await page.locator('[data-testid="keymap-skip"]').textContent()).toContain('clashes with AU12');
  expect(await page.getByTestId('keymap-save').isDisabled()).toBe(true);
  await page.getByTestId('keymap-defaults').click();
  expect(await page.getByTestId('keymap-conflicts').count()).toBe(0);

  await capture('au.AU12').click();
  await page.keyboard.press('8');
  await page.getByTestId('keymap-save').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="keymap-save"]')?.hasAttribute('disabled'));

  await gotoApp('#/label/demo-000010');
  await page.reload();
  await labelView({ id: 'demo-000010' });
  expect(await page.locator('[data-testid="au-AU12"] kbd').textContent()).toBe('8');
  const had = (await formState(page)).aus.includes('AU12');
  await page.keyboard.press('8');
  expect((await formState(page)).aus.includes('AU12')).toBe(!had);
  await page.keyboard.press('p'); // the old key no longer toggles AU12
  expect((await formState(page)).aus.includes('AU12')).toBe(!had);
});

e2e.test('the queue filters and opens a record with the filter as the labeling queue', async (ctx) => {
  const { page, gotoApp, labelView } = ctx;
  await signInAs(ctx, 'vic');
  await gotoApp('#/queue');
  await page.locator('[data-testid="queue-row"][data-record-id]').first().waitFor();
  await page.getByTestId('filter-emotion').selectOption('happiness');
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid="queue-row"][data-record-id]')];
    return rows.length > 0 && !document.querySelector('.queue-row.placeholder');
  });
  const total = Number((await page.getByTestId('queue-total').textContent())!.replace(/\D/g, ''));
  const ids = await page.locator('[data-testid="queue-row"][data-record-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-record-id')!));
  expect(ids.length).toBe(total);
  const emotions = await page.locator('[data-testid="queue-row"] .c-emotion').allTextContents();
  expect(new Set(emotions)).toEqual(new Set(['happiness']));

  await page.getByTestId('queue-list').focus();
  await page.keyboard.press('Enter');
  expect(await labelView()).toBe(ids[0]);
  if (ids.length > 1) {
    await page.keyboard.press('ArrowRight');
    expect(await labelView({ notId: ids[0] })).toBe(ids[1]);
  }
});
