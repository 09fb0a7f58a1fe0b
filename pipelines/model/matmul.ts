/**
 * matMul whose gradient uses explicit transposes. The WASM backend's BatchMatMul is fast only without
 * transposeA/transposeB (those take a slow strided path, 5–20× slower), and tf.matMul's built-in gradient
 * uses exactly those flags for dA = dy·Bᵀ and dB = Aᵀ·dy.
 */
import { tf } from '../runtime/backend';

function swapLast(t: tf.Tensor): tf.Tensor {
  const r = t.rank;
  if (r === 2) return tf.transpose(t);
  const perm = [...Array(r).keys()];
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return tf.transpose(t, perm);
}

const fastMatMul = tf.customGrad(((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved;
      return [tf.matMul(dy, swapLast(sb)), tf.matMul(swapLast(sa), dy)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/** a·b (2-D, or batched 3-D with equal batch sizes), with transposes done explicitly. */
export function mm<T extends tf.Tensor>(a: T, b: tf.Tensor, transposeB = false): T {
  return fastMatMul(a, transposeB ? swapLast(b) : b) as T;
}
