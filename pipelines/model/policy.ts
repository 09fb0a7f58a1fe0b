/**
 * The compact reasoning policy: a patch-dense image encoder with auxiliary emotion/AU heads, and a decoder block
 * that writes `<think>…</think><answer>…</answer>` token by token: the window MLP (window-decoder.ts, the default)
 * or a small pre-LN Transformer (transformer-decoder.ts). Both decode through `Policy.generate` (decoder.ts).
 *
 * Every trainable op is matMul-based and has a gradient on WASM and cpu: embeddings are oneHot·matMul,
 * token log-probs are sum(oneHot·logSoftmax), no conv filters, no gather.
 */
import { tf } from '../runtime/backend';
import { type PolicyConfig, patchCount, validateConfig } from './config';
import { type Decoder, type EncodeOutput, type GenerateOptions, headProbabilities, pickTokens, scoped, tokenValues } from './decoder';
import { mm } from './matmul';
import { Rng } from './rng';
import { TransformerDecoder } from './transformer-decoder';
import { type AddVariable, he, lecun } from './variables';
import { WindowDecoder } from './window-decoder';

/** Inputs for a batch of B faces; all tensors are owned by the caller. */
export interface PolicyInputs {
  /** [B, S·S] normalised grayscale pixels. */
  images: tf.Tensor2D;
  /** [B, D] frozen descriptor (zeros when missing). */
  descriptors: tf.Tensor2D;
  /** [B, 1] 1 when the descriptor is present. */
  descriptorFlags: tf.Tensor2D;
  /** [B, F+1] normalised expression features and their presence flag (config.expressionDim F > 0 only). */
  expression?: tf.Tensor2D;
  /** [B, E] the expression net's log-probabilities of the emotions (config.expressionPrior only; zeros without features). */
  expressionPrior?: tf.Tensor2D;
  /** [B, E+1+A+1] known labels with their masks (zeros = unconditioned). */
  conditions: tf.Tensor2D;
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
    // zero (drawn, then scaled, so every later variable starts as it always did) under the residual head
    add('aux/emo/w', [c.featDim, E], c.expressionResidual ? 0 : lecun(c.featDim));
    add('aux/emo/b', [E], 'zeros');
    add('aux/au/w', [c.featDim, Math.max(A, 1)], lecun(c.featDim));
    add('aux/au/b', [Math.max(A, 1)], 'zeros');
    const v = (name: string) => this.v(name);
    this.decoder = c.decoder === 'window' ? new WindowDecoder(c, add, v) : new TransformerDecoder(c, add, v);
    // Last, so every other variable starts as it did before this input existed.
    const F = c.expressionDim ?? 0;
    if (F > 0) add('enc/expr/w', [F + 1, c.featDim], he(F + 1));
    if (F > 0 && c.expressionPrior) add('aux/emo/prior', [1], 'ones');
    if (F > 0 && c.expressionPrior && c.expressionResidual) add('aux/emo/res', [F + 1, E], 'zeros');
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
    let pre = tf.add(mm(encIn, this.v('enc/fc1/w')), this.v('enc/fc1/b'));
    if ((c.expressionDim ?? 0) > 0) {
      if (!inputs.expression) throw new Error('this policy reads expression features: the inputs have none');
      pre = tf.add(pre, mm(inputs.expression, this.v('enc/expr/w')));
    }
    const h1 = tf.relu(pre);
    const feat = tf.relu(tf.add(tf.add(mm(h1, this.v('enc/fc2/w')), this.v('enc/fc2/b')), h1)) as tf.Tensor2D;
    let emoLogits = tf.add(mm(feat, this.v('aux/emo/w')), this.v('aux/emo/b')) as tf.Tensor2D;
    if (this.vars.has('aux/emo/prior')) {
      if (!inputs.expressionPrior) throw new Error('this policy reads the expression net\'s prior: the inputs have none');
      emoLogits = tf.add(emoLogits, tf.mul(inputs.expressionPrior, this.v('aux/emo/prior'))) as tf.Tensor2D;
    }
    if (this.vars.has('aux/emo/res')) emoLogits = tf.add(emoLogits, mm(inputs.expression!, this.v('aux/emo/res'))) as tf.Tensor2D;
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
