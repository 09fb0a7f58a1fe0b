/**
 * The policy's expression inputs: the feature vector's layout and mirror, how a batch carries it, a gradient for
 * every variable on wasm and cpu, the class-balanced loss weights, and models saved before the input existed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expressionViewsFromBlob } from '../../db/repositories/analysis';
import { initBackend, tf } from '../../pipelines/runtime/backend';
import { DEFAULT_POLICY_SHAPE, EXPRESSION_CLIP, validateConfig, type PolicyConfig } from '../../pipelines/model/config';
import { disposeInputs, expressionStatistics, makeInputs, type FaceSample } from '../../pipelines/model/inputs';
import { Policy } from '../../pipelines/model/policy';
import { loadPolicy, savePolicy } from '../../pipelines/model/persist';
import { Rng } from '../../pipelines/model/rng';
import { classWeights, SftTrainer } from '../../pipelines/sft/train-sft';
import { WordTokenizer } from '../../pipelines/tokenizer';
import {
  decodeExpressionFeatures,
  encodeExpressionFeatures,
  EXPRESSION_FEATURE_DIM,
  EXPRESSION_NET_CLASSES,
  expressionPriorPositions,
  GEOMETRY_DIM,
  landmarkGeometry,
  MIRROR_68,
  mirrorGeometry,
  mirrorLandmarks,
  PENULTIMATE_DIM,
} from '../../pipelines/vision/expression-features';
import type { Pt } from '../../pipelines/vision/geometry';
import { EMOTIONS, TINY_MODEL, lossGradients, syntheticSamples, tinySftConfig } from '../support/model-fixtures';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'fea-expr-inputs-'));
const AUS = ['AU1', 'AU4', 'AU6', 'AU12'];

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
});

/** A face-like set of 68 points: jaw, brows, nose, eyes and mouth where they belong, the head rolled by `roll`. */
function landmarks(roll = 0.1): Pt[] {
  const pts: Pt[] = [];
  for (let i = 0; i < 17; i++) pts.push([20 + 60 * (i / 16), 60 + 30 * Math.sin((Math.PI * i) / 16)]);
  for (let i = 0; i < 10; i++) pts.push([25 + 5.5 * i + (i >= 5 ? 4 : 0), 35 - 3 * Math.sin((Math.PI * (i % 5)) / 4)]);
  for (let i = 0; i < 4; i++) pts.push([50, 42 + 6 * i]);
  for (let i = 0; i < 5; i++) pts.push([42 + 4 * i, 66 - (i === 2 ? 1 : 0)]);
  const eye = (cx: number): Pt[] => [0, 1, 2, 3, 4, 5].map((k): Pt => [cx + 6 * Math.cos((Math.PI * k) / 3 + Math.PI), 45 + 2.5 * Math.sin((Math.PI * k) / 3)]);
  pts.push(...eye(35), ...eye(65));
  for (let i = 0; i < 12; i++) pts.push([50 + 14 * Math.cos(Math.PI - (2 * Math.PI * i) / 12), 78 + 5 * Math.sin((2 * Math.PI * i) / 12 + 0.3)]);
  for (let i = 0; i < 8; i++) pts.push([50 + 9 * Math.cos(Math.PI - (2 * Math.PI * i) / 8), 78 + 2 * Math.sin((2 * Math.PI * i) / 8)]);
  const c = Math.cos(roll);
  const s = Math.sin(roll);
  return pts.map(([x, y]): Pt => [50 + (x - 50) * c - (y - 50) * s, 50 + (x - 50) * s + (y - 50) * c]);
}

describe('the expression feature vector', () => {
  test('the policy reads as many values as analysis writes: penultimate 256 | probabilities 7 | geometry 136', () => {
    expect(EXPRESSION_FEATURE_DIM).toBe(PENULTIMATE_DIM + EXPRESSION_NET_CLASSES.length + GEOMETRY_DIM);
    expect(DEFAULT_POLICY_SHAPE.expressionDim).toBe(EXPRESSION_FEATURE_DIM);
  });

  test('decodes into exactly the parts it was encoded from; a vector of another length is refused', () => {
    const parts = {
      penultimate: Float32Array.from({ length: PENULTIMATE_DIM }, (_, i) => i / 7),
      probabilities: Float32Array.from({ length: 7 }, (_, i) => (i + 1) / 28),
      geometry: landmarkGeometry(landmarks()),
    };
    const v = encodeExpressionFeatures(parts);
    expect(v).toHaveLength(EXPRESSION_FEATURE_DIM);
    expect(decodeExpressionFeatures(v)).toEqual(parts);
    expect(() => decodeExpressionFeatures(v.slice(1))).toThrow(/398 values, expected 399/);
    expect(() => encodeExpressionFeatures({ ...parts, geometry: new Float32Array(10) })).toThrow(/expected 256\/7\/136/);
  });

  test('the geometry is in eye units, free of roll and position: the eyes sit at (∓0.5, 0)', () => {
    const g = landmarkGeometry(landmarks(0.3));
    const h = landmarkGeometry(landmarks(-0.2).map(([x, y]): Pt => [3 * x + 40, 3 * y - 7]));
    for (let i = 0; i < GEOMETRY_DIM; i++) expect(g[i]).toBeCloseTo(h[i], 4);
    const eyeX = (from: number) => [0, 1, 2, 3, 4, 5].reduce((a, k) => a + g[2 * (from + k)], 0) / 6;
    expect(eyeX(36)).toBeCloseTo(-0.5, 5);
    expect(eyeX(42)).toBeCloseTo(0.5, 5);
    expect(landmarkGeometry(landmarks().slice(0, 10))).toEqual(new Float32Array(GEOMETRY_DIM));
  });

  test('the mirror swaps the face sides: an involution on the 68 points, and the geometry of the mirrored face is the mirrored geometry', () => {
    MIRROR_68.forEach((j, i) => expect(MIRROR_68[j]).toBe(i));
    expect([MIRROR_68[36], MIRROR_68[48], MIRROR_68[0], MIRROR_68[17], MIRROR_68[30], MIRROR_68[57]]).toEqual([45, 54, 16, 26, 30, 57]);
    const lm = landmarks(0.15);
    const flipped = mirrorLandmarks(lm, 100);
    mirrorLandmarks(flipped, 100).forEach(([x, y], i) => {
      expect(x).toBeCloseTo(lm[i][0], 9);
      expect(y).toBe(lm[i][1]);
    });
    const g = landmarkGeometry(lm);
    const gf = landmarkGeometry(flipped);
    const mg = mirrorGeometry(g);
    for (let i = 0; i < GEOMETRY_DIM; i++) expect(gf[i]).toBeCloseTo(mg[i], 4);
    // the right mouth corner of the mirrored face is the left one of the face, on the other side
    expect(gf[2 * 54]).toBeCloseTo(-g[2 * 48], 4);
    expect(gf[2 * 54 + 1]).toBeCloseTo(g[2 * 48 + 1], 4);
  });

  test('a stored BLOB cuts into whole views; a torn or non-finite one is an error naming the image', () => {
    const views = [Float32Array.from([1, 2, 3]), Float32Array.from([-1, 0.5, 7])];
    const blob = Buffer.alloc(24);
    [...views[0], ...views[1]].forEach((x, i) => blob.writeFloatLE(x, i * 4));
    expect(expressionViewsFromBlob(blob, 3, 9)).toEqual(views);
    expect(expressionViewsFromBlob(null, 3, 9)).toBeNull();
    expect(expressionViewsFromBlob(blob, 0, 9)).toBeNull();
    expect(() => expressionViewsFromBlob(blob.subarray(0, 20), 3, 9)).toThrow(/image 9: 20 bytes are not whole views of 3 float32 values/);
    const bad = Buffer.from(blob);
    bad.writeFloatLE(Number.NaN, 16);
    expect(() => expressionViewsFromBlob(bad, 3, 9)).toThrow(/image 9: view 1 holds a value that is not finite/);
  });
});

const config = (over: Partial<PolicyConfig> = {}): PolicyConfig => ({
  ...DEFAULT_POLICY_SHAPE,
  ...TINY_MODEL,
  emotions: EMOTIONS,
  aus: AUS,
  vocabSize: 20,
  emotionTokenIds: [7, 8, 9, 10],
  headBias: true,
  expressionPrior: [0, 1, 2, -1],
  ...over,
});

describe('a batch of expression inputs', () => {
  test('standardised with the training statistics the config holds, then the flag; zeros and flag 0 without features', () => {
    const samples = syntheticSamples(4);
    const stats = expressionStatistics(samples, TINY_MODEL.expressionDim)!;
    const c = config({ expressionNorm: stats, expressionDecodeViews: 1 });
    const inputs = makeInputs(c, samples);
    const x = inputs.expression!.arraySync();
    samples.forEach((s, b) => {
      const F = TINY_MODEL.expressionDim;
      if (s.expressionViews) {
        for (let i = 0; i < F; i++) expect(x[b][i]).toBeCloseTo((s.expressionViews[0].features[i] - stats.mean[i]) / stats.std[i], 5);
        expect(x[b][F]).toBe(1);
      } else expect(x[b]).toEqual(new Array(F + 1).fill(0));
    });
    disposeInputs(inputs);
    const analysed = samples.filter((s) => s.expressionViews);
    const mean0 = analysed.reduce((a, s) => a + s.expressionViews![0].features[0], 0) / analysed.length;
    expect(stats.mean[0]).toBeCloseTo(mean0, 5);
    expect(expressionStatistics(samples.map((s) => ({ ...s, expressionViews: null })), 6)).toBeNull();
  });

  test('clipped to ±expressionClip: a unit silent on the training part cannot read 10⁵ deviations on a new face; unclipped without it', () => {
    const samples = syntheticSamples(8).filter((s) => s.expressionViews);
    const stats = expressionStatistics(samples, TINY_MODEL.expressionDim)!;
    const odd = { ...samples[0], expressionViews: [{ features: samples[0].expressionViews![0].features.map((v, i) => (i === 2 ? stats.mean[2] + 1e5 * stats.std[2] : v)), flipped: false }] };
    const read = (over: Partial<PolicyConfig>) => {
      const inputs = makeInputs(config({ expressionNorm: stats, ...over }), [odd]);
      const x = inputs.expression!.arraySync()[0];
      disposeInputs(inputs);
      return x;
    };
    expect(read({ expressionClip: 8 })[2]).toBe(8);
    expect(read({})[2]).toBeCloseTo(1e5, -1);
    expect(read({ expressionClip: 8 }).slice(3)).toEqual(read({}).slice(3));
    const tr = SftTrainer.create(syntheticSamples(16), EMOTIONS, tinySftConfig({ steps: 1 }));
    expect(tr.policy.config.expressionClip).toBe(EXPRESSION_CLIP);
    tr.dispose();
  });

  test('a flipped view mirrors the pixels with its features; a view of the wrong length is refused by record', () => {
    const [s] = syntheticSamples(1);
    const S = TINY_MODEL.imageSize;
    for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) s.pixels[y * S + x] = x / S;
    const plain = makeInputs(config(), [s]);
    const mirrored = makeInputs(config(), [{ ...s, expressionViews: [{ ...s.expressionViews![1], flipped: true }] }]);
    const a = plain.images.arraySync()[0];
    const b = mirrored.images.arraySync()[0];
    for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) expect(b[y * S + x]).toBeCloseTo(a[y * S + (S - 1 - x)], 6);
    expect(mirrored.expression!.arraySync()[0].slice(0, 6)).toEqual(Array.from(s.expressionViews![1].features));
    disposeInputs(plain);
    disposeInputs(mirrored);
    expect(() => makeInputs(config(), [{ ...s, expressionViews: [{ features: new Float32Array(5), flipped: false }] }])).toThrow(/sample r0000: 5 expression feature values, expected 6/);
  });

  test('with expressionDecodeViews un-augmented inputs read the mean of the first views (new models: 2); augmentation and singleView one view', () => {
    const [s] = syntheticSamples(1);
    const views = [0, 1, 2].map((k) => ({ features: Float32Array.from({ length: TINY_MODEL.expressionDim }, (_, i) => k * 10 + i), flipped: k === 1 }));
    const face = { ...s, expressionViews: views };
    const read = (over: Partial<PolicyConfig>, options = {}) => {
      const inputs = makeInputs(config(over), [face], options);
      const x = inputs.expression!.arraySync()[0];
      disposeInputs(inputs);
      return x.slice(0, TINY_MODEL.expressionDim);
    };
    const view = (k: number) => Array.from(views[k].features);
    const close = (got: number[], want: number[]) => want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 4));
    expect(read({ expressionDecodeViews: 1 })).toEqual(view(0));
    // new models: the face and its mirror
    close(read({}), view(0).map((v, i) => (v + view(1)[i]) / 2));
    // more than are stored: all of them
    close(read({ expressionDecodeViews: 5 }), view(0).map((v, i) => (v + view(1)[i] + view(2)[i]) / 3));
    expect(read({ expressionDecodeViews: 2 }, { singleView: true })).toEqual(view(0));
    const drawn = read({ expressionDecodeViews: 2 }, { augment: true, rng: new Rng(3) });
    expect([view(0), view(1), view(2)]).toContainEqual(drawn);
    expect(() => validateConfig(config({ expressionDecodeViews: 0 }))).toThrow(/expressionDecodeViews 0/);
  });

  test('augmentation draws among the views: both the face and its mirror are seen', () => {
    const samples = syntheticSamples(3).filter((s) => s.expressionViews);
    const seen = new Set<number>();
    const rng = new Rng(5);
    for (let k = 0; k < 12; k++) {
      const inputs = makeInputs(config(), samples, { augment: true, rng });
      const x = inputs.expression!.arraySync();
      x.forEach((row, b) => seen.add(row[0] === samples[b].expressionViews![0].features[0] ? 0 : 1));
      disposeInputs(inputs);
    }
    expect([...seen].sort()).toEqual([0, 1]);
  });
});

describe.each(['wasm', 'cpu'] as const)('on %s', (backend) => {
  beforeAll(async () => {
    expect(await tf.setBackend(backend)).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  test.each(['window', 'transformer'] as const)('%s decoder: every trainable variable gets a finite, non-zero gradient with expression inputs', (decoder) => {
    const samples = syntheticSamples(6);
    const heads = decoder === 'window' ? {} : { emotionTokenIds: [], headBias: false };
    const c = config({ decoder, expressionNorm: expressionStatistics(samples, 6)!, ...heads });
    const policy = new Policy(c, 3);
    expect(policy.vars.get('enc/expr/w')!.shape).toEqual([7, TINY_MODEL.featDim]);
    expect(policy.vars.get('aux/emo/prior')!.shape).toEqual([1]);
    for (const [name, data] of lossGradients(policy, c, samples)) {
      expect([name, data !== undefined]).toEqual([name, true]);
      expect(data!.every(Number.isFinite)).toBe(true);
      expect([name, data!.some((x) => x !== 0)]).toEqual([name, true]);
    }
    policy.dispose();
  });
});

test('the expression prior: log p of each emotion from the drawn view, floored; zeros without features; positions of face-api classes', () => {
  const samples = syntheticSamples(4);
  const inputs = makeInputs(config(), samples);
  const p = inputs.expressionPrior!.arraySync();
  samples.forEach((s, b) => {
    if (!s.expressionViews) return expect(p[b]).toEqual([0, 0, 0, 0]);
    const f = s.expressionViews[0].features;
    [0, 1, 2].forEach((i) => expect(p[b][i]).toBeCloseTo(Math.log(Math.max(f[i], 1e-4)), 5));
    expect(p[b][3]).toBeCloseTo(Math.log(1e-4), 5);
  });
  disposeInputs(inputs);
  expect(expressionPriorPositions(['anger', 'contempt', 'happiness', 'neutral'])).toEqual([256 + 3, -1, 256 + 1, 256]);
  expect(() => new Policy(config({ expressionPrior: [0, 1] }), 1)).toThrow(/expressionPrior names 2 positions below 6, expected one per emotion \(4\)/);
});

describe('class-balanced loss and models from before expression features', () => {
  test('each emotion of the training part weighs n / classes in total, whatever its count', () => {
    const samples = syntheticSamples(20).map((s, i) => ({ ...s, emotion: i < 12 ? 'anger' : i < 18 ? 'fear' : 'disgust' }));
    const w = classWeights(samples);
    expect(Object.fromEntries(w)).toEqual({ anger: 20 / 36, fear: 20 / 18, disgust: 20 / 6 });
    for (const [e, weight] of w) expect(weight * samples.filter((s) => s.emotion === e).length).toBeCloseTo(20 / 3, 10);
  });

  test('SFT keeps the training statistics in the model config and trains with balanced and unbalanced losses', () => {
    for (const classBalance of ['loss', 'none'] as const) {
      const tr = SftTrainer.create(syntheticSamples(16), EMOTIONS, tinySftConfig({ steps: 2, classBalance }));
      expect(tr.policy.config.expressionDim).toBe(6);
      expect(tr.policy.config.expressionNorm?.mean).toHaveLength(6);
      const m = tr.trainStep();
      expect(Number.isFinite(m.loss)).toBe(true);
      tr.dispose();
    }
  });

  test('a model saved without expressionDim loads and decodes as before; one whose weights lack the input is refused by name', async () => {
    const tokenizer = WordTokenizer.build(['<think>The brows are lowered (AU4).</think><answer>anger</answer>'], { emotions: EMOTIONS });
    const old: PolicyConfig = config({ vocabSize: tokenizer.vocabSize, emotionTokenIds: EMOTIONS.map((e) => tokenizer.tokenToId(e)) });
    delete old.expressionDim;
    delete old.expressionPrior;
    const policy = new Policy(old, 4);
    expect(policy.vars.has('enc/expr/w')).toBe(false);
    const dir = tmp();
    await savePolicy(dir, policy, tokenizer);
    const samples: FaceSample[] = syntheticSamples(3);
    const decode = (p: Policy) => {
      const inputs = makeInputs(p.config, samples);
      expect(inputs.expression).toBeUndefined();
      try {
        return p.generate(inputs, { temperature: 0, bosId: tokenizer.bosId, eosId: tokenizer.eosId, maxNew: 12 }).ids;
      } finally {
        disposeInputs(inputs);
      }
    };
    const before = decode(policy);
    const loaded = await loadPolicy(dir, false);
    expect(loaded.policy.config.expressionDim).toBeUndefined();
    expect(decode(loaded.policy)).toEqual(before);
    loaded.policy.dispose();
    policy.dispose();
    // the same weights under a config that reads expression features
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    json.modelTopology.config.expressionDim = 6;
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
    await expect(loadPolicy(dir, false)).rejects.toThrow(/weights lack enc\/expr\/w: saved before expression features/);
  });
});
