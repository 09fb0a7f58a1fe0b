/**
 * The training view in Chromium: the start form refuses a split that cannot train before anything is submitted,
 * with the service's reason, and says what a trainable one offers and the seed a run will use; a run's debug
 * metrics (tensors, sequences/s, tokens/s) are in an Engine group with titled panels, apart from the training curves.
 */
import * as path from 'node:path';
import { openWorkspace } from '../../db/open';
import { createRun, recordStep, updateRun } from '../../db/repositories/runs';
import { initWorkspace } from '../../services/workspace/init';
import { useE2E } from '../support/e2e';
import { TrainingPage } from '../support/training-page';

/** The run the workspace was given: what an SFT trainer logs at each step, engine numbers included. */
const story = { runId: 0 };

const e2e = useE2E({
  async workspace(tmp) {
    const dir = path.join(tmp, 'ws');
    await initWorkspace(dir, { demo: 12, seed: 2 });
    const ws = openWorkspace(dir);
    try {
      const runId = createRun(ws.db, { stage: 'sft', split: 'main', seed: 4, backend: 'wasm', config: {} });
      for (let step = 1; step <= 6; step++) {
        recordStep(ws.db, runId, step, 6, {
          loss: 3 - step * 0.3, lmLoss: 2.5 - step * 0.25, emotionLoss: 0.4, auLoss: 0.1, lr: 1e-3, epoch: step / 3,
          tokensPerSec: 900 + step, seqPerSec: 30 + step, numTensors: 410,
          ...(step % 3 === 0 ? { valLoss: 2.6 - step * 0.2, valLmLoss: 2.2, valEmotionAcc: 0.2 * (step / 3) } : {}),
        });
      }
      updateRun(ws.db, runId, { status: 'stopped', step: 6, total_steps: 6 });
      story.runId = runId;
    } finally {
      ws.close();
    }
    return dir;
  },
});

e2e.test('the start form refuses a split without a trainable training part, with the reason, before submitting', async (ctx) => {
  const { api } = ctx;
  await api['splits.create']({ name: 'main', ratios: { train: 0.75, test: 0.25 }, stratify: 'emotion', group: 'subject', seed: 1 });
  // an evaluation-only split: no train part at all
  await api['splits.create']({ name: 'heldout', ratios: { val: 0.5, test: 0.5 }, stratify: null, group: null, seed: 1 });
  const training = await TrainingPage.open(ctx, { as: 'rae' });

  await training.chooseSplit('heldout');
  expect(await training.refusal()).toMatch(/^split "heldout" has no trainable records in part "train": training needs records labeled with an emotion/);
  expect(await training.canStart()).toBe(false);

  await training.chooseSplit('main');
  expect(await training.refusal()).toBeNull();
  const trainPart = (await api['splits.list']({})).splits.find((s) => s.name === 'main')!.parts.train.n;
  expect(await training.accepted()).toBe(`${trainPart} labeled records in train, ${trainPart} with a reasoning · seed 1`);
  expect(await training.canStart()).toBe(true);
  // nothing was submitted: the one run is the workspace's own
  expect((await api['runs.list']({})).runs.map((r) => r.id)).toEqual([story.runId]);
  expect(ctx.pageErrors).toEqual([]);
});

e2e.test("a run's engine metrics are in an Engine group with titles like the training curves'", async (ctx) => {
  const training = await TrainingPage.open(ctx, { as: 'rae' });
  await training.showRun(story.runId);
  // the seed shown is the one the run stored
  expect(await training.runSeed(story.runId)).toBe(4);
  expect(await training.curvesSubtitle()).toBe(`run #${story.runId} · SFT · main · seed 4`);
  expect(await training.curveGroups()).toEqual([
    { group: 'training', title: 'Training', panels: ['Loss', 'Loss components', 'Validation emotion accuracy', 'Learning rate', 'Epoch'] },
    { group: 'engine', title: 'Engine', panels: ['Tokens / s', 'Sequences / s', 'Live tensors'] },
  ]);
  await ctx.page.getByTestId('card-curves').screenshot({ path: path.join(ctx.artifactsDir, 'training-engine-group.png') });
  expect(ctx.pageErrors).toEqual([]);
});
