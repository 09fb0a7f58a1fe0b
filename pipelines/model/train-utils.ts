/** Pieces shared by the SFT and RL trainers: Adam with a settable rate, global-norm clipping, the LR schedule. */
import { tf } from '../runtime/backend';
import type { Policy } from './policy';

export function makeAdam(lr: number): tf.AdamOptimizer {
  return tf.train.adam(lr, 0.9, 0.999, 1e-8);
}

export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = lr;
}

/** Linear warm-up, then cosine decay to `floor`·lr at `total`. */
export function scheduledRate(step: number, total: number, lr: number, warmup: number, floor = 0.1): number {
  if (warmup > 0 && step < warmup) return (lr * (step + 1)) / warmup;
  const t = total > warmup ? Math.min(1, (step - warmup) / (total - warmup)) : 1;
  return lr * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * t)));
}

/**
 * Computes the gradients of `loss` for every policy variable, clips them to a global norm, and applies them.
 * Returns the loss value. Everything it allocates is disposed.
 */
export function applyStep(
  policy: Policy,
  optimizer: tf.Optimizer,
  loss: () => tf.Scalar,
  clipNorm: number,
  vars: tf.Variable[] = policy.variableList(),
): number {
  const { value, grads } = tf.variableGrads(loss, vars);
  try {
    tf.tidy(() => {
      const names = vars.map((v) => v.name);
      let list = names.map((name) => ({ name, tensor: grads[name] }));
      if (clipNorm > 0) {
        const sq = tf.addN(list.map((g) => tf.sum(tf.square(g.tensor))));
        const scale = tf.minimum(1, tf.div(clipNorm, tf.add(tf.sqrt(sq), 1e-6)));
        list = list.map((g) => ({ name: g.name, tensor: tf.mul(g.tensor, scale) }));
      }
      optimizer.applyGradients(list);
    });
    return value.dataSync()[0];
  } finally {
    value.dispose();
    tf.dispose(Object.values(grads));
  }
}

/** Where a run is in its seeded pass over the data; saved in checkpoints so a resumed run draws the same batches. */
export interface EpochCursor {
  epoch: number;
  cursor: number;
  order: number[];
}

/** What every trainer checkpoints besides weights and optimizer slots. */
export interface TrainerState extends EpochCursor {
  step: number;
  totalSteps: number;
  /** The run RNG's internal state. */
  rng: number[];
}

/** The next `size` example indices; when an epoch's order runs out, the next epoch is shuffled with the run's RNG. */
export function nextEpochBatch(s: EpochCursor, size: number, datasetSize: number, rng: { shuffle<T>(items: T[]): T[] }): number[] {
  const n = Math.min(size, datasetSize);
  const out: number[] = [];
  while (out.length < n) {
    if (s.cursor >= s.order.length) {
      s.epoch++;
      s.cursor = 0;
      s.order = rng.shuffle([...Array(datasetSize).keys()]);
    }
    out.push(s.order[s.cursor++]);
  }
  return out;
}
