/** training-engines.md §1.6 test vectors, on the cpu and wasm backends. */
import '@tensorflow/tfjs-backend-wasm';
import { tf } from '../../pipelines/runtime/backend';
import { groupAdvantages, grpoLoss, grpoStats, k3, type GrpoLossInput, type GrpoLossType, type GrpoStats } from '../../pipelines/rl/grpo-loss';
import { tokenLogProbs } from '../../pipelines/model/policy';

const LOGP = [[-0.3, -1.0, -0.2], [-2.0, -0.1], [-0.3, -0.3, -0.3, -0.3], [-1.0]];
const OLD = [[-0.6, -0.8, -0.2], [-1.5, -0.1], [-0.3, -0.3, -0.3, -0.3], [-1.2]];
const REF = [[-0.55, -1.1, -0.3], [-1.8, -0.2], [-0.3, -0.4, -0.2, -0.3], [-0.9]];
const REWARDS = [1, 0, 1, 0].map((acc, i) => acc + [1, 1, 0, 0][i]);
const L = 4;

const pad = (rows: number[][]): number[][] => rows.map((r) => [...r, ...new Array(L - r.length).fill(0)]);
const MASK = LOGP.map((r) => [...r.map(() => 1), ...new Array(L - r.length).fill(0)]);
const unpad = (flat: ArrayLike<number>): number[][] => LOGP.map((r, i) => Array.from(flat).slice(i * L, i * L + r.length));

const A_TRL = [1.22459489, 0, 0, -1.22459489];
const A_VERL = [1.22474337, 0, 0, -1.22474337];
const A_DR = [1, 0, 0, -1];

/** |actual − expected| within the printed precision of the reference value plus float32 relative error. */
function expectClose(actual: number, expected: number, decimals: number): void {
  const tol = 0.5 * 10 ** -decimals + 2e-6 * Math.abs(expected) + 1e-7;
  if (!(Math.abs(actual - expected) <= tol)) throw new Error(`expected ${expected} (±${tol}), got ${actual}`);
}
function expectRowsClose(actual: number[][], expected: number[][], decimals: number): void {
  expect(actual.map((r) => r.length)).toEqual(expected.map((r) => r.length));
  actual.forEach((row, i) => row.forEach((v, j) => expectClose(v, expected[i][j], decimals)));
}

describe('groupAdvantages (float64)', () => {
  test('reward r = r_acc + r_fmt = [2, 1, 1, 0]', () => expect(REWARDS).toEqual([2, 1, 1, 0]));
  test('TRL ε_std = 1e-4 (default)', () => groupAdvantages(REWARDS, 4).forEach((a, i) => expectClose(a, A_TRL[i], 8)));
  test('verl/EasyR1 ε_std = 1e-6', () => groupAdvantages(REWARDS, 4, { stdEps: 1e-6 }).forEach((a, i) => expectClose(a, A_VERL[i], 8)));
  test('Dr.GRPO: no std', () => expect(groupAdvantages(REWARDS, 4, { scale: 'none' })).toEqual(A_DR));
  test('groups are normalised separately; a constant group gets 0', () => {
    const a = groupAdvantages([2, 1, 1, 0, 3, 3, 3, 3], 4);
    a.slice(0, 4).forEach((v, i) => expectClose(v, A_TRL[i], 8));
    expect(a.slice(4)).toEqual([0, 0, 0, 0]);
  });
  test('bad shapes are rejected', () => {
    expect(() => groupAdvantages([1, 2, 3], 2)).toThrow(/multiple/);
    expect(() => groupAdvantages([1], 1)).toThrow(/≥ 2/);
  });
});

describe.each(['cpu', 'wasm'])('GRPO loss on the %s backend', (backend) => {
  beforeAll(async () => {
    expect(await tf.setBackend(backend)).toBe(true);
    await tf.ready();
  });

  function inputs(logp: tf.Tensor2D, advantages: number[], lossType: GrpoLossType): GrpoLossInput {
    return {
      logp,
      oldLogp: tf.tensor2d(pad(OLD)),
      refLogp: tf.tensor2d(pad(REF)),
      mask: tf.tensor2d(MASK),
      advantages: tf.tensor1d(advantages),
      beta: 0.04,
      epsLow: 0.2,
      epsHigh: 0.2,
      lossType,
      maxCompletionLength: L,
    };
  }

  test('runs on the requested backend', () => expect(tf.getBackend()).toBe(backend));

  test('ρ and k3', () => {
    tf.tidy(() => {
      const logp = tf.tensor2d(pad(LOGP));
      const rho = unpad(tf.exp(tf.sub(logp, tf.tensor2d(pad(OLD)))).dataSync());
      expectRowsClose(rho, [[1.349859, 0.818731, 1.0], [0.606531, 1.0], [1, 1, 1, 1], [1.221403]], 6);
      const kl = unpad(k3(logp, tf.tensor2d(pad(REF))).dataSync());
      expectRowsClose(kl, [[0.028801, 0.004837, 0.004837], [0.021403, 0.004837], [0, 0.004837, 0.005171, 0], [0.005171]], 6);
    });
  });

  const LOSSES: [string, number[], Record<GrpoLossType, number>][] = [
    ['TRL A', A_TRL, { grpo: 0.06620689, dapo: -0.21978029, dr_grpo: -0.13736268 }],
    ['verl A', A_VERL, { grpo: 0.06621488, dapo: -0.21980697, dr_grpo: -0.13737936 }],
    ['Dr.GRPO A', A_DR, { grpo: 0.05412598, dapo: -0.17941322, dr_grpo: -0.11213326 }],
  ];
  test.each(LOSSES)('three aggregations with %s', (_name, advantages, expected) => {
    for (const lossType of ['grpo', 'dapo', 'dr_grpo'] as const) {
      const value = tf.tidy(() => grpoLoss(inputs(tf.tensor2d(pad(LOGP)), advantages, lossType)).dataSync()[0]);
      expectClose(value, expected[lossType], 8);
    }
  });

  test('losses from advantages computed by groupAdvantages', () => {
    const a = groupAdvantages(REWARDS, 4);
    const value = tf.tidy(() => grpoLoss(inputs(tf.tensor2d(pad(LOGP)), a, 'dapo')).dataSync()[0]);
    expectClose(value, -0.21978029, 8);
  });

  test('∂loss_dapo/∂logπθ (TRL A), zero on padding', () => {
    const grads = tf.tidy(() => {
      const constants = inputs(tf.tensor2d(pad(LOGP)), A_TRL, 'dapo');
      const g = tf.grad((logp: tf.Tensor) => grpoLoss({ ...constants, logp: logp as tf.Tensor2D }));
      return Array.from(g(tf.tensor2d(pad(LOGP))).dataSync());
    });
    expectRowsClose(unpad(grads), [[0.0008848, -0.0998807, -0.12207884], [-0.00088561, 0.00038065], [0, 0.00038065, -0.00042068, 0], [0.14915167]], 7);
    MASK.flat().forEach((m, i) => {
      if (m === 0) expect(Math.abs(grads[i])).toBe(0);
    });
  });

  test('asymmetric clip (ε_high 0.4): seq0 token 0 is no longer clipped and its policy gradient flows', () => {
    const g0 = tf.tidy(() => {
      const constants = { ...inputs(tf.tensor2d(pad(LOGP)), A_TRL, 'dapo'), epsHigh: 0.4 };
      const g = tf.grad((logp: tf.Tensor) => grpoLoss({ ...constants, logp: logp as tf.Tensor2D }));
      return g(tf.tensor2d(pad(LOGP))).dataSync()[0];
    });
    const rho = Math.exp(-0.3 - -0.6);
    const klGrad = 0.04 * (1 - Math.exp(-0.55 - -0.3));
    expectClose(g0, (-A_TRL[0] * rho + klGrad) / 10, 7);
  });

  test('stats: clip fraction and KL mean', () => {
    let stats!: GrpoStats;
    tf.tidy(() => {
      stats = grpoStats(inputs(tf.tensor2d(pad(LOGP)), A_TRL, 'dapo'));
    });
    // Only seq0 token 0 (ρ 1.35 > 1.2, A > 0) is clipped: 1 of 10 tokens. seq1 token 0 (ρ 0.61) has A = 0.
    expectClose(stats.clipFraction, 0.1, 7);
    expectClose(stats.highClipFraction, 0.1, 7);
    expect(stats.lowClipFraction).toBe(0);
    const klSum = 0.028801 + 0.004837 * 4 + 0.021403 + 0.005171 * 2;
    expectClose(stats.klMean, klSum / 10, 6);
  });

  test('beta = 0 needs no reference', () => {
    const value = tf.tidy(() => {
      const i = inputs(tf.tensor2d(pad(LOGP)), A_TRL, 'dapo');
      return grpoLoss({ ...i, beta: 0, refLogp: null }).dataSync()[0];
    });
    expect(Number.isFinite(value)).toBe(true);
  });

  test('tokenLogProbs = sum(oneHot · logSoftmax) and its gradient is oneHot − softmax', () => {
    tf.tidy(() => {
      const logits = tf.tensor3d([[[1, 2, 3], [0, 0, 0]], [[-1, 0.5, 2], [3, -2, 1]]]);
      const targets = tf.tensor2d([[2, 0], [1, 0]], undefined, 'int32');
      const lp = tokenLogProbs(logits, targets);
      const ls = tf.logSoftmax(logits).arraySync() as number[][][];
      const expected = [[ls[0][0][2], ls[0][1][0]], [ls[1][0][1], ls[1][1][0]]];
      (lp.arraySync() as number[][]).forEach((row, i) => row.forEach((v, j) => expectClose(v, expected[i][j], 6)));
      const g = tf.grad((x: tf.Tensor) => tf.sum(tokenLogProbs(x as tf.Tensor3D, targets)))(logits);
      const want = tf.sub(tf.oneHot(targets, 3), tf.softmax(logits));
      Array.from(g.dataSync()).forEach((v, i) => expectClose(v, want.dataSync()[i], 6));
    });
  });

  test('live tensor count stays flat across many loss + gradient steps', () => {
    const B = 4;
    const V = 6;
    const W = tf.variable(tf.randomNormal([V, V], 0, 0.1, 'float32', 1), true, `grpo-test-W-${backend}`);
    const optimizer = tf.train.adam(1e-2);
    const targets = tf.tensor2d([[1, 2, 3, 0], [4, 5, 0, 0], [2, 2, 2, 2], [3, 0, 0, 0]], undefined, 'int32');
    const inputsOneHot = tf.oneHot(tf.tensor2d([[0, 1, 2, 3], [3, 4, 5, 0], [1, 2, 2, 2], [5, 0, 0, 0]], undefined, 'int32'), V);
    const policyLogp = () => tf.tidy(() => {
      const logits = tf.reshape(tf.matMul(tf.reshape(inputsOneHot, [B * L, V]), W), [B, L, V]) as tf.Tensor3D;
      return tokenLogProbs(logits, targets);
    });
    const constants = {
      oldLogp: tf.tidy(policyLogp),
      refLogp: tf.tidy(policyLogp),
      mask: tf.tensor2d(MASK),
      advantages: tf.tensor1d(A_TRL),
      beta: 0.04, epsLow: 0.2, epsHigh: 0.2, lossType: 'dapo' as const, maxCompletionLength: L,
    };
    const step = () => {
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => grpoLoss({ ...constants, logp: policyLogp() }), [W]);
        optimizer.applyGradients(grads as unknown as Parameters<typeof optimizer.applyGradients>[0]);
        value.dataSync();
        grpoStats({ ...constants, logp: policyLogp() });
      });
      tf.tidy(() => {
        optimizer.minimize(() => grpoLoss({ ...constants, logp: policyLogp() }), false, [W]);
      });
    };
    step(); // optimizer slots are created on the first step
    const before = tf.memory().numTensors;
    for (let i = 0; i < 40; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    // the policy moved (gradients really flow through oneHot · logSoftmax · matMul)
    const moved = tf.tidy(() => tf.max(tf.abs(tf.sub(policyLogp(), constants.oldLogp))).dataSync()[0]);
    expect(moved).toBeGreaterThan(1e-3);
    optimizer.dispose();
    tf.dispose([W, targets, inputsOneHot, constants.oldLogp, constants.refLogp, constants.mask, constants.advantages]);
  });
});
