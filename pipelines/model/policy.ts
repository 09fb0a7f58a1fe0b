/**
 * The compact reasoning policy: a patch-dense image encoder with auxiliary emotion/AU heads, and a decoder that
 * writes `<think>…</think><answer>…</answer>` token by token: the window MLP (WindowDecoder, the default) or a
 * small pre-LN Transformer (TransformerDecoder). One class per block; both decode through `Policy.generate`.
 *
 * Every trainable op is matMul-based and has a gradient on WASM and cpu: embeddings are oneHot·matMul,
 * token log-probs are sum(oneHot·logSoftmax), no conv filters, no gather.
 */
import { tf } from '../runtime/backend';
import { type PolicyConfig, conditionWidth, patchCount, prefixLength, validateConfig } from './config';
import { mm } from './matmul';
import { Rng } from './rng';

/** Inputs for a batch of B faces; all tensors are owned by the caller. */
export interface PolicyInputs {
  /** [B, S·S] normalised grayscale pixels. */
  images: tf.Tensor2D;
  /** [B, D] frozen descriptor (zeros when missing). */
  descriptors: tf.Tensor2D;
  /** [B, 1] 1 when the descriptor is present. */
  descriptorFlags: tf.Tensor2D;
  /** [B, E+1+A+1] known labels with their masks (zeros = unconditioned). */
  conditions: tf.Tensor2D;
}

export interface EncodeOutput {
  feat: tf.Tensor2D;
  emoLogits: tf.Tensor2D;
  auLogits: tf.Tensor2D;
}

interface LayerVars {
  ln1g: tf.Variable; ln1b: tf.Variable;
  qkvW: tf.Variable; qkvB: tf.Variable;
  oW: tf.Variable; oB: tf.Variable;
  ln2g: tf.Variable; ln2b: tf.Variable;
  f1W: tf.Variable; f1B: tf.Variable;
  f2W: tf.Variable; f2B: tf.Variable;
}

type KV = { k: tf.Tensor3D; v: tf.Tensor3D };
type WindowContext = { h: tf.Tensor2D; bias: tf.Tensor2D | null };

export interface GenerateOptions {
  bosId: number;
  eosId: number;
  /** 0 = greedy; otherwise samples with `rng`. */
  temperature: number;
  rng?: Rng;
  maxNew?: number;
}

type AddVariable = (name: string, shape: number[], init: 'zeros' | 'ones' | number) => tf.Variable;
type GetVariable = (name: string) => tf.Variable;

/** One autoregressive decode: the next position's logits [B, V] (the caller frees them), the tokens picked, the end. */
interface Decoding {
  nextLogits(step: number): tf.Tensor2D;
  append(next: Int32Array, step: number): void;
  end(): void;
}

/** A decoder block: teacher-forced logits, and decoding; `start` runs in a scope and keeps (tf.keep) what it holds on to. */
interface Decoder {
  logits(enc: EncodeOutput, conditions: tf.Tensor2D, ids: Int32Array, B: number, T: number): tf.Tensor3D;
  start(enc: EncodeOutput, conditions: tf.Tensor2D, bosId: number): Decoding;
}

let instanceCounter = 0;

export class Policy {
  readonly config: PolicyConfig;
  /** Logical name → variable, in a fixed order (the optimizer's slots follow this order). */
  readonly vars = new Map<string, tf.Variable>();
  private readonly prefix: string;
  private readonly decoder: Decoder;

  constructor(config: PolicyConfig, seed: number, trainable = true) {
    validateConfig(config);
    this.config = config;
    this.prefix = `policy${++instanceCounter}/`;
    const c = config;
    const rng = new Rng(seed);
    const np = patchCount(c);
    const pp = c.patchSize * c.patchSize;
    const E = c.emotions.length;
    const A = c.aus.length;
    const add: AddVariable = (name, shape, init) => {
      const size = shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(size);
      if (init === 'ones') data.fill(1);
      else if (typeof init === 'number') for (let i = 0; i < size; i++) data[i] = rng.normal() * init;
      const v = tf.variable(tf.tensor(data, shape, 'float32'), trainable, this.prefix + name);
      this.vars.set(name, v);
      return v;
    };
    add('enc/patch/w', [pp, c.patchHidden], he(pp));
    add('enc/patch/b', [c.patchHidden], 'zeros');
    const encIn = np * c.patchHidden + c.descriptorDim + 1;
    add('enc/fc1/w', [encIn, c.featDim], he(encIn));
    add('enc/fc1/b', [c.featDim], 'zeros');
    add('enc/fc2/w', [c.featDim, c.featDim], he(c.featDim));
    add('enc/fc2/b', [c.featDim], 'zeros');
    add('aux/emo/w', [c.featDim, E], lecun(c.featDim));
    add('aux/emo/b', [E], 'zeros');
    add('aux/au/w', [c.featDim, Math.max(A, 1)], lecun(c.featDim));
    add('aux/au/b', [Math.max(A, 1)], 'zeros');
    const v = (name: string) => this.v(name);
    this.decoder = c.decoder === 'window' ? new WindowDecoder(c, add, v) : new TransformerDecoder(c, add, v);
  }

  v(name: string): tf.Variable {
    const v = this.vars.get(name);
    if (!v) throw new Error(`policy has no variable ${name}`);
    return v;
  }

  variableList(): tf.Variable[] {
    return [...this.vars.values()];
  }

  parameterCount(): number {
    let n = 0;
    for (const v of this.vars.values()) n += v.size;
    return n;
  }

  /** Copies another policy's weights (same config) into this one, e.g. the frozen RL reference. */
  copyFrom(other: Policy): void {
    for (const [name, v] of this.vars) v.assign(other.v(name));
  }

  /** Image (+ descriptor) → pooled features and the auxiliary heads' logits. */
  encode(inputs: PolicyInputs): EncodeOutput {
    const c = this.config;
    const B = inputs.images.shape[0];
    const g = c.imageSize / c.patchSize;
    const ps = c.patchSize;
    const patches = inputs.images
      .reshape([B, g, ps, g, ps])
      .transpose([0, 1, 3, 2, 4])
      .reshape([B * g * g, ps * ps]);
    const ph = tf.relu(tf.add(mm(patches, this.v('enc/patch/w')), this.v('enc/patch/b')));
    const flat = ph.reshape([B, g * g * c.patchHidden]);
    const encIn = tf.concat([flat, inputs.descriptors, inputs.descriptorFlags], 1);
    const h1 = tf.relu(tf.add(mm(encIn, this.v('enc/fc1/w')), this.v('enc/fc1/b')));
    const feat = tf.relu(tf.add(tf.add(mm(h1, this.v('enc/fc2/w')), this.v('enc/fc2/b')), h1)) as tf.Tensor2D;
    const emoLogits = tf.add(mm(feat, this.v('aux/emo/w')), this.v('aux/emo/b')) as tf.Tensor2D;
    const auLogits = tf.add(mm(feat, this.v('aux/au/w')), this.v('aux/au/b')) as tf.Tensor2D;
    return { feat, emoLogits, auLogits };
  }

  /**
   * Teacher-forced pass: input ids [B·T] (row-major, bos first) → logits [B, T, V] for the next token at each
   * position, plus the heads' logits. Call inside tf.tidy / a gradient closure.
   */
  forward(inputs: PolicyInputs, ids: Int32Array, T: number): EncodeOutput & { logits: tf.Tensor3D } {
    const enc = this.encode(inputs);
    return { ...enc, logits: this.decoder.logits(enc, inputs.conditions, ids, inputs.images.shape[0], T) };
  }

  /**
   * Autoregressive decoding. `temperature` 0 = greedy; otherwise samples with `rng`. Returns the generated ids per
   * sequence (eos included when produced, nothing after it) and, per sequence, the probabilities of the heads
   * (for predictions' emotion scores).
   */
  generate(inputs: PolicyInputs, opts: GenerateOptions): { ids: number[][]; emotionProbs: Float32Array[]; auProbs: Float32Array[] } {
    const c = this.config;
    const B = inputs.images.shape[0];
    const maxNew = Math.min(opts.maxNew ?? c.maxLen - 1, c.maxLen - 1);
    if (opts.temperature > 0 && !opts.rng) throw new Error('sampling needs an rng');
    const { d, emo, au } = scoped(() => {
      const enc = this.encode(inputs);
      return {
        d: this.decoder.start(enc, inputs.conditions, opts.bosId),
        emo: tf.keep(tf.softmax(enc.emoLogits) as tf.Tensor2D),
        au: tf.keep(tf.sigmoid(enc.auLogits) as tf.Tensor2D),
      };
    });
    const heads = headProbabilities(emo, au);
    const out: number[][] = Array.from({ length: B }, () => []);
    const done = new Array<boolean>(B).fill(false);
    try {
      for (let step = 0; step < maxNew; step++) {
        const logits = d.nextLogits(step);
        const values = tokenValues(logits, opts.temperature);
        logits.dispose();
        const next = pickTokens(values, c.vocabSize, done, out, opts);
        if (done.every(Boolean) || step === maxNew - 1) break;
        d.append(next, step);
      }
    } finally {
      d.end();
    }
    return { ids: out, ...heads };
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}

/** Runs `f` in a scope that frees the tensors it makes except those it keeps (tf.keep); returns what `f` returns. */
function scoped<T>(f: () => T): T {
  tf.engine().startScope();
  try {
    return f();
  } finally {
    tf.engine().endScope();
  }
}

const he = (fanIn: number) => Math.sqrt(2 / fanIn);
const lecun = (fanIn: number) => 1 / Math.sqrt(fanIn);

/** Per sequence, the heads' emotion and AU probabilities ([B, E] and [B, A], freed here). */
function headProbabilities(emo: tf.Tensor2D, au: tf.Tensor2D): { emotionProbs: Float32Array[]; auProbs: Float32Array[] } {
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
function tokenValues(logits: tf.Tensor2D, temperature: number): Float32Array {
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
function pickTokens(values: Float32Array, V: number, done: boolean[], out: number[][], opts: GenerateOptions): Int32Array {
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

/**
 * The window decoder: a causal MLP over the last `window` token embeddings, the bag of tokens so far, the
 * position and the image context (+ the heads' bias on the logits). Dense 2-D matMuls only.
 */
class WindowDecoder implements Decoder {
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
      end: () => tf.dispose([ctx.h, ...(ctx.bias ? [ctx.bias] : [])]),
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
    return { h, bias };
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
    const logits = tf.add(mm(h2, this.v('out/w')), this.v('out/b'));
    if (!ctx.bias) return logits as tf.Tensor2D;
    return tf.add(logits.reshape([B, t, V]), ctx.bias.reshape([B, 1, V])).reshape([N, V]) as tf.Tensor2D;
  }
}

/** The pre-LN Transformer decoder over [image prefix; text], with a key/value cache when decoding. */
class TransformerDecoder implements Decoder {
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

/**
 * Log-probabilities of `targets` under `logits`: sum(oneHot(targets, V) · logSoftmax(logits), −1), the one copy
 * SFT's cross-entropy and GRPO's ratios use. oneHot rather than gather, whose gradient the WASM backend lacks
 * (training-engines.md §1.7). logits [B, T, V] float, targets [B, T] int32 → [B, T].
 */
export function tokenLogProbs(logits: tf.Tensor3D, targets: tf.Tensor2D): tf.Tensor2D {
  const V = logits.shape[2];
  const oh = tf.oneHot(targets, V).toFloat();
  return tf.sum(tf.mul(oh, tf.logSoftmax(logits)), -1) as tf.Tensor2D;
}
