/** Teacher-forcing layout: input = [bos, t0 … t(n−2)], target = [t0 … t(n−1)], mask over real tokens. */
import { tf } from '../runtime/backend';

export interface TeacherBatch {
  T: number;
  input: Int32Array;
  target: Int32Array;
  mask: Float32Array;
  tokens: number;
}

/** `seqs` are generated/target token ids (eos included when present); `length` pads to a fixed T when given. */
export function teacherBatch(seqs: number[][], bosId: number, padId: number, length?: number): TeacherBatch {
  const T = Math.max(1, length ?? Math.max(1, ...seqs.map((s) => s.length)));
  const B = seqs.length;
  const input = new Int32Array(B * T).fill(padId);
  const target = new Int32Array(B * T).fill(padId);
  const mask = new Float32Array(B * T);
  let tokens = 0;
  seqs.forEach((s, b) => {
    const n = Math.min(s.length, T);
    input[b * T] = bosId;
    for (let i = 0; i < n; i++) {
      if (i > 0) input[b * T + i] = s[i - 1];
      target[b * T + i] = s[i];
      mask[b * T + i] = 1;
    }
    tokens += n;
  });
  return { T, input, target, mask, tokens };
}

export function teacherTensors(tb: TeacherBatch, B: number): { input: tf.Tensor2D; target: tf.Tensor2D; mask: tf.Tensor2D } {
  return {
    input: tf.tensor2d(tb.input, [B, tb.T], 'int32'),
    target: tf.tensor2d(tb.target, [B, tb.T], 'int32'),
    mask: tf.tensor2d(tb.mask, [B, tb.T], 'float32'),
  };
}
