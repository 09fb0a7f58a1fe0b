/**
 * The residual emotion head and the emotion slot (PolicyConfig.expressionResidual, emotionSlot): the untrained
 * policy answers exactly what the expression net answers, every variable gets a gradient on wasm and cpu, what greedy
 * decoding writes is what teacher forcing scores, and the reasoning's emotion word is the head's choice.
 */
import { initBackend, tf } from '../../pipelines/runtime/backend';
import { DEFAULT_POLICY_SHAPE, EXPRESSION_CLIP, type PolicyConfig } from '../../pipelines/model/config';
import { disposeInputs, expressionStatistics, makeInputs, type FaceSample } from '../../pipelines/model/inputs';
import { Policy, tokenLogProbs } from '../../pipelines/model/policy';
import { teacherBatch } from '../../pipelines/model/sequences';
import { SftTrainer } from '../../pipelines/sft/train-sft';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { savePolicy } from '../../pipelines/model/persist';
import { DEFAULT_RL_CONFIG } from '../../pipelines/rl/config';
import { RlTrainer } from '../../pipelines/rl/train-rl';
import { EMOTIONS, TINY_MODEL, syntheticSamples, tinySftConfig } from '../support/model-fixtures';

const AUS = ['AU1', 'AU4', 'AU6', 'AU12'];
const WORDS = [7, 8, 9, 10];
const BOS = 1;
const EOS = 2;

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
});

/** Features whose first 4 values are the net's probabilities of the 4 emotions (positions 0..3). */
function withProbabilities(samples: FaceSample[]): FaceSample[] {
  return samples.map((s, i) => {
    if (!s.expressionViews) return s;
    const p = [0.1, 0.2, 0.3, 0.4].map((x, k) => (k === i % 4 ? x + 0.5 : x));
    const q = [0.4, 0.3, 0.2, 0.1];
    return {
      ...s,
      expressionViews: s.expressionViews.map((v, k) => ({ ...v, features: Float32Array.from([...(k === 0 ? p : q), v.features[4], v.features[5]]) })),
    };
  });
}

const config = (samples: FaceSample[], over: Partial<PolicyConfig> = {}): PolicyConfig => ({
  ...DEFAULT_POLICY_SHAPE,
  ...TINY_MODEL,
  emotions: EMOTIONS,
  aus: AUS,
  vocabSize: 20,
  emotionTokenIds: WORDS,
  headBias: true,
  expressionPrior: [0, 1, 2, 3],
  expressionNorm: expressionStatistics(samples, TINY_MODEL.expressionDim)!,
  expressionResidual: true,
  emotionSlot: true,
  ...over,
});

test('step 0 is the expression net: the head\'s logits are the log of its probabilities averaged over the stored views', () => {
  const samples = withProbabilities(syntheticSamples(8));
  const c = config(samples);
  const policy = new Policy(c, 3);
  expect(policy.vars.get('aux/emo/res')!.shape).toEqual([TINY_MODEL.expressionDim + 1, EMOTIONS.length]);
  const inputs = makeInputs(c, samples);
  const logits = tf.tidy(() => policy.encode(inputs).emoLogits.arraySync());
  samples.forEach((s, b) => {
    const views = s.expressionViews;
    const want = EMOTIONS.map((_, e) => (views ? Math.log(views.reduce((a, v) => a + v.features[e], 0) / views.length) : 0));
    want.forEach((w, e) => expect(logits[b][e]).toBeCloseTo(w, 5));
  });
  disposeInputs(inputs);
  policy.dispose();
  // without the residual head the prior stays the drawn view's, as models stored before it read it
  const old = makeInputs(config(samples, { expressionResidual: false }), samples);
  const p = old.expressionPrior!.arraySync();
  expect(p[0][0]).toBeCloseTo(Math.log(samples[0].expressionViews![0].features[0]), 5);
  disposeInputs(old);
});

describe.each(['wasm', 'cpu'] as const)('on %s', (backend) => {
  beforeAll(async () => {
    expect(await tf.setBackend(backend)).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  test('every trainable variable gets a finite, non-zero gradient through the residual head and the emotion slot', () => {
    const samples = withProbabilities(syntheticSamples(6));
    const c = config(samples);
    const policy = new Policy(c, 3);
    const inputs = makeInputs(c, samples, { conditioned: true });
    // a word, the emotion word (the slot), more words, the emotion word again (the copy), eos
    const tb = teacherBatch(samples.map((_, i) => [4 + (i % 3), WORDS[i % 4], 5, 6, WORDS[i % 4], EOS]), BOS, 0);
    const target = tf.tensor2d(tb.target, [samples.length, tb.T], 'int32');
    const mask = tf.tensor2d(tb.mask, [samples.length, tb.T]);
    const { value, grads } = tf.variableGrads(() => {
      const out = policy.forward(inputs, tb.input, tb.T);
      const lm = tf.neg(tf.mean(tf.mul(tokenLogProbs(out.logits, target), mask)));
      return tf.add(lm, tf.add(tf.mean(tf.square(out.emoLogits)), tf.mean(tf.square(out.auLogits)))) as tf.Scalar;
    }, policy.variableList());
    for (const [name, v] of policy.vars) {
      const g = grads[v.name]?.dataSync();
      expect([name, g !== undefined]).toEqual([name, true]);
      expect([name, g!.every(Number.isFinite)]).toEqual([name, true]);
      expect([name, g!.some((x) => x !== 0)]).toEqual([name, true]);
    }
    tf.dispose([value, target, mask, ...Object.values(grads)]);
    disposeInputs(inputs);
    policy.dispose();
  });
});

test('decoding is consistent: teacher forcing scores the greedy text as generated, the first emotion word is the head\'s argmax and the later ones repeat it', () => {
  const samples = withProbabilities(syntheticSamples(8));
  const c = config(samples, { expressionClip: EXPRESSION_CLIP });
  const policy = new Policy(c, 5);
  // so that the emotion words come early, whatever the untrained text prefers
  const out = policy.vars.get('out/b')!;
  out.assign(tf.tensor1d(Array.from({ length: c.vocabSize }, (_, v) => (WORDS.includes(v) ? 200 : v === EOS ? 3 : 0))));
  const inputs = makeInputs(c, samples);
  const g = policy.generate(inputs, { temperature: 0, bosId: BOS, eosId: EOS, maxNew: 10 });
  const T = Math.max(...g.ids.map((x) => x.length));
  const tb = teacherBatch(g.ids, BOS, 0, T);
  const forced = tf.tidy(() => policy.forward(inputs, tb.input, T).logits.arraySync());
  g.ids.forEach((ids, b) => {
    ids.forEach((id, t) => {
      const row = forced[b][t];
      expect(row.indexOf(Math.max(...row))).toBe(id);
    });
    const first = ids.find((id) => WORDS.includes(id));
    expect(first).toBeDefined();
    // every later emotion word (the answer) repeats the first
    expect(ids.filter((id) => WORDS.includes(id)).every((id) => id === first)).toBe(true);
    expect(ids.filter((id) => WORDS.includes(id)).length).toBeGreaterThan(1);
    const head = g.emotionProbs[b];
    expect(WORDS.indexOf(first!)).toBe(head.indexOf(Math.max(...head)));
    // at the slot, the emotion words' probabilities are in the head's proportions
    const t = ids.indexOf(first!);
    const row = forced[b][t];
    const words = WORDS.map((w) => Math.exp(row[w]));
    const sum = words.reduce((a, x) => a + x, 0);
    words.forEach((w, e) => expect(w / sum).toBeCloseTo(head[e], 4));
  });
  disposeInputs(inputs);
  policy.dispose();
});

test('SFT builds the residual head where the policy reads the prior: no prior mass for an emotion the training part lacks, trained with decay', () => {
  const samples = withProbabilities(syntheticSamples(16)).map((s) => (s.emotion === EMOTIONS[3] ? { ...s, emotion: EMOTIONS[0] } : s));
  const tr = SftTrainer.create(samples, EMOTIONS, tinySftConfig({ steps: 2, model: { ...TINY_MODEL, expressionPrior: [0, 1, 2, 3] } }));
  expect(tr.policy.config.expressionResidual).toBe(true);
  expect(tr.policy.config.emotionSlot).toBe(true);
  expect(tr.policy.config.expressionPrior).toEqual([0, 1, 2, -1]);
  expect(Number.isFinite(tr.trainStep().loss)).toBe(true);
  tr.dispose();
  const off = SftTrainer.create(samples, EMOTIONS, tinySftConfig({ steps: 1, priorResidual: false, model: { ...TINY_MODEL, expressionPrior: [0, 1, 2, 3] } }));
  expect(off.policy.config.expressionResidual).toBeUndefined();
  expect(off.policy.config.emotionSlot).toBeUndefined();
  expect(off.policy.vars.has('aux/emo/res')).toBe(false);
  off.dispose();
  // nor on images alone (no record analysed): such runs start and train exactly as before the head existed
  const bare = samples.map((s) => ({ ...s, expressionViews: null }));
  const plain = SftTrainer.create(bare, EMOTIONS, tinySftConfig({ steps: 1, model: { ...TINY_MODEL, expressionPrior: [0, 1, 2, 3] } }));
  const before = SftTrainer.create(bare, EMOTIONS, tinySftConfig({ steps: 1, priorResidual: false, model: { ...TINY_MODEL, expressionPrior: [0, 1, 2, 3] } }));
  expect(plain.policy.config).toEqual(before.policy.config);
  for (const [name, v] of plain.policy.vars) expect([name, v.dataSync()]).toEqual([name, before.policy.v(name).dataSync()]);
  expect(plain.trainStep().loss).toBe(before.trainStep().loss);
  plain.dispose();
  before.dispose();
});

test("RL leaves the residual head's pooled-pixel weights where SFT's head fit put them when told (trainPixelEmotion false); without the residual head they are the head and RL trains them", async () => {
  const samples = withProbabilities(syntheticSamples(16));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-rl-pixels-'));
  const rlConfig = { ...DEFAULT_RL_CONFIG, steps: 1, promptsPerStep: 2, groupSize: 4, lr: 1e-2, evalEvery: 0 };
  try {
    for (const priorResidual of [true, false]) {
      const sft = SftTrainer.create(samples, EMOTIONS, tinySftConfig({ steps: 1, priorResidual, model: { ...TINY_MODEL, expressionPrior: [0, 1, 2, 3] } }));
      sft.trainStep();
      const parent = path.join(dir, `sft-${priorResidual}`);
      await savePolicy(parent, sft.policy, sft.tokenizer);
      sft.dispose();
      for (const trainPixelEmotion of [false, true]) {
        const rl = await RlTrainer.create(parent, samples, { ...rlConfig, trainPixelEmotion });
        const pixels = rl.policy.v('aux/emo/w');
        const before = Array.from(pixels.dataSync());
        const updated = rl.trainable().includes(pixels);
        expect([priorResidual, trainPixelEmotion, updated]).toEqual([priorResidual, trainPixelEmotion, !priorResidual || trainPixelEmotion]);
        rl.trainStep();
        if (!updated) expect(Array.from(pixels.dataSync())).toEqual(before);
        // the rest of the head still learns from the rewards
        expect(rl.trainable()).toContain(rl.policy.v('aux/emo/b'));
        rl.dispose();
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
