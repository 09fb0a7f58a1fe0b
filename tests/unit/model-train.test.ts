/** WASM-trainability, flat tensor counts, exact resume, and one GRPO step, on a tiny policy. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend, tf } from '../../pipelines/runtime/backend';
import { DEFAULT_POLICY_SHAPE, type PolicyConfig } from '../../pipelines/model/config';
import { Policy } from '../../pipelines/model/policy';
import { savePolicy } from '../../pipelines/model/persist';
import { SftTrainer } from '../../pipelines/sft/train-sft';
import { DEFAULT_RL_CONFIG } from '../../pipelines/rl/config';
import { betterValScore } from '../../pipelines/rl/selection';
import { RlTrainer } from '../../pipelines/rl/train-rl';
import { EMOTIONS, TINY_MODEL, lossGradients, syntheticSamples, tinySftConfig } from '../support/model-fixtures';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'fea-model-train-'));

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
});

describe.each(['window', 'transformer'] as const)('%s decoder on wasm', (decoder) => {
  test('every variable gets a finite, non-zero gradient from LM + auxiliary losses', () => {
    const samples = syntheticSamples(6);
    const heads = decoder === 'window' ? { emotionTokenIds: [7, 8, 9, 10], headBias: true } : {};
    const config: PolicyConfig = { ...DEFAULT_POLICY_SHAPE, ...TINY_MODEL, decoder, emotions: EMOTIONS, aus: ['AU1', 'AU4', 'AU6', 'AU12'], vocabSize: 20, ...heads };
    const policy = new Policy(config, 3);
    for (const data of lossGradients(policy, config, samples).values()) {
      expect(data).toBeDefined();
      expect(data!.every(Number.isFinite)).toBe(true);
      // the condition weights see non-zero inputs because the samples are conditioned
      expect(data!.some((x) => x !== 0)).toBe(true);
    }
    policy.dispose();
  });
});

test('SFT: live tensors stay flat across steps, and the LM loss falls', () => {
  const tr = SftTrainer.create(syntheticSamples(32), EMOTIONS, tinySftConfig({ steps: 14, lr: 1e-2 }));
  const losses: number[] = [];
  let atK = 0;
  for (let i = 0; i < 14; i++) {
    losses.push(tr.trainStep().lmLoss);
    if (i === 3) atK = tf.memory().numTensors;
  }
  expect(tf.memory().numTensors).toBe(atK);
  const first = (losses[0] + losses[1]) / 2;
  const last = (losses[12] + losses[13]) / 2;
  expect(last).toBeLessThan(first * 0.7);
  tr.dispose();
});

test('SFT stops early after `patience` validations without a lower validation loss, and not while it improves', () => {
  // lr 0: the validation loss can never fall below the first validation's
  const flat = SftTrainer.create(syntheticSamples(32), EMOTIONS, tinySftConfig({ steps: 20, lr: 0, evalEvery: 1, patience: 2 }));
  const valLosses: number[] = [];
  while (!flat.done) valLosses.push(flat.trainStep().valLoss);
  expect(flat.state).toMatchObject({ earlyStopped: true, step: 3, badEvals: 2 });
  expect(valLosses.every(Number.isFinite)).toBe(true);
  flat.dispose();

  const learning = SftTrainer.create(syntheticSamples(32), EMOTIONS, tinySftConfig({ steps: 8, lr: 1e-2, evalEvery: 2, patience: 2 }));
  while (!learning.done) learning.trainStep();
  expect(learning.state.earlyStopped).toBe(false);
  expect(learning.state.step).toBe(8);
  learning.dispose();
});

test('resumed SFT training gives the same weights and losses as uninterrupted training', async () => {
  const samples = syntheticSamples(32);
  const cfg = tinySftConfig({ steps: 6 });
  const straight = SftTrainer.create(samples, EMOTIONS, cfg);
  const straightLosses = Array.from({ length: 6 }, () => straight.trainStep().loss);

  const first = SftTrainer.create(samples, EMOTIONS, cfg);
  const resumedLosses = Array.from({ length: 3 }, () => first.trainStep().loss);
  const dir = path.join(tmp(), 'ckpt');
  await first.checkpoint(dir);
  first.dispose();
  const second = await SftTrainer.resume(dir, samples, cfg);
  expect(second.state.step).toBe(3);
  while (!second.done) resumedLosses.push(second.trainStep().loss);
  for (let i = 0; i < 6; i++) expect(resumedLosses[i]).toBeCloseTo(straightLosses[i], 5);
  for (const [name, v] of straight.policy.vars) {
    const a = v.dataSync();
    const b = second.policy.v(name).dataSync();
    let maxDiff = 0;
    for (let k = 0; k < a.length; k++) maxDiff = Math.max(maxDiff, Math.abs(a[k] - b[k]));
    expect(maxDiff).toBeLessThan(1e-5);
  }
  straight.dispose();
  second.dispose();
});

test('GRPO: one step samples G completions per image, reports rewards/KL/clip, keeps tensors flat, resumes exactly', async () => {
  const samples = syntheticSamples(16);
  const sft = SftTrainer.create(samples, EMOTIONS, tinySftConfig({ steps: 4 }));
  for (let i = 0; i < 4; i++) sft.trainStep();
  const parent = path.join(tmp(), 'sft');
  await savePolicy(parent, sft.policy, sft.tokenizer);
  sft.dispose();
  const cfg = { ...DEFAULT_RL_CONFIG, steps: 4, promptsPerStep: 2, groupSize: 4, updatesPerRollout: 2, lr: 1e-3 };
  const rl = await RlTrainer.create(parent, samples, cfg);
  const m1 = rl.trainStep();
  const tensorsAfter1 = tf.memory().numTensors;
  const m2 = rl.trainStep();
  expect(tf.memory().numTensors).toBe(tensorsAfter1);
  for (const m of [m1, m2]) {
    for (const k of ['loss', 'reward', 'rewardFormat', 'rewardAccuracy', 'rewardAU', 'kl', 'clipFraction', 'tokensPerSec', 'rolloutsPerSec']) {
      expect(Number.isFinite(m[k])).toBe(true);
    }
    expect(m.kl).toBeGreaterThanOrEqual(0);
    expect(m.clipFraction).toBeGreaterThanOrEqual(0);
  }
  const dir = path.join(tmp(), 'rl-ckpt');
  await rl.checkpoint(dir);
  const m3 = rl.trainStep();
  const resumed = await RlTrainer.resume(dir, parent, samples, cfg);
  const r3 = resumed.trainStep();
  expect(r3.reward).toBe(m3.reward);
  expect(r3.loss).toBeCloseTo(m3.loss, 5);
  rl.dispose();
  resumed.dispose();
});

test('RL selection: a step that loses held-out accuracy never beats one that keeps it; then reward decides', () => {
  const start = { step: 0, reward: 2, accuracy: 0.8 };
  const keeps = { step: 2, reward: 2.1, accuracy: 0.8 };
  const loses = { step: 4, reward: 2.5, accuracy: 0.7 };
  expect(betterValScore(keeps, null, start)).toBe(true);
  expect(betterValScore(loses, keeps, start)).toBe(false);
  expect(betterValScore(keeps, loses, start)).toBe(true);
  expect(betterValScore({ ...keeps, step: 6, reward: 2.2 }, keeps, start)).toBe(true);
  expect(betterValScore({ ...loses, step: 6, accuracy: 0.75 }, loses, start)).toBe(true);
});

test('RL holds out a subject slice, validates on it, and ends on the best validated step, also after resume', async () => {
  const samples = syntheticSamples(24);
  const sft = SftTrainer.create(samples, EMOTIONS, tinySftConfig({ steps: 4 }));
  for (let i = 0; i < 4; i++) sft.trainStep();
  const parent = path.join(tmp(), 'sft');
  await savePolicy(parent, sft.policy, sft.tokenizer);
  sft.dispose();
  const cfg = { ...DEFAULT_RL_CONFIG, steps: 4, promptsPerStep: 2, groupSize: 4, lr: 3e-3, valFraction: 0.25, evalEvery: 1 };
  const rl = await RlTrainer.create(parent, samples, cfg);
  const valSubjects = new Set(rl.val.map((s) => s.subject));
  expect(rl.val.length).toBeGreaterThan(0);
  expect(rl.train.some((s) => valSubjects.has(s.subject))).toBe(false);
  expect(rl.state.valStart).toMatchObject({ step: 0 });
  rl.trainStep();
  rl.trainStep();
  const dir = path.join(tmp(), 'rl-ckpt');
  await rl.checkpoint(dir);
  const resumed = await RlTrainer.resume(dir, parent, samples, cfg);
  for (const t of [rl, resumed]) {
    const seen: number[] = [];
    while (!t.done) seen.push(t.trainStep().valReward);
    expect(seen.every(Number.isFinite)).toBe(true);
    const best = t.state.valBest!;
    expect(best.step).toBeGreaterThan(0);
    expect(t.selectResult()).toBe(best.step);
    const again = t.validate();
    expect(again.reward).toBeCloseTo(best.reward, 5);
    expect(again.accuracy).toBeCloseTo(best.accuracy, 5);
  }
  expect(resumed.state.valBest).toEqual(rl.state.valBest);
  rl.dispose();
  resumed.dispose();
});
