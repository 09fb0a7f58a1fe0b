/** Facial-R1's per-sample weights (facial-r1-method.md §5.3) and how the GRPO loss applies them. */
import { tf } from '../../pipelines/runtime/backend';
import { grpoLoss, grpoPerTokenLoss, type GrpoLossInput, type GrpoLossType } from '../../pipelines/rl/grpo-loss';
import { facialR1SampleWeights } from '../../pipelines/rl/sample-weights';

describe('facialR1SampleWeights', () => {
  test('inverse AU frequency, normalised; min-max over samples; ×10 with AUs; 0 without', () => {
    // AU1 in 3 samples, AU12 in 1: inverse frequencies 1/3 and 1 → normalised 0.25 and 0.75
    const w = facialR1SampleWeights([{ aus: ['AU1'] }, { aus: ['AU1', 'AU12'] }, { aus: ['AU1'] }, { aus: [] }]);
    // sums 0.25, 1.0, 0.25, 0 → min-max 0.25, 1, 0.25, 0 → ×10 where AUs are present
    expect(Array.from(w)).toEqual([2.5, 10, 2.5, 0]);
  });

  test('duplicate AUs in one sample count once; equal sums keep every sample at the same weight', () => {
    expect(Array.from(facialR1SampleWeights([{ aus: ['AU4', 'AU4'] }, { aus: ['AU4'] }]))).toEqual([10, 10]);
    expect(Array.from(facialR1SampleWeights([{ aus: [] }, { aus: [] }]))).toEqual([1, 1]);
  });
});

describe('grpoLoss with sample weights', () => {
  const logp = [[-0.3, -1.0, -0.2], [-2.0, -0.1, 0]];
  const old = [[-0.6, -0.8, -0.2], [-1.5, -0.1, 0]];
  const ref = [[-0.55, -1.1, -0.3], [-1.8, -0.2, 0]];
  const mask = [[1, 1, 1], [1, 1, 0]];
  const input = (lossType: GrpoLossType, weights: number[] | null): GrpoLossInput => ({
    logp: tf.tensor2d(logp),
    oldLogp: tf.tensor2d(old),
    refLogp: tf.tensor2d(ref),
    mask: tf.tensor2d(mask),
    advantages: tf.tensor1d([1.2, -0.7]),
    beta: 0.04,
    epsLow: 0.2,
    epsHigh: 0.2,
    lossType,
    maxCompletionLength: 3,
    sampleWeights: weights ? tf.tensor1d(weights) : null,
  });
  const value = (lossType: GrpoLossType, weights: number[] | null) => tf.tidy(() => grpoLoss(input(lossType, weights)).dataSync()[0]);

  test.each(['grpo', 'dapo', 'dr_grpo'] as const)('%s: weights of 1 change nothing; each completion scales by its weight over the same token counts', (lossType) => {
    expect(value(lossType, [1, 1])).toBeCloseTo(value(lossType, null), 6);
    const per = tf.tidy(() => tf.mul(grpoPerTokenLoss(input(lossType, null)), tf.tensor2d(mask)).arraySync() as number[][]);
    const rowSum = per.map((r) => r.reduce((a, b) => a + b, 0));
    const counts = mask.map((r) => r.reduce((a, b) => a + b, 0));
    const w = [3, 0.5];
    const expected =
      lossType === 'grpo'
        ? (w[0] * rowSum[0] / counts[0] + w[1] * rowSum[1] / counts[1]) / 2
        : lossType === 'dapo'
          ? (w[0] * rowSum[0] + w[1] * rowSum[1]) / (counts[0] + counts[1])
          : (w[0] * rowSum[0] + w[1] * rowSum[1]) / (2 * 3);
    expect(value(lossType, w)).toBeCloseTo(expected, 5);
  });

  test('a weight of 0 removes a completion from the gradient', () => {
    const lp = tf.variable(tf.tensor2d(logp));
    const grads = tf.tidy(() =>
      tf.grad((x: tf.Tensor) => grpoLoss({ ...input('dapo', [0, 1]), logp: x as tf.Tensor2D }))(lp).arraySync() as number[][],
    );
    expect(grads[0].every((g) => g === 0)).toBe(true);
    expect(grads[1].slice(0, 2).some((g) => g !== 0)).toBe(true);
    lp.dispose();
  });
});
