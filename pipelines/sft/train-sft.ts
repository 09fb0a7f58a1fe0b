/**
 * SFT: teacher-forced cross-entropy on the reference descriptions (+ auxiliary emotion/AU losses on the pooled
 * image features), Adam, seeded shuffling and augmentation, validation on a subject-held-out slice of train,
 * early stopping with patience. Checkpoints hold everything needed to continue bit-for-bit.
 */
import { tf } from '../runtime/backend';
import { WordTokenizer } from '../tokenizer';
import { type PolicyConfig, DEFAULT_POLICY_SHAPE, EXPRESSION_CLIP } from '../model/config';
import { type FaceSample, auxTargets, disposeInputs, expressionStatistics, makeInputs } from '../model/inputs';
import { Policy, tokenLogProbs } from '../model/policy';
import { loadCheckpoint, saveCheckpoint } from '../model/persist';
import { Rng } from '../model/rng';
import { teacherBatch, teacherTensors } from '../model/sequences';
import { applyStep, makeAdam, nextEpochBatch, scheduledRate, setLearningRate, type TrainerState } from '../model/train-utils';
import { SFT_MIN_RECORDS, type SftConfig } from './config';
import { type HeadFitReport, fitEmotionHead } from './head-fit';
import { subjectHoldout } from './holdout';

export interface SftState extends TrainerState {
  bestVal: number | null;
  badEvals: number;
  earlyStopped: boolean;
  /** The emotion head solved before the first step (SftConfig.headFit); SFT leaves the head's variables as solved. */
  headFit?: HeadFitReport | null;
}

export interface StepMetrics {
  [k: string]: number;
}

export class SftTrainer {
  /** Shape of the last training batch (benchmarks count its FLOPs): sequences, padded length, extra images. */
  lastBatch = { sequences: 0, paddedLength: 0, extraImages: 0 };

  private constructor(
    readonly config: SftConfig,
    readonly policy: Policy,
    readonly tokenizer: WordTokenizer,
    readonly train: FaceSample[],
    readonly val: FaceSample[],
    private readonly trainSeqs: number[][],
    private readonly valSeqs: number[][],
    readonly optimizer: tf.AdamOptimizer,
    readonly state: SftState,
    private readonly rng: Rng,
    private readonly classWeights: ReadonlyMap<string, number>,
  ) {}

  /** A fresh run: builds the tokenizer and the policy from the training part. */
  static create(samples: FaceSample[], emotions: string[], config: SftConfig): SftTrainer {
    const usable = samples.filter((s) => s.reasoning.trim() !== '');
    if (usable.length < SFT_MIN_RECORDS) throw new Error(`SFT needs at least ${SFT_MIN_RECORDS} labeled records with a description, got ${usable.length}`);
    const { train, val } = subjectHoldout(usable, config.valFraction, config.seed);
    const tokenizer = WordTokenizer.build(
      train.map((s) => s.reasoning),
      { emotions },
    );
    const aus = [...new Set(usable.flatMap((s) => s.aus))].sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)));
    const longest = Math.max(...usable.map((s) => tokenizer.encode(s.reasoning).length + 1));
    const shape = { ...DEFAULT_POLICY_SHAPE, ...config.model };
    const norm = expressionStatistics(train, shape.expressionDim ?? 0);
    // only where the training part has features: runs on images alone (demo faces not analysed) train as before
    const residual = config.priorResidual && !!shape.expressionPrior && norm !== null;
    const trained = new Set(train.flatMap((s) => (s.emotion === null ? [] : [s.emotion])));
    const policyConfig: PolicyConfig = {
      ...shape,
      ...(norm ? { expressionNorm: norm, expressionClip: EXPRESSION_CLIP } : {}),
      // an emotion the training part never shows gets no prior mass: the net's probability of it is an error here
      ...(residual ? { expressionResidual: true, expressionPrior: shape.expressionPrior!.map((i, e) => (trained.has(emotions[e]) ? i : -1)) } : {}),
      ...(residual && config.emotionCopy && shape.decoder === 'window' ? { emotionSlot: true } : {}),
      emotions,
      aus,
      vocabSize: tokenizer.vocabSize,
      maxLen: Math.max(shape.maxLen, longest + 9),
      emotionTokenIds: config.emotionCopy ? emotions.map((e) => (tokenizer.has(e) ? tokenizer.tokenToId(e) : -1)) : [],
      headBias: config.headBias && shape.decoder === 'window',
    };
    const policy = new Policy(policyConfig, config.seed, true);
    const state = initialState(config, train.length);
    const rng = new Rng(config.seed * 7919 + 17);
    state.order = rng.shuffle([...Array(train.length).keys()]);
    state.rng = rng.getState();
    const trainer = SftTrainer.assemble(config, policy, tokenizer, train, val, state, rng);
    // samples without a reasoning (SftConfig.headFitEmotionOnly): the head's labels, never the text's
    const emotionOnly = config.headFitEmotionOnly ? samples.filter((s) => s.reasoning.trim() === '' && s.emotion !== null && trained.has(s.emotion)) : [];
    if (config.headFit) state.headFit = trainer.fitHead(emotionOnly);
    return trainer;
  }

  /** Continues a run from its checkpoint folder; the samples must be the ones the run started with. */
  static async resume(dir: string, samples: FaceSample[], config: SftConfig): Promise<SftTrainer> {
    const optimizer = makeAdam(config.lr);
    const { policy, tokenizer, state } = await loadCheckpoint<SftState>(dir, optimizer);
    const usable = samples.filter((s) => s.reasoning.trim() !== '');
    const { train, val } = subjectHoldout(usable, config.valFraction, config.seed);
    const rng = new Rng(0);
    rng.setState(state.rng);
    return SftTrainer.assemble(config, policy, tokenizer, train, val, state, rng, optimizer);
  }

  private static assemble(
    config: SftConfig,
    policy: Policy,
    tokenizer: WordTokenizer,
    train: FaceSample[],
    val: FaceSample[],
    state: SftState,
    rng: Rng,
    optimizer = makeAdam(config.lr),
  ): SftTrainer {
    const maxTokens = policy.config.maxLen - 1;
    const enc = (s: FaceSample) => {
      const ids = tokenizer.encode(s.reasoning, { eos: true });
      return ids.length > maxTokens ? ids.slice(0, maxTokens) : ids;
    };
    const weights = config.classBalance === 'loss' ? classWeights(train) : new Map<string, number>();
    return new SftTrainer(config, policy, tokenizer, train, val, train.map(enc), val.map(enc), optimizer, state, rng, weights);
  }

  get done(): boolean {
    return this.state.step >= this.state.totalSteps || this.state.earlyStopped;
  }

  get stepsPerEpoch(): number {
    return Math.ceil(this.train.length / this.config.batchSize);
  }

  private nextBatch(): number[] {
    return nextEpochBatch(this.state, this.config.batchSize, this.train.length, this.rng);
  }

  /** The loss of one batch: LM cross-entropy (mean over tokens) + auxWeight·(emotion CE + AU BCE). */
  private batchLoss(
    samples: FaceSample[],
    seqs: number[][],
    train: boolean,
    extra: FaceSample[] = [],
  ): { loss: () => tf.Scalar; tokens: number; dispose: () => void; parts: tf.Tensor[] } {
    const cfg = this.policy.config;
    const inputs = makeInputs(cfg, samples, train ? { augment: this.config.augment, rng: this.rng, conditionDrop: this.config.conditionDrop } : {});
    const extraInputs = extra.length ? makeInputs(cfg, extra, { augment: this.config.augment, rng: this.rng }) : null;
    const tb = teacherBatch(seqs, this.tokenizer.bosId, this.tokenizer.padId);
    const B = samples.length;
    const t = teacherTensors(tb, B);
    const all = [...samples, ...extra];
    const aux = auxTargets(cfg, all);
    const A = Math.max(cfg.aus.length, 1);
    const emo = tf.tensor2d(aux.emo, [all.length, cfg.emotions.length]);
    const emoMask = tf.tensor1d(aux.emoMask);
    const au = tf.tensor2d(aux.au, [all.length, A]);
    const auMask = tf.tensor1d(aux.auMask);
    const balanced = this.classWeights.size > 0;
    const seqWeight = balanced ? tf.tensor2d(samples.map((s) => this.weightOf(s)), [B, 1]) : null;
    const emoWeight = balanced ? tf.tensor1d(all.map((s) => this.weightOf(s))) : null;
    const parts: tf.Tensor[] = [];
    const loss = () => {
      const out = this.policy.forward(inputs, tb.input, tb.T);
      const lp = tokenLogProbs(out.logits, t.target);
      const tokenMask = seqWeight ? tf.mul(t.mask, seqWeight) : t.mask;
      const lm = tf.div(tf.neg(tf.sum(tf.mul(lp, tokenMask))), tf.maximum(tf.sum(tokenMask), balanced ? 1e-6 : 1));
      let emoLogits: tf.Tensor = out.emoLogits;
      let x: tf.Tensor = out.auLogits;
      if (extraInputs) {
        const e = this.policy.encode(extraInputs);
        emoLogits = tf.concat([emoLogits, e.emoLogits], 0);
        x = tf.concat([x, e.auLogits], 0);
      }
      const emoW = emoWeight ? tf.mul(emoMask, emoWeight) : emoMask;
      const emoCe = tf.div(
        tf.neg(tf.sum(tf.mul(tf.sum(tf.mul(emo, tf.logSoftmax(emoLogits)), 1), emoW))),
        tf.maximum(tf.sum(emoW), emoWeight ? 1e-6 : 1),
      );
      // numerically stable BCE with logits: max(x,0) − x·z + log(1 + exp(−|x|))
      const bce = tf.add(tf.sub(tf.relu(x), tf.mul(x, au)), tf.log1p(tf.exp(tf.neg(tf.abs(x)))));
      const auLoss = tf.div(tf.sum(tf.mul(tf.mean(bce, 1), auMask)), tf.maximum(tf.sum(auMask), 1));
      parts.push(tf.keep(lm), tf.keep(emoCe), tf.keep(auLoss));
      const total = tf.add(lm, tf.mul(this.config.auxWeight, tf.add(emoCe, auLoss))) as tf.Scalar;
      return this.residualPenalty(total);
    };
    return {
      loss,
      tokens: tb.tokens,
      parts,
      dispose: () => {
        disposeInputs(inputs);
        if (extraInputs) disposeInputs(extraInputs);
        tf.dispose([t.input, t.target, t.mask, emo, emoMask, au, auMask, ...(seqWeight ? [seqWeight] : []), ...(emoWeight ? [emoWeight] : []), ...parts]);
      },
    };
  }

  /** + residualDecay·(‖aux/emo/res‖² + ‖aux/emo/w‖²) under the residual head (PolicyConfig.expressionResidual). */
  private residualPenalty(loss: tf.Scalar): tf.Scalar {
    const decay = this.config.residualDecay;
    if (!this.policy.config.expressionResidual || !(decay > 0)) return loss;
    const l2 = tf.add(tf.sum(tf.square(this.policy.v('aux/emo/res'))), tf.sum(tf.square(this.policy.v('aux/emo/w'))));
    return tf.add(loss, tf.mul(decay, l2)) as tf.Scalar;
  }

  /** One optimizer step (and a validation pass when due). Returns the step's metrics. */
  trainStep(): StepMetrics {
    const started = performance.now();
    const idx = this.nextBatch();
    const samples = idx.map((i) => this.train[i]);
    const seqs = idx.map((i) => this.trainSeqs[i]);
    const lr = scheduledRate(this.state.step, this.state.totalSteps, this.config.lr, this.config.warmupSteps);
    setLearningRate(this.optimizer, lr);
    const extra = Array.from({ length: this.config.auxExtra }, () => this.train[this.rng.int(this.train.length)]);
    const b = this.batchLoss(samples, seqs, true, extra);
    this.lastBatch = { sequences: samples.length, paddedLength: Math.max(1, ...seqs.map((q) => q.length)), extraImages: extra.length };
    let loss: number;
    let parts: number[];
    try {
      loss = applyStep(this.policy, this.optimizer, b.loss, this.config.clipNorm, this.trainedVariables());
      parts = b.parts.map((p) => p.dataSync()[0]);
    } finally {
      b.dispose();
    }
    this.state.step++;
    this.state.rng = this.rng.getState();
    const seconds = (performance.now() - started) / 1000;
    const metrics: StepMetrics = {
      loss,
      lmLoss: parts[0],
      emotionLoss: parts[1],
      auLoss: parts[2],
      lr,
      epoch: this.state.epoch + this.state.cursor / this.train.length,
      tokensPerSec: b.tokens / seconds,
      seqPerSec: samples.length / seconds,
    };
    const every = this.config.evalEvery > 0 ? this.config.evalEvery : this.stepsPerEpoch;
    if (this.val.length > 0 && (this.state.step % every === 0 || this.state.step >= this.state.totalSteps)) {
      const v = this.validate();
      Object.assign(metrics, v);
      if (this.state.bestVal === null || v.valLoss < this.state.bestVal - 1e-4) {
        this.state.bestVal = v.valLoss;
        this.state.badEvals = 0;
      } else if (++this.state.badEvals >= this.config.patience && this.config.patience > 0) {
        this.state.earlyStopped = true;
      }
    }
    return metrics;
  }

  /** Every variable but the emotion head's once it was solved. */
  private trainedVariables(): tf.Variable[] {
    if (!this.state.headFit) return this.policy.variableList();
    return [...this.policy.vars].filter(([name]) => !name.startsWith('aux/emo/')).map(([, v]) => v);
  }

  /** Validation: unconditioned, no augmentation. */
  validate(): { valLoss: number; valLmLoss: number; valEmotionAcc: number } {
    let lossSum = 0;
    let lmSum = 0;
    let correct = 0;
    const B = this.config.batchSize;
    for (let i = 0; i < this.val.length; i += B) {
      const samples = this.val.slice(i, i + B);
      const b = this.batchLoss(samples, this.valSeqs.slice(i, i + B), false);
      try {
        const [l, lm, acc] = tf.tidy(() => {
          const total = b.loss();
          const out = this.policy.encode(unconditionedInputs(this.policy, samples));
          const pred = tf.argMax(out.emoLogits, 1).dataSync();
          let c = 0;
          samples.forEach((s, k) => {
            if (s.emotion !== null && this.policy.config.emotions[pred[k]] === s.emotion) c++;
          });
          return [total.dataSync()[0], b.parts[0].dataSync()[0], c];
        });
        lossSum += l * samples.length;
        lmSum += lm * samples.length;
        correct += acc;
      } finally {
        b.dispose();
      }
    }
    return { valLoss: lossSum / this.val.length, valLmLoss: lmSum / this.val.length, valEmotionAcc: correct / this.val.length };
  }

  /** The emotion head solved on every sample of the run (train and validation slices, and the emotion-only ones). */
  private fitHead(emotionOnly: FaceSample[]): HeadFitReport | null {
    const report = fitEmotionHead(this.policy, [...this.train, ...this.val, ...emotionOnly], this.config.seed, (s) => this.weightOf(s), { views: this.config.headFitViews });
    return report && { ...report, emotionOnly: emotionOnly.length };
  }

  /** A record's weight in the text and emotion losses (SftConfig.classBalance; 1 without an emotion or balancing). */
  private weightOf(s: FaceSample): number {
    return s.emotion === null ? 1 : (this.classWeights.get(s.emotion) ?? 1);
  }

  async checkpoint(dir: string): Promise<void> {
    await saveCheckpoint(dir, this.policy, this.tokenizer, this.optimizer, this.state);
  }

  dispose(): void {
    this.policy.dispose();
    this.optimizer.dispose();
  }
}

/** n / (classes · n_emotion) for each emotion of the training part (SftConfig.classBalance 'loss'). */
export function classWeights(train: FaceSample[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of train) if (s.emotion !== null) counts.set(s.emotion, (counts.get(s.emotion) ?? 0) + 1);
  const n = [...counts.values()].reduce((a, b) => a + b, 0);
  return new Map([...counts].map(([e, c]) => [e, n / (counts.size * c)]));
}

function initialState(config: SftConfig, n: number): SftState {
  const perEpoch = Math.ceil(n / config.batchSize);
  return {
    step: 0,
    totalSteps: config.steps ?? Math.max(1, config.epochs * perEpoch),
    epoch: 0,
    cursor: 0,
    order: [],
    rng: [],
    bestVal: null,
    badEvals: 0,
    earlyStopped: false,
  };
}

/** Unconditioned, un-augmented inputs inside a tidy (the caller's tidy disposes them). */
function unconditionedInputs(policy: Policy, samples: FaceSample[]) {
  return makeInputs(policy.config, samples, {});
}
