/**
 * runs.list / runs.get give a finished run's result: the one the training worker parsed with the contract's
 * RunResultSchema and stored in its summary with status 'done', read back through the same schema; runs stored
 * before that keep the metrics only (the keys of `fea train --json`'s metrics) and get theirs built from them.
 * Rows are written directly: no worker runs, so this needs no build.
 */
import * as path from 'node:path';
import { RunResultSchema } from '../../contract/run-result';
import { openWorkspace, type Workspace } from '../../db/open';
import { createRun, getRun, updateRun } from '../../db/repositories/runs';
import { createContext } from '../../services/context';
import { trainingHandlers } from '../../services/training/handlers';
import { tempDir } from '../support/facial-r1';
import { insertPlainRun, workspaceAtVersion } from '../support/workspace-at-version';

let ws: Workspace;
beforeAll(() => {
  ws = openWorkspace(path.join(tempDir(), 'ws'), { create: true });
});
afterAll(() => ws.close());

/** A summary as services/training/worker.ts stored it for an RL run before it stored the result with it. */
const RL_SUMMARY = {
  reward: 2.7,
  kl: 0.01,
  step: 60,
  totalSteps: 60,
  selectedStep: 24,
  valStart: { step: 0, reward: 2.48, accuracy: 0.889 },
  valSelected: { step: 24, reward: 2.6, accuracy: 0.963 },
  trainRewardGreedy: 2.768,
  trainRewardGreedyStart: 2.762,
  trainRewardSampled: 2.661,
  trainRewardSampledStart: 2.631,
  rewardMeanFirstThird: 2.635,
  rewardMeanLastThird: 2.674,
  eval: { split: 'main', part: 'test', n: 117, accuracy: 0.94 },
};

function doneRun(stage: 'sft' | 'rl', summary: unknown, totalSteps = 60): number {
  const id = createRun(ws.db, { stage, split: 'main', seed: 1, backend: 'cpu', config: {}, totalSteps });
  updateRun(ws.db, id, { status: 'done', step: totalSteps, summary: typeof summary === 'string' ? summary : JSON.stringify(summary) });
  return id;
}

const handlers = () => trainingHandlers(createContext(ws));

test('an RL run: the step the model came from, held-out scores, train and rollout reward before → after', async () => {
  const id = doneRun('rl', RL_SUMMARY);
  const expected = {
    stage: 'rl',
    selectedStep: 24,
    totalSteps: 60,
    valStart: { step: 0, reward: 2.48, accuracy: 0.889 },
    valSelected: { step: 24, reward: 2.6, accuracy: 0.963 },
    trainReward: { greedy: { start: 2.762, end: 2.768 }, sampled: { start: 2.631, end: 2.661 } },
    rolloutReward: { firstThird: 2.635, lastThird: 2.674 },
  };
  const { runs } = await handlers()['runs.list']({});
  const listed = runs.find((r) => r.id === id)!;
  expect(listed.result).toEqual(expected);
  expect(RunResultSchema.parse(listed.result)).toEqual(expected);
  expect((await handlers()['runs.get']({ runId: id })).run.result).toEqual(expected);
  // the result survives the JSON of either transport
  expect(JSON.parse(JSON.stringify(listed)).result).toEqual(expected);
});

test('RL without a frozen start or validation slice: starts and held-out scores are null', async () => {
  const { valStart, valSelected, trainRewardGreedyStart, trainRewardSampledStart, ...rest } = RL_SUMMARY;
  // avg([]) is NaN, which JSON writes as null
  const id = doneRun('rl', { ...rest, selectedStep: 60, rewardMeanFirstThird: null });
  const run = (await handlers()['runs.get']({ runId: id })).run;
  expect(run.result).toMatchObject({
    stage: 'rl',
    selectedStep: 60,
    valStart: null,
    valSelected: null,
    trainReward: { greedy: { start: null, end: 2.768 }, sampled: { start: null, end: 2.661 } },
    rolloutReward: { firstThird: null, lastThird: 2.674 },
  });
});

test('an SFT run: steps trained, early stop and best validation loss', async () => {
  const id = doneRun('sft', { loss: 1.2, step: 182, totalSteps: 280, earlyStopped: true, bestValLoss: 0.91, eval: { n: 10, accuracy: 0.5 } }, 280);
  const run = (await handlers()['runs.get']({ runId: id })).run;
  expect(run.result).toEqual({ stage: 'sft', steps: 182, totalSteps: 280, earlyStopped: true, bestValLoss: 0.91 });
});

test('no result for runs that are not done, have no summary, or a summary that does not fit the schema', async () => {
  const running = createRun(ws.db, { stage: 'rl', split: 'main', seed: 1, backend: 'cpu', config: {}, totalSteps: 60 });
  updateRun(ws.db, running, { summary: JSON.stringify(RL_SUMMARY) });
  const empty = doneRun('rl', {});
  const broken = doneRun('rl', { ...RL_SUMMARY, valSelected: { step: 24, reward: 2.6, accuracy: 9 } });
  const noStep = doneRun('rl', { ...RL_SUMMARY, selectedStep: undefined });
  const notJson = doneRun('sft', 'not json');
  const { runs } = await handlers()['runs.list']({});
  for (const id of [running, empty, broken, noStep, notJson]) expect(runs.find((r) => r.id === id)!.result).toBeNull();
});

test('migration 4: runs finished before it have the empty summary and no result', async () => {
  const dir = workspaceAtVersion(3, (db) => insertPlainRun(db, { stage: 'rl', status: 'done', step: 60, totalSteps: 60 }));
  const upgraded = openWorkspace(dir);
  try {
    expect(getRun(upgraded.db, 1)!.summary).toBe('{}');
    const { runs } = await trainingHandlers(createContext(upgraded))['runs.list']({});
    expect(runs).toHaveLength(1);
    expect(runs[0].result).toBeNull();
  } finally {
    upgraded.close();
  }
});

test('a stored result is read back through the schema; one that does not fit gives no result', async () => {
  const result = {
    stage: 'rl',
    selectedStep: 24,
    totalSteps: 60,
    valStart: null,
    valSelected: null,
    trainReward: { greedy: { start: 2.7, end: 2.8 }, sampled: { start: null, end: 2.6 } },
    rolloutReward: { firstThird: 2.5, lastThird: 2.6 },
  };
  // the stored result wins over the metrics beside it
  const stored = doneRun('rl', { ...RL_SUMMARY, result });
  const unfit = doneRun('rl', { ...RL_SUMMARY, result: { ...result, selectedStep: -1 } });
  const { runs } = await handlers()['runs.list']({});
  expect(runs.find((r) => r.id === stored)!.result).toEqual(result);
  expect(runs.find((r) => r.id === unfit)!.result).toBeNull();
});
