/**
 * The label view against server mode: keyboard-only labeling read back from the database, the live reasoning
 * checks, drafts across a reload, undo (database and screen) and the revision history.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { composeReasoning } from '../../pipelines/facs/reasoning';
import { ARTIFACTS_DIR } from '../support/browser';
import { useE2E } from '../support/e2e';
import { LabelPage, QueuePage, signInAs } from '../support/label-page';
import { currentOf, humanRevisions } from '../support/revisions';

const e2e = useE2E({ demo: 10, seed: 3 });

e2e.test('labels three records with the keyboard only; the database holds them with their author', async (ctx) => {
  const { page, db } = ctx;
  const label = await LabelPage.open(ctx, { as: 'kim' });
  const plan = [
    { emotion: 'happiness', aus: ['AU6', 'AU12'], extra: ['Shift+P', 'Alt+C'], marks: 'AU6:L AU12A' },
    { emotion: 'sadness', aus: ['AU1', 'AU4', 'AU15'], extra: [], marks: 'AU1 AU4 AU15' },
    { emotion: 'surprise', aus: ['AU1', 'AU2', 'AU5', 'AU26'], extra: ['Shift+J', 'Shift+J'], marks: 'AU1 AU2 AU5 AU26B' },
  ];
  const labeled: string[] = [];
  for (const step of plan) {
    labeled.push(label.recordId);
    await label.clearForm();
    await label.pickEmotion(step.emotion);
    for (const au of step.aus) await label.toggleAU(au as `AU${number}`);
    await label.press(...step.extra);
    await label.composeReasoning();
    expect(await label.formState()).toEqual({ emotion: step.emotion, aus: step.aus, reasoning: composeReasoning(step.emotion, step.aus) });
    expect(Object.values(await label.checks())).toEqual([true, true, true, true]);
    await label.submitAndNext();
  }
  expect(new Set(labeled).size).toBe(3);
  for (const recordId of labeled) await label.waitUntilStored(recordId);

  const rows = humanRevisions(db());
  expect(rows.map((r) => ({ record: r.record_id, emotion: r.emotion, aus: r.aus, reasoning: r.reasoning, author: r.author }))).toEqual(
    plan.map((step, i) => ({ record: labeled[i], emotion: step.emotion, aus: step.marks, reasoning: composeReasoning(step.emotion, step.aus), author: 'kim' })),
  );
  for (const [i, recordId] of labeled.entries()) {
    expect(currentOf(db(), recordId)).toMatchObject({ current_revision_id: rows[i].id, emotion: plan[i].emotion, status: 'labeled' });
  }
  // The submitted record shows up in Recent, newest first.
  expect(await label.recentIds()).toEqual([...labeled].reverse());

  await ctx.screenshot('label-view');
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'label-view.png') });
});

e2e.test('the reasoning checks flag a mismatch, ask before submitting it, and pass once fixed', async (ctx) => {
  const { db } = ctx;
  const label = await LabelPage.open(ctx, { as: 'lee', record: 'demo-000004' });
  const before = currentOf(db(), 'demo-000004');

  await label.clearForm();
  await label.pickEmotion('happiness');
  await label.toggleAU(6);
  await label.toggleAU(12);
  await label.fillReasoning('<think>The cheeks are raised (AU6) and the brows are lowered (AU4), maybe.</think><answer>sadness</answer>');
  expect(await label.checks()).toEqual({ format: true, aus: false, answer: false, hedges: false });
  expect(await label.checkText('aus')).toMatch(/not named: AU12.*named but not selected: AU4/);
  expect(await label.checkText('answer')).toContain('sadness');
  expect(await label.checkText('hedges')).toContain('maybe');

  // Ctrl+Enter works from inside the editor; failing checks ask first, and Esc keeps the record open unsaved.
  await label.submit();
  await label.keepEditing();
  expect(await label.shownRecordId()).toBe('demo-000004');
  expect(currentOf(db(), 'demo-000004')).toEqual(before);

  await label.fillReasoning('<think>The cheeks are raised (AU6) and the lip corners are pulled up (AU12).</think><answer>happiness</answer>');
  expect(await label.checks()).toEqual({ format: true, aus: true, answer: true, hedges: true });
  await label.fillReasoning('The cheeks are raised (AU6) and the lip corners are pulled up (AU12). <answer>happiness</answer>');
  expect(await label.checks()).toMatchObject({ format: false, aus: true });
  await label.fillReasoning('<think>The cheeks are raised (AU6) and the lip corners are pulled up (AU12).</think><answer>happiness</answer>');

  // Passing checks submit straight away.
  await label.submitAndNext();
  expect(await label.confirmModal().count()).toBe(0);
  await label.waitUntilStored('demo-000004');
  const [rev] = humanRevisions(db(), 'demo-000004');
  expect(rev).toMatchObject({ emotion: 'happiness', aus: 'AU6 AU12', author: 'lee' });
});

e2e.test('a draft autosaves, survives a reload, and never replaces the submitted revision', async (ctx) => {
  const { db } = ctx;
  const label = await LabelPage.open(ctx, { as: 'max', record: 'demo-000005' });
  const before = currentOf(db(), 'demo-000005');

  await label.clearForm();
  await label.pickEmotion('fear');
  await label.toggleAU(1);
  await label.typeReasoning('<think>The inner brows are raised (AU1)');
  await label.waitForDraftSaved();
  const draft = db().prepare('SELECT payload FROM drafts WHERE record_id = ? AND user_id = ?').get('demo-000005', label.userId) as { payload: string } | undefined;
  expect(JSON.parse(draft!.payload)).toMatchObject({ emotion: 'fear', reasoning: '<think>The inner brows are raised (AU1)' });
  expect(currentOf(db(), 'demo-000005')).toEqual(before);

  await label.reload();
  await label.waitForDraftRestored();
  expect(await label.formState()).toEqual({ emotion: 'fear', aus: ['AU1'], reasoning: '<think>The inner brows are raised (AU1)' });
  expect(humanRevisions(db(), 'demo-000005')).toEqual([]);
});

e2e.test('undo puts the previous revision back, in the database and on screen', async (ctx) => {
  const { db } = ctx;
  const label = await LabelPage.open(ctx, { as: 'ola', record: 'demo-000006' });
  const before = currentOf(db(), 'demo-000006');
  const shownBefore = await label.formState();
  expect(shownBefore.emotion).toBe(before.emotion);
  const other = before.emotion === 'surprise' ? 'anger' : 'surprise';

  await label.clearForm();
  await label.pickEmotion(other);
  await label.composeReasoning();
  await label.submitAndNext();
  await label.waitUntilStored('demo-000006');
  const after = currentOf(db(), 'demo-000006');
  expect(after.emotion).toBe(other);
  expect(after.current_revision_id).not.toBe(before.current_revision_id);

  await label.undo('demo-000006');
  await label.waitForEmotion(before.emotion);
  expect(await label.formState()).toEqual(shownBefore);
  expect(currentOf(db(), 'demo-000006')).toEqual(before);
  const decision = db().prepare("SELECT kind, undone_at FROM decisions WHERE record_id = 'demo-000006' ORDER BY id DESC").get() as { kind: string; undone_at: string | null };
  expect(decision.kind).toBe('submit');
  expect(decision.undone_at).not.toBeNull();
  await label.waitForUndoneInRecent('demo-000006');
});

e2e.test('history lists every revision with its author and what changed', async (ctx) => {
  const label = await LabelPage.open(ctx, { as: 'pia', record: 'demo-000008' });
  const imported = (await label.historyItems()).length;

  for (const aus of [[6, 12], [6]]) {
    await label.clearForm();
    await label.pickEmotion('happiness');
    for (const au of aus) await label.toggleAU(au);
    await label.composeReasoning();
    await label.submitAndNext();
    await label.previous('demo-000008'); // back to the record just labeled
  }
  const items = await label.historyItems(imported + 2);
  expect(items[0]).toContain('pia');
  expect(items[0]).toContain('current');
  expect(items[0]).toContain('−AU12');
  expect(items[1]).toContain('pia');
  expect(items[items.length - 1]).toContain('import');
  await ctx.screenshot('label-history');
});

e2e.test('skip asks for a reason (quick pick by number), records it, and moves on', async (ctx) => {
  const { db } = ctx;
  const label = await LabelPage.open(ctx, { as: 'raj', record: 'demo-000009' });
  const before = currentOf(db(), 'demo-000009');
  expect(await label.skipWithReason(3)).toBe('ambiguous expression');
  await label.confirmSkip();
  await label.waitUntilStored('demo-000009');
  const row = db().prepare("SELECT d.kind, d.reason, u.name FROM decisions d JOIN users u ON u.id = d.user_id WHERE d.record_id = 'demo-000009'").get();
  expect(row).toEqual({ kind: 'skip', reason: 'ambiguous expression', name: 'raj' });
  expect(currentOf(db(), 'demo-000009')).toEqual(before);
});

e2e.test('keys are remappable per user: conflicts block saving, the saved key works in the label view after a reload', async (ctx) => {
  const { page, gotoApp } = ctx;
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
  const label = new LabelPage(ctx);
  await label.waitForRecord({ id: 'demo-000010' });
  expect(await label.auKeyShown(12)).toBe('8');
  const had = (await label.formState()).aus.includes('AU12');
  await label.press('8');
  expect((await label.formState()).aus.includes('AU12')).toBe(!had);
  await label.toggleAU(12); // the old key (p) no longer toggles AU12
  expect((await label.formState()).aus.includes('AU12')).toBe(!had);
});

e2e.test('the queue filters and opens a record with the filter as the labeling queue', async (ctx) => {
  const { page, gotoApp } = ctx;
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
  const label = new LabelPage(ctx);
  expect(await label.waitForRecord()).toBe(ids[0]);
  if (ids.length > 1) expect(await label.next()).toBe(ids[1]);
});

e2e.test('"Submit & next" goes to the records that still need work, skipping labeled ones; the label view shows the queue', async (ctx) => {
  const { db, api } = ctx;
  // two records made weak (an emotion without AUs): every other demo record is labeled
  const userId = await signInAs(ctx, 'wes');
  for (const recordId of ['demo-000003', 'demo-000007']) {
    const base = currentOf(db(), recordId).current_revision_id;
    await api['annotations.submit']({ recordId, userId, emotion: 'anger', aus: [], reasoning: '', baseRevisionId: base });
    expect(currentOf(db(), recordId).status).toBe('weak');
  }
  const label = await LabelPage.open(ctx, { as: 'wes', record: 'demo-000001' });
  expect(await label.queueShown()).toEqual({ filter: 'all records', order: 'to do (unlabeled, then weak)', filtered: false });

  const visited: string[] = [];
  for (let i = 0; i < 3; i++) {
    await label.clearForm();
    await label.pickEmotion('happiness');
    await label.toggleAU(6);
    await label.toggleAU(12);
    await label.composeReasoning();
    visited.push(await label.submitAndNext());
  }
  // the weak ones first; with nothing left to do, the done records by id
  expect(visited).toEqual(['demo-000003', 'demo-000007', 'demo-000001']);
  for (const id of ['demo-000003', 'demo-000007']) {
    await label.waitUntilStored(id);
    expect(currentOf(db(), id).status).toBe('labeled');
  }

  // the other order is one step away
  await label.setQueueOrder('id');
  expect((await label.queueShown()).order).toBe('by id');
  expect(await label.next()).toBe('demo-000002');
  await label.setQueueOrder('uncertain');
  expect((await label.queueShown()).order).toMatch(/^uncertain first/);
  await label.setQueueOrder('todo');
  expect((await label.queueShown()).order).toBe('to do (unlabeled, then weak)');
});

e2e.test('queue keys work on arrival, search finds subjects, and a record URL in a new tab does not inherit the filter', async (ctx) => {
  const { page, db, context, gotoApp } = ctx;
  await signInAs(ctx, 'xia');
  const queue = await QueuePage.open(ctx);
  const ids = await queue.rowIds();
  // nothing clicked: the keys go to the list
  await queue.press('ArrowDown', 'ArrowDown');
  expect(await queue.selectedId()).toBe(ids[2]);
  await queue.press('ArrowUp');
  expect(await queue.selectedId()).toBe(ids[1]);

  const subjects = db().prepare('SELECT i.subject, COUNT(*) AS n FROM records r JOIN images i ON i.id = r.image_id GROUP BY i.subject ORDER BY n DESC, i.subject').all() as { subject: string; n: number }[];
  const { subject, n } = subjects[0];
  const ofSubject = (db().prepare('SELECT r.id FROM records r JOIN images i ON i.id = r.image_id WHERE i.subject = ? ORDER BY r.id').all(subject) as { id: string }[]).map((r) => r.id);
  expect(ofSubject.length).toBe(n);
  await queue.search(subject, n);
  expect(new Set(await queue.rowIds())).toEqual(new Set(ofSubject));
  const fileName = (db().prepare('SELECT i.original_name AS f FROM records r JOIN images i ON i.id = r.image_id WHERE r.id = ?').get(ids[4]) as { f: string }).f;
  await queue.search(fileName, 1);
  expect(await queue.rowIds()).toEqual([ids[4]]);

  // Enter from the search field goes to the list, Enter again opens the record with the search as the queue
  await queue.press('Enter', 'Enter');
  const label = new LabelPage(ctx);
  expect(await label.waitForRecord()).toBe(ids[4]);
  expect(await label.queueShown()).toMatchObject({ filter: `search: ${fileName}`, filtered: true });
  // a reload keeps this tab's queue
  await page.reload();
  await label.waitForRecord({ id: ids[4] });
  expect((await label.queueShown()).filtered).toBe(true);

  // the same record's URL in a new tab starts without the old filter
  const other = await context.newPage();
  await other.goto(`${ctx.url}#/label/${ids[1]}`);
  await other.getByTestId('label-queue-filter').waitFor();
  await other.waitForFunction(() => document.querySelector('[data-testid="label-queue-filter"]')?.textContent === 'all records');
  await other.close();

  await label.clearQueueFilter();
  expect(await label.queueShown()).toMatchObject({ filter: 'all records', filtered: false });
  await gotoApp('#/queue');
});
