/**
 * The emotion head's closing fit (pipelines/sft/head-fit.ts): where the frozen features say more than the expression
 * net's answer, the solved head reads them (chosen by cross-validation over subjects) and decoding's head is that fit;
 * where they say nothing more, the head is exactly the net's answer again; without the residual head nothing moves.
 */
import { initBackend, tf } from '../../pipelines/runtime/backend';
import { DEFAULT_POLICY_SHAPE, type PolicyConfig } from '../../pipelines/model/config';
import { disposeInputs, expressionStatistics, makeInputs, type FaceSample } from '../../pipelines/model/inputs';
import { Policy } from '../../pipelines/model/policy';
import { Rng } from '../../pipelines/model/rng';
import { chooseL2, fitEmotionHead } from '../../pipelines/sft/head-fit';
import { SftTrainer } from '../../pipelines/sft/train-sft';
import { EMOTIONS, TINY_MODEL, syntheticSamples, tinySftConfig } from '../support/model-fixtures';

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
});

/**
 * Features [net's probabilities of the 4 emotions | a 2-d code of the emotion]: the net names `netSays(true class)`
 * with 0.55; the code is the class's corner of a square plus noise (`codeNoise` large: it says nothing).
 */
function faces(n: number, netSays: (k: number) => number, codeNoise: number, seed: number): FaceSample[] {
  const rng = new Rng(seed);
  return syntheticSamples(n, seed).map((s, i) => {
    const k = i % EMOTIONS.length;
    const probs = EMOTIONS.map((_, e) => (e === netSays(k) ? 0.55 : 0.15));
    const code = [k & 1 ? 1 : -1, k & 2 ? 1 : -1].map((c) => c + codeNoise * rng.normal());
    const features = Float32Array.from([...probs, ...code]);
    return { ...s, emotion: EMOTIONS[k], expressionViews: [{ features, flipped: false }] };
  });
}

function policyFor(samples: FaceSample[], over: Partial<PolicyConfig> = {}): Policy {
  return new Policy(
    {
      ...DEFAULT_POLICY_SHAPE,
      ...TINY_MODEL,
      emotions: EMOTIONS,
      aus: ['AU6', 'AU12'],
      vocabSize: 20,
      expressionPrior: [0, 1, 2, 3],
      expressionNorm: expressionStatistics(samples, TINY_MODEL.expressionDim)!,
      expressionResidual: true,
      ...over,
    },
    5,
  );
}

function answers(policy: Policy, samples: FaceSample[]): { argmax: string[]; logits: number[][] } {
  const inputs = makeInputs(policy.config, samples);
  try {
    const logits = tf.tidy(() => policy.encode(inputs).emoLogits.arraySync());
    return { logits, argmax: logits.map((row) => EMOTIONS[row.indexOf(Math.max(...row))]) };
  } finally {
    disposeInputs(inputs);
  }
}

test('where the features know better than the net, the fitted head reads them, on faces it never saw', () => {
  const wrong = (k: number) => (k + 1) % EMOTIONS.length;
  const train = faces(80, wrong, 0.15, 1);
  const test = faces(24, wrong, 0.15, 2);
  const policy = policyFor(train);
  const before = answers(policy, test).argmax;
  expect(before.filter((e, i) => e === test[i].emotion)).toHaveLength(0);

  const report = fitEmotionHead(policy, train, 1)!;
  expect(report).toMatchObject({ kept: 'fit', samples: 80, folds: 5, priorCvAccuracy: 0 });
  expect(report.cvAccuracy).toBeGreaterThan(0.9);
  const after = answers(policy, test).argmax;
  expect(after.filter((e, i) => e === test[i].emotion).length).toBeGreaterThanOrEqual(22);
  // the pooled pixel path left the head
  expect(Math.max(...policy.v('aux/emo/w').dataSync().map(Math.abs))).toBe(0);
  policy.dispose();
});

test('where the features add nothing, the head is exactly the net\'s answer again', () => {
  const train = faces(80, (k) => k, 3, 3);
  const policy = policyFor(train);
  // a head SGD moved away from the net
  tf.tidy(() => policy.v('aux/emo/b').assign(tf.tensor1d([2, 0, 0, 0])));
  const report = fitEmotionHead(policy, train, 1)!;
  expect(report.kept).toBe('prior');
  expect(report.priorCvAccuracy).toBe(1);
  const { logits } = answers(policy, train);
  train.forEach((s, b) => EMOTIONS.forEach((_, e) => expect(logits[b][e]).toBeCloseTo(Math.log(s.expressionViews![0].features[e]), 5)));
  policy.dispose();
});

test('without the residual head, or with too few subjects to choose by, the head is left as trained', () => {
  const train = faces(40, (k) => k, 0.1, 4);
  const plain = policyFor(train, { expressionResidual: false });
  expect(fitEmotionHead(plain, train, 1)).toBeNull();
  plain.dispose();
  const fewSubjects = train.map((s, i) => ({ ...s, subject: `s${i % 3}` }));
  const policy = policyFor(fewSubjects);
  const b = policy.v('aux/emo/b').dataSync().slice();
  expect(fitEmotionHead(policy, fewSubjects, 1)).toBeNull();
  expect(policy.v('aux/emo/b').dataSync()).toEqual(b);
  policy.dispose();
});

test('SFT solves the head before its first step and then trains everything else, the head left as solved', () => {
  const wrong = (k: number) => (k + 1) % EMOTIONS.length;
  const samples = faces(48, wrong, 0.15, 5);
  const model = { ...TINY_MODEL, expressionPrior: [0, 1, 2, 3] };
  const tr = SftTrainer.create(samples, EMOTIONS, tinySftConfig({ steps: 2, model }));
  expect(tr.state.headFit).toMatchObject({ kept: 'fit' });
  const head = ['aux/emo/prior', 'aux/emo/res', 'aux/emo/b', 'aux/emo/w'].map((n) => [n, tr.policy.v(n).dataSync().slice()] as const);
  const patch = tr.policy.v('enc/patch/w').dataSync().slice();
  tr.trainStep();
  tr.trainStep();
  for (const [name, values] of head) expect([name, tr.policy.v(name).dataSync()]).toEqual([name, values]);
  expect(tr.policy.v('enc/patch/w').dataSync()).not.toEqual(patch);
  tr.dispose();
  // off, the head trains with the rest as before
  const off = SftTrainer.create(samples, EMOTIONS, tinySftConfig({ steps: 1, headFit: false, model }));
  expect(off.state.headFit).toBeUndefined();
  const b = off.policy.v('aux/emo/res').dataSync().slice();
  off.trainStep();
  expect(off.policy.v('aux/emo/res').dataSync()).not.toEqual(b);
  off.dispose();
});

test('samples with an emotion but no reasoning join the head fit only, and only while headFitEmotionOnly is on', () => {
  const wrong = (k: number) => (k + 1) % EMOTIONS.length;
  const samples = faces(48, wrong, 0.15, 5);
  // 16 records the synthesis found no AU for: a label without a text (the worker passes them with reasoning '')
  const emotionOnly = faces(16, wrong, 0.15, 9).map((s, i) => ({ ...s, recordId: `weak-${i}`, reasoning: '', aus: [] }));
  const model = { ...TINY_MODEL, expressionPrior: [0, 1, 2, 3] };
  const on = SftTrainer.create([...samples, ...emotionOnly], EMOTIONS, tinySftConfig({ steps: 1, model }));
  expect(on.state.headFit).toMatchObject({ kept: 'fit', samples: 64, emotionOnly: 16 });
  expect([...on.train, ...on.val].some((s) => s.recordId.startsWith('weak-'))).toBe(false);
  on.dispose();
  const off = SftTrainer.create([...samples, ...emotionOnly], EMOTIONS, tinySftConfig({ steps: 1, headFitEmotionOnly: false, model }));
  expect(off.state.headFit).toMatchObject({ samples: 48, emotionOnly: 0 });
  off.dispose();
});

test('L2 is the one with the lowest cross-validated log-loss, not the one that happened to get a face more right', () => {
  // CK+-like (one split, 744 samples): accuracies a face or two apart, the log-loss with one minimum
  const ck = [
    { l2: 0.01, accuracy: 0.9539, logLoss: 0.1742 },
    { l2: 0.1, accuracy: 0.9566, logLoss: 0.1558 },
    { l2: 1, accuracy: 0.9566, logLoss: 0.168 },
    { l2: 100, accuracy: 0.9458, logLoss: 0.1752 },
  ];
  expect(chooseL2(ck).l2).toBe(0.1);
  // the most accurate is not the choice where its probabilities are worse
  expect(chooseL2([{ l2: 0.1, accuracy: 0.6, logLoss: 1.2 }, { l2: 1, accuracy: 0.59, logLoss: 1.1 }]).l2).toBe(1);
});

test('with headFitViews every stored view is a row, so a feature the views vary stops standing in for the emotion', () => {
  // [a wrong net's probabilities | a noisy 1-d code of the emotion | z]: on view 0 z is the emotion itself, cleaner
  // than the code; the second view (as a mirror swaps sides) negates it, and on new faces it is unrelated to the emotion
  const rng = new Rng(11);
  const wrong = (k: number) => (k + 1) % EMOTIONS.length;
  const face = (s: FaceSample, i: number, z: (k: number) => number, views: number): FaceSample => {
    const k = i % EMOTIONS.length;
    const probs = EMOTIONS.map((_, e) => (e === wrong(k) ? 0.55 : 0.15));
    const code = k - 1.5 + 0.3 * rng.normal();
    const zk = z(k);
    const view = (sign: number, flipped: boolean) => ({ features: Float32Array.from([...probs, code, sign * zk]), flipped });
    return { ...s, emotion: EMOTIONS[k], expressionViews: [view(1, false), view(-1, true)].slice(0, views) };
  };
  const train = syntheticSamples(96, 12).map((s, i) => face(s, i, (k) => k - 1.5, 2));
  const test = syntheticSamples(40, 13).map((s, i) => face(s, i, () => 3 * rng.normal(), 1));
  const scored = (views: boolean) => {
    const policy = policyFor(train);
    const report = fitEmotionHead(policy, train, 1, () => 1, { views })!;
    const right = answers(policy, test).argmax.filter((e, i) => e === test[i].emotion).length;
    policy.dispose();
    return { report, right };
  };
  const viewZero = scored(false);
  expect(viewZero.report).toMatchObject({ kept: 'fit', samples: 96 });
  expect(viewZero.report.rows).toBeUndefined();
  // view 0 alone leans on z: right on the training part, a share of new faces wrong
  expect(viewZero.right).toBeLessThanOrEqual(34);
  const everyView = scored(true);
  expect(everyView.report).toMatchObject({ kept: 'fit', samples: 96, rows: 192 });
  expect(everyView.right).toBeGreaterThanOrEqual(38);
});

test('with expressionDecodeViews the fit is scored, and the policy decodes, on the mean of the face and its mirror', () => {
  // [a net that says nothing | a 1-d code of the emotion]: each view adds its own noise to the code, and the
  // mirror's noise is the face's negated, so their mean is the clean code
  const rng = new Rng(21);
  const face = (s: FaceSample, i: number): FaceSample => {
    const k = i % EMOTIONS.length;
    const probs = EMOTIONS.map(() => 0.25);
    const noise = 2 * rng.normal();
    const view = (sign: number, flipped: boolean) => ({ features: Float32Array.from([...probs, k - 1.5 + sign * noise, 0]), flipped });
    return { ...s, emotion: EMOTIONS[k], expressionViews: [view(1, false), view(-1, true)] };
  };
  const train = syntheticSamples(96, 22).map(face);
  const test = syntheticSamples(40, 23).map(face);
  const scored = (decodeViews: number) => {
    const policy = policyFor(train, { expressionDecodeViews: decodeViews });
    const report = fitEmotionHead(policy, train, 1, () => 1, { views: true })!;
    const right = answers(policy, test).argmax.filter((e, i) => e === test[i].emotion).length;
    policy.dispose();
    return { report, right };
  };
  const single = scored(1);
  const mean = scored(2);
  // the same rows are solved on either way: one per stored view
  expect(single.report).toMatchObject({ kept: 'fit', rows: 192, samples: 96 });
  expect(mean.report).toMatchObject({ kept: 'fit', rows: 192, samples: 96 });
  expect(mean.report.cvAccuracy).toBeGreaterThan(single.report.cvAccuracy + 0.1);
  expect(single.right).toBeLessThanOrEqual(34);
  expect(mean.right).toBeGreaterThanOrEqual(38);
});
