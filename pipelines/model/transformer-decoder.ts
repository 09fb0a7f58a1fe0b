import { tf } from '../runtime/backend';
import { type PolicyConfig, conditionWidth, prefixLength } from './config';
import type { Decoder, Decoding, EncodeOutput } from './decoder';
import { mm } from './matmul';
import { type AddVariable, type GetVariable, he, lecun } from './variables';

interface LayerVars {
  ln1g: tf.Variable; ln1b: tf.Variable;
  qkvW: tf.Variable; qkvB: tf.Variable;
  oW: tf.Variable; oB: tf.Variable;
  ln2g: tf.Variable; ln2b: tf.Variable;
  f1W: tf.Variable; f1B: tf.Variable;
  f2W: tf.Variable; f2B: tf.Variable;
}

type KV = { k: tf.Tensor3D; v: tf.Tensor3D };

/** The pre-LN Transformer decoder over [image prefix; text], with a key/value cache when decoding. */
export class TransformerDecoder implements Decoder {
  private readonly layers: LayerVars[] = [];

  constructor(
    private readonly c: PolicyConfig,
    add: AddVariable,
    private readonly v: GetVariable,
  ) {
    const P = prefixLength(c);
    const d = c.dModel;
    const E = c.emotions.length;
    const A = c.aus.length;
    const residualScale = 1 / Math.sqrt(2 * c.nLayers);
    add('pre/img/w', [c.featDim, c.imageTokens * d], lecun(c.featDim));
    add('pre/img/b', [c.imageTokens * d], 'zeros');
    add('pre/aux/w', [E + Math.max(A, 1), d], lecun(E + A));
    add('pre/aux/b', [d], 'zeros');
    add('pre/cond/w', [conditionWidth(c), d], lecun(conditionWidth(c)));
    add('pre/cond/b', [d], 'zeros');
    add('pre/pos', [P, d], 0.02);
    add('tok/emb', [c.vocabSize, d], 0.02 * Math.sqrt(d));
    add('tok/pos', [c.maxLen, d], 0.02 * Math.sqrt(d));
    for (let l = 0; l < c.nLayers; l++) {
      const p = `dec/${l}/`;
      this.layers.push({
        ln1g: add(`${p}ln1/g`, [d], 'ones'),
        ln1b: add(`${p}ln1/b`, [d], 'zeros'),
        qkvW: add(`${p}attn/qkv/w`, [d, 3 * d], lecun(d)),
        qkvB: add(`${p}attn/qkv/b`, [3 * d], 'zeros'),
        oW: add(`${p}attn/o/w`, [d, d], lecun(d) * residualScale),
        oB: add(`${p}attn/o/b`, [d], 'zeros'),
        ln2g: add(`${p}ln2/g`, [d], 'ones'),
        ln2b: add(`${p}ln2/b`, [d], 'zeros'),
        f1W: add(`${p}ff/w1`, [d, c.ffDim], he(d)),
        f1B: add(`${p}ff/b1`, [c.ffDim], 'zeros'),
        f2W: add(`${p}ff/w2`, [c.ffDim, d], lecun(c.ffDim) * residualScale),
        f2B: add(`${p}ff/b2`, [d], 'zeros'),
      });
    }
    add('lnf/g', [d], 'ones');
    add('lnf/b', [d], 'zeros');
    add('out/w', [d, c.vocabSize], lecun(d));
    add('out/b', [c.vocabSize], 'zeros');
  }

  logits(enc: EncodeOutput, conditions: tf.Tensor2D, ids: Int32Array, B: number, T: number): tf.Tensor3D {
    const P = prefixLength(this.c);
    const idT = tf.tensor2d(ids, [B, T], 'int32');
    const x = tf.concat([this.prefixTokens(enc, conditions), this.embedTokens(idT, 0)], 1) as tf.Tensor3D;
    const { h } = this.blocks(x, 0, null);
    const text = tf.slice(h, [0, P, 0], [-1, T, -1]) as tf.Tensor3D;
    return this.logitsOf(text);
  }

  start(enc: EncodeOutput, conditions: tf.Tensor2D, bosId: number): Decoding {
    const B = enc.feat.shape[0];
    const V = this.c.vocabSize;
    const P = prefixLength(this.c);
    const bos = tf.fill([B, 1], bosId, 'int32') as tf.Tensor2D;
    const x = tf.concat([this.prefixTokens(enc, conditions), this.embedTokens(bos, 0)], 1) as tf.Tensor3D;
    const first = this.blocks(x, 0, null);
    let caches = first.caches;
    for (const kv of caches) {
      tf.keep(kv.k);
      tf.keep(kv.v);
    }
    let logits: tf.Tensor2D | null = tf.keep(this.logitsOf(tf.slice(first.h, [0, P, 0], [-1, 1, -1]) as tf.Tensor3D).reshape([B, V]) as tf.Tensor2D);
    return {
      nextLogits: () => {
        if (!logits) throw new Error('TransformerDecoder: the next position has no logits yet');
        const l = logits;
        logits = null;
        return l;
      },
      // the tokens just picked go through the blocks at the next position, reading and extending the cache
      append: (next, step) => {
        const position = step + 1;
        const r = tf.tidy(() => {
          const res = this.blocks(this.embedTokens(tf.tensor2d(next, [B, 1], 'int32'), position), P + position, caches);
          return { caches: res.caches, logits: this.logitsOf(res.h).reshape([B, V]) as tf.Tensor2D };
        });
        for (const kv of caches) tf.dispose([kv.k, kv.v]);
        caches = r.caches;
        logits = r.logits;
      },
      end: () => {
        logits?.dispose();
        for (const kv of caches) tf.dispose([kv.k, kv.v]);
      },
    };
  }

  /** [B, P, d]: image tokens, a token of the heads' probabilities, and the condition token. */
  private prefixTokens(enc: EncodeOutput, conditions: tf.Tensor2D): tf.Tensor3D {
    const c = this.c;
    const B = enc.feat.shape[0];
    const d = c.dModel;
    const img = tf.add(mm(enc.feat, this.v('pre/img/w')), this.v('pre/img/b')).reshape([B, c.imageTokens, d]);
    const probs = tf.concat([tf.softmax(enc.emoLogits), tf.sigmoid(enc.auLogits)], 1);
    const aux = tf.add(mm(probs, this.v('pre/aux/w')), this.v('pre/aux/b')).reshape([B, 1, d]);
    const cond = tf.add(mm(conditions, this.v('pre/cond/w')), this.v('pre/cond/b')).reshape([B, 1, d]);
    return tf.add(tf.concat([img, aux, cond], 1), this.v('pre/pos')) as tf.Tensor3D;
  }

  /** [B, T] token ids at text positions offset..offset+T-1 → [B, T, d] embeddings. */
  private embedTokens(ids: tf.Tensor2D, offset: number): tf.Tensor3D {
    const c = this.c;
    const [B, T] = ids.shape;
    const oh = tf.oneHot(ids.reshape([B * T]), c.vocabSize).toFloat();
    const emb = mm(oh, this.v('tok/emb')).reshape([B, T, c.dModel]);
    const pos = tf.slice(this.v('tok/pos'), [offset, 0], [T, c.dModel]);
    return tf.add(emb, pos) as tf.Tensor3D;
  }

  private layerNorm(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
    const mean = tf.mean(x, -1, true);
    const xc = tf.sub(x, mean);
    const variance = tf.mean(tf.square(xc), -1, true);
    return tf.add(tf.mul(tf.mul(xc, tf.rsqrt(tf.add(variance, 1e-5))), g), b);
  }

  /**
   * Runs the decoder blocks over x [B, t, d] whose first position is at absolute position `past`.
   * With caches, keys/values of earlier positions are read from them and the new ones appended (returned).
   */
  private blocks(x: tf.Tensor3D, past: number, caches: KV[] | null): { h: tf.Tensor3D; caches: KV[] } {
    const c = this.c;
    const [B, t, d] = x.shape;
    const H = c.nHeads;
    const dh = d / H;
    const total = past + t;
    const maskData = new Float32Array(t * total);
    for (let i = 0; i < t; i++) for (let j = 0; j < total; j++) if (j > past + i) maskData[i * total + j] = -1e9;
    const mask = tf.tensor2d(maskData, [t, total]);
    const scale = 1 / Math.sqrt(dh);
    const newCaches: KV[] = [];
    let h: tf.Tensor = x;
    this.layers.forEach((L, li) => {
      const a = this.layerNorm(h, L.ln1g, L.ln1b).reshape([B * t, d]);
      const qkv = tf.add(mm(a, L.qkvW), L.qkvB);
      const [q, k, v] = tf.split(qkv, 3, 1);
      const heads = (m: tf.Tensor) => m.reshape([B, t, H, dh]).transpose([0, 2, 1, 3]).reshape([B * H, t, dh]) as tf.Tensor3D;
      let kh = heads(k);
      let vh = heads(v);
      if (caches && past > 0) {
        kh = tf.concat([caches[li].k, kh], 1);
        vh = tf.concat([caches[li].v, vh], 1);
      }
      newCaches.push({ k: kh, v: vh });
      const scores = tf.add(tf.mul(mm(heads(q), kh, true), scale), mask);
      const attn = mm(tf.softmax(scores), vh);
      const merged = attn.reshape([B, H, t, dh]).transpose([0, 2, 1, 3]).reshape([B * t, d]);
      const o = tf.add(mm(merged, L.oW), L.oB).reshape([B, t, d]);
      h = tf.add(h, o);
      const f = this.layerNorm(h, L.ln2g, L.ln2b).reshape([B * t, d]);
      const ff = tf.add(mm(tf.relu(tf.add(mm(f, L.f1W), L.f1B)), L.f2W), L.f2B).reshape([B, t, d]);
      h = tf.add(h, ff);
    });
    return { h: h as tf.Tensor3D, caches: newCaches };
  }

  private logitsOf(h: tf.Tensor3D): tf.Tensor3D {
    const [B, t, d] = h.shape;
    const n = this.layerNorm(h, this.v('lnf/g'), this.v('lnf/b')).reshape([B * t, d]);
    return tf.add(mm(n, this.v('out/w')), this.v('out/b')).reshape([B, t, this.c.vocabSize]) as tf.Tensor3D;
  }
}
