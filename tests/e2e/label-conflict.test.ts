/**
 * Two annotators on one record: another user submits through the API behind the annotator's back; the
 * annotator's submit is refused, the conflict dialog shows both answers, and each way out is read back from the
 * database (no answer is lost without the annotator choosing it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { composeReasoning } from '../../pipelines/facs/reasoning';
import { ARTIFACTS_DIR } from '../support/browser';
import { useE2E, type E2EContext } from '../support/e2e';
import { LabelPage } from '../support/label-page';
import { currentOf, humanRevisions } from '../support/revisions';

const e2e = useE2E({ demo: 10, seed: 5 });

const THEIR_REASONING = '<think>The inner brows are raised (AU1) and the lip corners are pulled down (AU15); together these indicate sadness.</think><answer>sadness</answer>';

/** Bob answers `recordId` on the revision it has now, as a second annotator's client would. */
async function bobAnswers(ctx: E2EContext, recordId: string): Promise<number> {
  const bob = await ctx.api['users.upsert']({ name: 'bob', role: 'annotator' });
  const { current } = await ctx.api['records.get']({ id: recordId });
  const { revisionId } = await ctx.api['annotations.submit']({
    recordId,
    userId: bob.id,
    emotion: 'sadness',
    aus: [{ au: 'AU1' }, { au: 'AU15', intensity: 'C' }],
    reasoning: THEIR_REASONING,
    baseRevisionId: current?.id ?? null,
  });
  return revisionId;
}

const parentOf = (ctx: E2EContext, revisionId: number) =>
  (ctx.db().prepare('SELECT parent_revision_id AS p FROM revisions WHERE id = ?').get(revisionId) as { p: number | null }).p;

e2e.test('keep mine: the dialog shows both answers, K submits mine on top of theirs', async (ctx) => {
  const label = await LabelPage.open(ctx, { as: 'kim', record: 'demo-000003' });
  const id = label.recordId;
  await label.clearForm();
  await label.pickEmotion('anger');
  await label.toggleAU(4);
  await label.composeReasoning();
  const theirs = await bobAnswers(ctx, id);

  await label.submit();
  const shown = await label.waitForConflict(id);
  expect(shown.theirs).toEqual({ who: expect.stringMatching(/^bob · /), emotion: 'sadness', aus: ['AU1', 'AU15C'], reasoning: THEIR_REASONING });
  expect(shown.mine).toEqual({ who: 'kim (you)', emotion: 'anger', aus: ['AU4'], reasoning: composeReasoning('anger', ['AU4']) });
  // Nothing of kim's was written; bob's answer is current.
  expect(humanRevisions(ctx.db(), id).map((r) => r.author)).toEqual(['bob']);
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await ctx.page.screenshot({ path: path.join(ARTIFACTS_DIR, 'label-conflict.png') });
  const dialog = ctx.page.getByRole('dialog');
  expect(await dialog.getAttribute('aria-modal')).toBe('true');
  // Focus is in the dialog, and Tab keeps it there.
  for (let i = 0; i < 4; i++) await ctx.page.keyboard.press('Tab');
  expect(await dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);

  await label.keepMyAnswer();
  await label.waitUntilStored(id);
  const revs = humanRevisions(ctx.db(), id);
  expect(revs.map((r) => ({ author: r.author, emotion: r.emotion, aus: r.aus }))).toEqual([
    { author: 'bob', emotion: 'sadness', aus: 'AU1 AU15C' },
    { author: 'kim', emotion: 'anger', aus: 'AU4' },
  ]);
  expect(parentOf(ctx, revs[1].id)).toBe(theirs);
  expect(currentOf(ctx.db(), id).current_revision_id).toBe(revs[1].id);
});

e2e.test('merge: M opens the form with both answers\' AUs and my reasoning, submitted on their revision', async (ctx) => {
  const label = await LabelPage.open(ctx, { as: 'kim', record: 'demo-000005' });
  const id = label.recordId;
  await label.clearForm();
  await label.pickEmotion('happiness');
  await label.toggleAU(6);
  await label.toggleAU(12);
  await label.composeReasoning();
  const mine = composeReasoning('happiness', ['AU6', 'AU12']);
  const theirs = await bobAnswers(ctx, id);

  await label.submit();
  await label.waitForConflict(id);
  await label.mergeAnswers();
  await label.waitForEmotion('happiness');
  expect(await label.formState()).toEqual({ emotion: 'happiness', aus: ['AU1', 'AU6', 'AU12', 'AU15'], reasoning: mine });
  expect(humanRevisions(ctx.db(), id).map((r) => r.author)).toEqual(['bob']);

  await label.submit();
  await label.submitAnywayIfAsked();
  await label.waitForRecord({ notId: id });
  await label.waitUntilStored(id);
  const revs = humanRevisions(ctx.db(), id);
  expect(revs.map((r) => ({ author: r.author, aus: r.aus, reasoning: r.reasoning }))).toEqual([
    { author: 'bob', aus: 'AU1 AU15C', reasoning: THEIR_REASONING },
    { author: 'kim', aus: 'AU1 AU6 AU12 AU15C', reasoning: mine },
  ]);
  expect(parentOf(ctx, revs[1].id)).toBe(theirs);
});

e2e.test('take theirs: T drops my answer, adds no revision and shows theirs in the form', async (ctx) => {
  const label = await LabelPage.open(ctx, { as: 'kim', record: 'demo-000007' });
  const id = label.recordId;
  await label.clearForm();
  await label.pickEmotion('fear');
  await label.composeReasoning();
  await label.waitForDraftSaved();
  await bobAnswers(ctx, id);

  await label.submit();
  await label.submitAnywayIfAsked();
  await label.waitForConflict(id);
  await label.takeTheirAnswer();
  await label.waitForEmotion('sadness');
  expect(await label.formState()).toEqual({ emotion: 'sadness', aus: ['AU1', 'AU15'], reasoning: THEIR_REASONING });
  expect(humanRevisions(ctx.db(), id).map((r) => r.author)).toEqual(['bob']);
  expect(ctx.db().prepare('SELECT COUNT(*) AS n FROM drafts WHERE record_id = ?').get(id)).toEqual({ n: 0 });
});
