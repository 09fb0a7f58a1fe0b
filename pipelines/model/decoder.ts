/**
 * What a decoder block is to the policy (policy.ts): it reads the encoder's output, gives teacher-forced logits,
 * and decodes one position at a time; `Policy.generate` runs the loop with the token-picking helpers here, the
 * same for every decoder (window-decoder.ts, transformer-decoder.ts).
 */
import { tf } from '../runtime/backend';
import type { Rng } from './rng';

/** The encoder's output (Policy.encode): pooled features and the heads' logits, what every decoder reads. */
export interface EncodeOutput {
  feat: tf.Tensor2D;
  emoLogits: tf.Tensor2D;
  auLogits: tf.Tensor2D;
}

export interface GenerateOptions {
  bosId: number;
  eosId: number;
  /** 0 = greedy; otherwise samples with `rng`. */
  temperature: number;
  rng?: Rng;
  maxNew?: number;
}

/** One autoregressive decode: the next position's logits [B, V] (the caller frees them), the tokens picked, the end. */
export interface Decoding {
  nextLogits(step: number): tf.Tensor2D;
  append(next: Int32Array, step: number): void;
  end(): void;
}

/** A decoder block: teacher-forced logits, and decoding; `start` runs in a scope and keeps (tf.keep) what it holds on to. */
export interface Decoder {
  logits(enc: EncodeOutput, conditions: tf.Tensor2D, ids: Int32Array, B: number, T: number): tf.Tensor3D;
  start(enc: EncodeOutput, conditions: tf.Tensor2D, bosId: number): Decoding;
}

/** Runs `f` in a scope that frees the tensors it makes except those it keeps (tf.keep); returns what `f` returns. */
export function scoped<T>(f: () => T): T {
  tf.engine().startScope();
  try {
    return f();
  } finally {
    tf.engine().endScope();
  }
}

/** Per sequence, the heads' emotion and AU probabilities ([B, E] and [B, A], freed here). */
export function headProbabilities(emo: tf.Tensor2D, au: tf.Tensor2D): { emotionProbs: Float32Array[]; auProbs: Float32Array[] } {
  const [B, E] = emo.shape;
  const A = au.shape[1];
  const emoData = emo.dataSync() as Float32Array;
  const auData = au.dataSync() as Float32Array;
  const emotionProbs = Array.from({ length: B }, (_, i) => emoData.slice(i * E, (i + 1) * E));
  const auProbs = Array.from({ length: B }, (_, i) => auData.slice(i * A, (i + 1) * A));
  tf.dispose([emo, au]);
  return { emotionProbs, auProbs };
}

/** What the next token is picked from: the logits (greedy) or the probabilities at `temperature`. */
export function tokenValues(logits: tf.Tensor2D, temperature: number): Float32Array {
  if (temperature <= 0) return logits.dataSync() as Float32Array;
  const probs = tf.tidy(() => tf.softmax(tf.div(logits, temperature)));
  const values = probs.dataSync() as Float32Array;
  probs.dispose();
  return values;
}

/**
 * The next token of each sequence from `values` [B·V]: the argmax when greedy, else a draw from `rng`. Finished
 * sequences get eos and nothing more in `out`; a sequence that picks eos is done.
 */
export function pickTokens(values: Float32Array, V: number, done: boolean[], out: number[][], opts: GenerateOptions): Int32Array {
  const next = new Int32Array(done.length);
  for (let b = 0; b < done.length; b++) {
    if (done[b]) {
      next[b] = opts.eosId;
      continue;
    }
    let id = 0;
    if (opts.temperature > 0) id = opts.rng!.categorical(values, b * V, V);
    else for (let j = 1; j < V; j++) if (values[b * V + j] > values[b * V + id]) id = j;
    out[b].push(id);
    next[b] = id;
    if (id === opts.eosId) done[b] = true;
  }
  return next;
}
