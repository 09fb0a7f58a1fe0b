import { tf } from '../runtime/backend';
import { type PolicyConfig, conditionWidth } from './config';
import type { Decoder, Decoding, EncodeOutput } from './decoder';
import { mm } from './matmul';
import { type AddVariable, type GetVariable, he, lecun } from './variables';

type WindowContext = { h: tf.Tensor2D; bias: tf.Tensor2D | null; slot: tf.Tensor2D | null };

/** The emotion words of config.emotionTokenIds that the vocabulary has: their emotions' indices and token ids. */
function emotionWords(c: PolicyConfig): { emotion: number; id: number }[] {
  return (c.emotionTokenIds ?? []).flatMap((id, emotion) => (id >= 0 && id < c.vocabSize ? [{ emotion, id }] : []));
}

/**
 * The window decoder: a causal MLP over the last `window` token embeddings, the bag of tokens so far, the
 * position and the image context (+ the heads' bias on the logits). Dense 2-D matMuls only.
 */
export class WindowDecoder implements Decoder {
  constructor(
    private readonly c: PolicyConfig,
    add: AddVariable,
    private readonly v: GetVariable,
  ) {
    const E = c.emotions.length;
    const A = c.aus.length;
    const ctxIn = c.featDim + E + Math.max(A, 1) + conditionWidth(c);
    const fanIn = c.window * c.embDim + c.vocabSize + c.maxLen + ctxIn;
    add('tok/emb', [c.vocabSize, c.embDim], 1);
    add('win/w1/win', [c.window * c.embDim, c.hidden], he(fanIn) * 1.4);
    add('win/w1/hist', [c.vocabSize, c.hidden], he(fanIn));
    add('win/w1/pos', [c.maxLen, c.hidden], he(fanIn));
    add('win/w1/ctx', [ctxIn, c.hidden], he(fanIn) * 1.4);
    add('win/b1', [c.hidden], 'zeros');
    add('win/w2', [c.hidden, c.hidden], he(c.hidden) * 0.5);
    add('win/b2', [c.hidden], 'zeros');
    add('out/w', [c.hidden, c.vocabSize], lecun(c.hidden));
    add('out/b', [c.vocabSize], 'zeros');
    if (c.emotionTokenIds?.length) add('win/emo-copy', [1], 'ones');
    if (c.headBias) {
      add('win/head-bias/emo', [E, c.vocabSize], 'zeros');
      add('win/head-bias/au', [Math.max(A, 1), c.vocabSize], 'zeros');
    }
  }

  logits(enc: EncodeOutput, conditions: tf.Tensor2D, ids: Int32Array, B: number, T: number): tf.Tensor3D {
    return this.windowLogits(this.context(enc, conditions), ids, B, T, 0).reshape([B, T, this.c.vocabSize]) as tf.Tensor3D;
  }

  start(enc: EncodeOutput, conditions: tf.Tensor2D, bosId: number): Decoding {
    const ctx = this.context(enc, conditions);
    tf.keep(ctx.h);
    if (ctx.bias) tf.keep(ctx.bias);
    if (ctx.slot) tf.keep(ctx.slot);
    // every sequence's tokens so far, bos first (finished ones go on with eos)
    const rows = Array.from({ length: enc.feat.shape[0] }, () => [bosId]);
    return {
      nextLogits: (step) => {
        const len = step + 1;
        const ids = new Int32Array(rows.length * len);
        rows.forEach((r, b) => ids.set(r, b * len));
        return tf.tidy(() => this.windowLogits(ctx, ids, rows.length, 1, step));
      },
      append: (next) => rows.forEach((r, b) => r.push(next[b])),
      end: () => tf.dispose([ctx.h, ...(ctx.bias ? [ctx.bias] : []), ...(ctx.slot ? [ctx.slot] : [])]),
    };
  }

  /** [B, H]: the image context's contribution to the first layer, and the heads' bias on the logits. */
  private context(enc: EncodeOutput, conditions: tf.Tensor2D): WindowContext {
    const c = this.c;
    const ctx = tf.concat([enc.feat, tf.softmax(enc.emoLogits), tf.sigmoid(enc.auLogits), conditions], 1);
    const h = tf.add(mm(ctx, this.v('win/w1/ctx')), this.v('win/b1')) as tf.Tensor2D;
    const terms: tf.Tensor2D[] = [];
    const logp = tf.logSoftmax(enc.emoLogits) as tf.Tensor2D;
    if (c.emotionTokenIds?.length) {
      // [E, V] scatter of the emotions onto their token ids: a constant, so the bias is a plain matMul
      const scatter = new Float32Array(c.emotions.length * c.vocabSize);
      c.emotionTokenIds.forEach((id, e) => {
        if (id >= 0 && id < c.vocabSize) scatter[e * c.vocabSize + id] = 1;
      });
      terms.push(tf.mul(mm(logp, tf.tensor2d(scatter, [c.emotions.length, c.vocabSize])), this.v('win/emo-copy')) as tf.Tensor2D);
    }
    if (c.headBias) {
      terms.push(mm(logp, this.v('win/head-bias/emo')), mm(enc.auLogits, this.v('win/head-bias/au')));
    }
    const bias = terms.length === 0 ? null : terms.length === 1 ? terms[0] : (tf.addN(terms) as tf.Tensor2D);
    const words = emotionWords(c);
    let slot: tf.Tensor2D | null = null;
    if (c.emotionSlot && words.length > 0) {
      // [E, W] selection of the emotions that have a word: a constant, so the slot's log-probs are a plain matMul
      const pick = new Float32Array(c.emotions.length * words.length);
      words.forEach((w, k) => (pick[w.emotion * words.length + k] = 1));
      slot = mm(logp, tf.tensor2d(pick, [c.emotions.length, words.length]));
    }
    return { h, bias, slot };
  }

  /**
   * Window-decoder logits [B·t, V] for positions start..start+t−1 of sequences whose tokens so far are `ids`
   * ([B·rowLen] row-major with rowLen = start + t, bos first).
   */
  private windowLogits(ctx: WindowContext, ids: Int32Array, B: number, t: number, start: number, padId = 0): tf.Tensor2D {
    const ctxH = ctx.h;
    const c = this.c;
    const K = c.window;
    const V = c.vocabSize;
    const rowLen = start + t;
    const N = B * t;
    const win = new Int32Array(N * K);
    const hist = new Float32Array(N * V);
    const pos = new Int32Array(N);
    for (let b = 0; b < B; b++) {
      const row = b * rowLen;
      const seen = new Uint8Array(V);
      for (let i = 0; i < start; i++) seen[ids[row + i]] = 1;
      for (let i = start; i < rowLen; i++) {
        const n = b * t + (i - start);
        seen[ids[row + i]] = 1;
        hist.set(seen, n * V);
        pos[n] = Math.min(i, c.maxLen - 1);
        for (let k = 0; k < K; k++) win[n * K + k] = i - k >= 0 ? ids[row + i - k] : padId;
      }
    }
    const H = c.hidden;
    const winEmb = mm(tf.oneHot(tf.tensor1d(win, 'int32'), V).toFloat(), this.v('tok/emb')).reshape([N, K * c.embDim]);
    const pre = tf.addN([
      mm(winEmb, this.v('win/w1/win')),
      mm(tf.tensor2d(hist, [N, V]), this.v('win/w1/hist')),
      mm(tf.oneHot(tf.tensor1d(pos, 'int32'), c.maxLen).toFloat(), this.v('win/w1/pos')),
    ]);
    const h1 = tf.relu(tf.add(pre.reshape([B, t, H]), ctxH.reshape([B, 1, H]))).reshape([N, H]);
    const h2 = tf.add(tf.relu(tf.add(mm(h1, this.v('win/w2')), this.v('win/b2'))), h1);
    let logits = tf.add(mm(h2, this.v('out/w')), this.v('out/b')) as tf.Tensor2D;
    if (ctx.bias) logits = tf.add(logits.reshape([B, t, V]), ctx.bias.reshape([B, 1, V])).reshape([N, V]) as tf.Tensor2D;
    return ctx.slot ? this.emotionSlot(logits, ctx.slot, ids, B, t, start) : logits;
  }

  /**
   * PolicyConfig.emotionSlot: the emotion words' logits become log Σ exp(those logits) + a choice among them: the
   * head's log-probabilities where no emotion word has been written yet, and after one, that word again (the others
   * at −1e4), so the answer names the emotion the reasoning named. The choice depends only on the ids so far, the
   * same in teacher forcing and in decoding; dense matMuls with constant scatter matrices and a logSumExp.
   */
  private emotionSlot(logits: tf.Tensor2D, slot: tf.Tensor2D, ids: Int32Array, B: number, t: number, start: number): tf.Tensor2D {
    const c = this.c;
    const V = c.vocabSize;
    const words = emotionWords(c);
    const W = words.length;
    const N = B * t;
    const rowLen = start + t;
    const wordOf = new Int32Array(V).fill(-1);
    words.forEach((w, k) => (wordOf[w.id] = k));
    const open = new Float32Array(N);
    const copy = new Float32Array(N * W);
    for (let b = 0; b < B; b++) {
      let last = -1;
      for (let i = 0; i < start; i++) if (wordOf[ids[b * rowLen + i]] >= 0) last = wordOf[ids[b * rowLen + i]];
      for (let i = start; i < rowLen; i++) {
        if (wordOf[ids[b * rowLen + i]] >= 0) last = wordOf[ids[b * rowLen + i]];
        const n = b * t + (i - start);
        if (last < 0) open[n] = 1;
        else for (let k = 0; k < W; k++) copy[n * W + k] = k === last ? 0 : -1e4;
      }
    }
    const scatter = new Float32Array(W * V);
    const gather = new Float32Array(V * W);
    words.forEach((w, k) => {
      scatter[k * V + w.id] = 1;
      gather[w.id * W + k] = 1;
    });
    const own = mm(logits, tf.tensor2d(gather, [V, W]));
    const mass = tf.logSumExp(own, 1, true);
    const head = tf.mul(tf.add(mass.reshape([B, t, 1]), slot.reshape([B, 1, W])).reshape([N, W]), tf.tensor2d(open, [N, 1]));
    const copied = tf.mul(tf.add(mass, tf.tensor2d(copy, [N, W])), tf.sub(1, tf.tensor2d(open, [N, 1])));
    const change = mm(tf.sub(tf.add(head, copied), own), tf.tensor2d(scatter, [W, V]));
    return tf.add(logits, change) as tf.Tensor2D;
  }
}
