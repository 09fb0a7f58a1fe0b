/**
 * GRPO as the reference specifies it (training-engines.md §1, facial-r1-method.md §5): G completions per image
 * sampled at temperature 1, reward = weighted R_format + R_acc + R_AU, group-normalised advantages (Bessel std + ε),
 * PPO-clip, k3 KL to the frozen reference (the starting SFT policy) with β, grpo/dapo/dr_grpo aggregation and
 * μ updates per rollout batch (μ > 1 makes the clip active).
 *
 * Model selection: RL does not train on a subject-held-out validation slice of the training part (the same
 * subjectHoldout SFT uses, so with equal seeds it is SFT's validation slice). Every `evalEvery` steps the greedy policy
 * is scored on it, and the run's result is the best RL step (step 0, the start, is never chosen): the highest
 * validation reward among steps whose validation accuracy is not below the start's, else the highest accuracy.
 * The test part is never looked at.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tf } from '../runtime/backend';
import type { WordTokenizer } from '../tokenizer';
import { type RewardBreakdown, facialR1Reward } from '../rewards';
import { type FaceSample, disposeInputs, makeInputs } from '../model/inputs';
import { generateOutputs } from '../model/generate';
import { Policy, tokenLogProbs } from '../model/policy';
import { loadCheckpoint, loadPolicy, saveCheckpoint } from '../model/persist';
import { Rng } from '../model/rng';
import { teacherBatch, teacherTensors } from '../model/sequences';
import { subjectHoldout } from '../sft/holdout';
import { loadTensors, saveTensors, FileIOHandler } from '../model/io-handler';
import { applyStep, makeAdam, nextEpochBatch, scheduledRate, setLearningRate, type TrainerState } from '../model/train-utils';
import type { RlConfig } from './config';
import { type GrpoLossInput, groupAdvantages, grpoLoss, grpoStats } from './grpo-loss';
import { type RolloutBatch, disposeRollout, meanReward } from './rollout';
import type { ValScore } from './run-values';
import { facialR1SampleWeights } from './sample-weights';
import { betterValScore } from './selection';

/** Means over a step's μ updates of the loss and of the clip/KL/ratio statistics. */
export interface UpdateStats {
  loss: number;
  kl: number;
  clipFraction: number;
  ratioMean: number;
}

export interface RlState extends TrainerState {
  /** Greedy validation score of the starting policy, and of the best RL step so far. */
  valStart?: ValScore | null;
  valBest?: ValScore | null;
}

const BEST_FILE = 'best';

export class RlTrainer {
  /**
   * Weights of the best validated step: allocated once (a copy of the start) so the live tensor count stays flat,
   * overwritten when a step validates better; null when selection is off.
   */
  private best: Map<string, tf.Variable> | null = null;
  /** Per training image, when the loss is weighted per sample. */
  private readonly weights: Float32Array | null;

  private constructor(
    readonly config: RlConfig,
    readonly policy: Policy,
    readonly reference: Policy | null,
    readonly tokenizer: WordTokenizer,
    readonly train: FaceSample[],
    readonly val: FaceSample[],
    readonly optimizer: tf.AdamOptimizer,
    readonly state: RlState,
    private readonly rng: Rng,
  ) {
    this.weights = config.sampleWeights === 'facial-r1' ? facialR1SampleWeights(train) : null;
    if (config.selectBest && this.validating) {
      this.best = new Map([...policy.vars].map(([name, v]) => [name, tf.variable(v, false)]));
    }
  }

  /** Starts from a saved SFT (or RL) policy folder; the reference is a frozen copy of it. */
  static async create(parentDir: string, samples: FaceSample[], config: RlConfig): Promise<RlTrainer> {
    const { train, val } = RlTrainer.splitSamples(samples, config);
    if (train.length === 0) throw new Error('RL needs labeled records in the training part');
    const { policy, tokenizer } = await loadPolicy(parentDir, true);
    const reference = config.beta !== 0 ? (await loadPolicy(parentDir, false)).policy : null;
    const rng = new Rng(config.seed * 6151 + 29);
    const state: RlState = {
      step: 0,
      totalSteps: config.steps,
      epoch: 0,
      cursor: 0,
      order: rng.shuffle([...Array(train.length).keys()]),
      rng: [],
      valStart: null,
      valBest: null,
    };
    state.rng = rng.getState();
    const t = new RlTrainer(config, policy, reference, tokenizer, train, val, makeAdam(config.lr), state, rng);
    if (t.validating) state.valStart = t.validate(0);
    return t;
  }

  /** RL's training images and its validation slice (whole subjects, seeded like SFT's). */
  static splitSamples(samples: FaceSample[], config: RlConfig): { train: FaceSample[]; val: FaceSample[] } {
    const labeled = samples.filter((s) => s.emotion !== null);
    if (config.evalEvery <= 0 || config.valFraction <= 0) return { train: labeled, val: [] };
    return subjectHoldout(labeled, config.valFraction, config.seed);
  }

  static async resume(checkpointDir: string, parentDir: string, samples: FaceSample[], config: RlConfig): Promise<RlTrainer> {
    const optimizer = makeAdam(config.lr);
    const { policy, tokenizer, state } = await loadCheckpoint<RlState>(checkpointDir, optimizer);
    const reference = config.beta !== 0 ? (await loadPolicy(parentDir, false)).policy : null;
    const rng = new Rng(0);
    rng.setState(state.rng);
    const { train, val } = RlTrainer.splitSamples(samples, config);
    const t = new RlTrainer(config, policy, reference, tokenizer, train, val, optimizer, state, rng);
    const bestDir = path.join(checkpointDir, BEST_FILE);
    if (t.best && state.valBest && fs.existsSync(path.join(bestDir, `${BEST_FILE}.json`))) {
      const { tensors } = await loadTensors(new FileIOHandler(bestDir, BEST_FILE));
      for (const [name, v] of t.best) if (tensors[name]) v.assign(tensors[name]);
      tf.dispose(Object.values(tensors));
    }
    return t;
  }

  /** Validation runs when there is a slice and evalEvery > 0. */
  get validating(): boolean {
    return this.val.length > 0 && this.config.evalEvery > 0;
  }

  /** Greedy mean reward and emotion accuracy of the policy on the validation slice. */
  validate(step = this.state.step): ValScore {
    const rewards = this.score(generateOutputs(this.policy, this.tokenizer, this.val, { temperature: 0 }));
    const correct = rewards.filter((r) => r.accuracy === 1).length;
    return { step, reward: meanReward(rewards), accuracy: correct / rewards.length };
  }

  /** After a step: validates when due and keeps the weights of the best step. Returns the metrics to record. */
  private validateStep(): Record<string, number> {
    const s = this.state;
    if (!this.validating || (s.step % this.config.evalEvery !== 0 && s.step < s.totalSteps)) return {};
    const score = this.validate();
    if (this.best && betterValScore(score, s.valBest ?? null, s.valStart ?? null)) {
      s.valBest = score;
      for (const [name, v] of this.best) v.assign(this.policy.v(name));
    }
    return { valReward: score.reward, valAccuracy: score.accuracy };
  }

  /**
   * Ends the run: with selection on, puts the best validated step's weights into the policy. Returns that step
   * (the last step when nothing was validated or selection is off).
   */
  selectResult(): number {
    const best = this.state.valBest;
    if (!best || !this.best || best.step === this.state.step) return this.state.step;
    for (const [name, w] of this.best) this.policy.v(name).assign(w);
    return best.step;
  }

  get done(): boolean {
    return this.state.step >= this.state.totalSteps;
  }

  /** The variables RL updates, in a fixed order (Adam's slots follow it across resumes). */
  trainable(): tf.Variable[] {
    const pixelsFixed = !this.config.trainPixelEmotion && this.policy.config.expressionResidual === true;
    return [...this.policy.vars]
      .filter(([name]) => this.config.trainEncoder || !(name.startsWith('enc/') || name.startsWith('aux/')))
      .filter(([name]) => !(pixelsFixed && name === 'aux/emo/w'))
      .map(([, v]) => v);
  }

  private nextBatch(): number[] {
    return nextEpochBatch(this.state, this.config.promptsPerStep, this.train.length, this.rng);
  }

  /** The Facial-R1 reward of each output against its sample's labels. */
  private score(outputs: { text: string; sample: FaceSample }[]): RewardBreakdown[] {
    return outputs.map((o) => facialR1Reward(o.text, { emotion: o.sample.emotion, aus: o.sample.aus }, this.config.rewardWeights));
  }

  /** One RL step: rollout, μ updates on it, then validation when due. Returns the step's metrics. */
  trainStep(): Record<string, number> {
    const c = this.config;
    const started = performance.now();
    // 1. the step's learning rate
    const lr = scheduledRate(this.state.step, this.state.totalSteps, c.lr, c.warmupSteps, 1);
    setLearningRate(this.optimizer, lr);
    // 2. generate and score
    const batch = this.rollout();
    let updated: UpdateStats;
    try {
      // 3. compute the loss and step, μ times
      updated = this.update(batch);
    } finally {
      disposeRollout(batch);
    }
    this.state.step++;
    this.state.rng = this.rng.getState();
    // 4. validate when due, and log
    const seconds = (performance.now() - started) / 1000;
    const { rewards, teacher } = batch;
    const B = rewards.length;
    const U = c.updatesPerRollout;
    const rewardMean = meanReward(rewards);
    const val = this.validateStep();
    return {
      ...val,
      loss: updated.loss,
      reward: rewardMean,
      rewardStd: Math.sqrt(meanReward(rewards, (r) => (r.total - rewardMean) ** 2)),
      rewardFormat: meanReward(rewards, (r) => r.format),
      rewardAccuracy: meanReward(rewards, (r) => r.accuracy),
      rewardAU: meanReward(rewards, (r) => r.au),
      kl: updated.kl,
      clipFraction: updated.clipFraction,
      ratioMean: updated.ratioMean,
      completionLength: teacher.tokens / B,
      lr,
      tokensPerSec: (teacher.tokens * (1 + U + (this.reference ? 1 : 0))) / seconds,
      rolloutsPerSec: B / seconds,
      generationSeconds: batch.generationSeconds,
    };
  }

  /**
   * Generate and score (TRL's `_generate_and_score_completions`): the next images, G completions of each sampled
   * from the current policy, their rewards and group-normalised advantages, and, as constants for the loss, the
   * log-probs of the sampled tokens under the rollout policy (π_old) and the frozen reference (π_ref).
   */
  rollout(): RolloutBatch {
    const c = this.config;
    const G = c.groupSize;
    const started = performance.now();
    const batch = this.nextBatch();
    const samples = batch.flatMap((i) => Array.from({ length: G }, () => this.train[i]));
    const weights = this.weights ? batch.flatMap((i) => Array.from({ length: G }, () => this.weights![i])) : null;
    const B = samples.length;
    const inputs = makeInputs(this.policy.config, samples, {});
    try {
      // sample G completions per image at the run's temperature
      const { ids } = this.policy.generate(inputs, {
        bosId: this.tokenizer.bosId,
        eosId: this.tokenizer.eosId,
        temperature: c.temperature,
        rng: this.rng,
        maxNew: this.maxNew,
      });
      const generationSeconds = (performance.now() - started) / 1000;
      // score them; advantages are normalised within each image's group
      const rewards = this.score(ids.map((seq, i) => ({ text: this.tokenizer.decode(seq), sample: samples[i] })));
      const advantages = groupAdvantages(
        rewards.map((r) => r.total),
        G,
        { stdEps: c.stdEps },
      );
      // the completions as teacher-forced sequences, and their log-probs under π_old and π_ref
      const teacher = teacherBatch(ids, this.tokenizer.bosId, this.tokenizer.padId);
      const t = teacherTensors(teacher, B);
      const adv = tf.tensor1d(advantages);
      const sampleWeights = weights ? tf.tensor1d(weights) : null;
      const logProbsOf = (p: Policy) => tf.tidy(() => tokenLogProbs(p.forward(inputs, teacher.input, teacher.T).logits, t.target));
      const oldLogp = logProbsOf(this.policy);
      const refLogp = this.reference ? logProbsOf(this.reference) : null;
      return { inputs, ids, rewards, teacher, ...t, advantages: adv, sampleWeights, oldLogp, refLogp, generationSeconds };
    } catch (err) {
      disposeInputs(inputs);
      throw err;
    }
  }

  /**
   * Compute the loss and step (TRL's `compute_loss` + optimizer step), μ = updatesPerRollout times on the same
   * rollout batch: the PPO-clip surrogate with the k3 KL to the reference, aggregated as `lossType` says. Returns
   * the means over the updates of the loss and of the clip/KL/ratio statistics.
   */
  update(batch: RolloutBatch): UpdateStats {
    const c = this.config;
    const U = c.updatesPerRollout;
    const lossInput = (logp: tf.Tensor2D): GrpoLossInput => ({
      logp,
      oldLogp: batch.oldLogp,
      refLogp: batch.refLogp,
      mask: batch.mask,
      advantages: batch.advantages,
      beta: c.beta,
      epsLow: c.epsLow,
      epsHigh: c.epsHigh,
      lossType: c.lossType,
      maxCompletionLength: this.maxNew,
      sampleWeights: batch.sampleWeights,
    });
    let lossSum = 0;
    let clipSum = 0;
    let klSum = 0;
    let ratioSum = 0;
    for (let u = 0; u < U; u++) {
      let kept: tf.Tensor2D | null = null;
      try {
        lossSum += applyStep(
          this.policy,
          this.optimizer,
          () => {
            const logp = tokenLogProbs(this.policy.forward(batch.inputs, batch.teacher.input, batch.teacher.T).logits, batch.target);
            kept = tf.keep(logp);
            return grpoLoss(lossInput(logp));
          },
          c.clipNorm,
          this.trainable(),
        );
        const stats = grpoStats(lossInput(kept!));
        clipSum += stats.clipFraction;
        klSum += stats.klMean;
        ratioSum += stats.ratioMean;
      } finally {
        (kept as tf.Tensor2D | null)?.dispose();
      }
    }
    return { loss: lossSum / U, kl: klSum / U, clipFraction: clipSum / U, ratioMean: ratioSum / U };
  }

  /** Longest completion RL samples (and dr_grpo's L_max). */
  private get maxNew(): number {
    return this.policy.config.maxLen - 1;
  }

  /**
   * The training objective measured the same way before and after: mean reward of `perImage` completions sampled at
   * the run's temperature for the first `images` training images, with a fixed sampling seed.
   */
  probeSampledReward(p: Policy, images = 96, perImage = 4): number {
    const probe = this.train.slice(0, images).flatMap((s) => Array.from({ length: perImage }, () => s));
    return meanReward(this.score(generateOutputs(p, this.tokenizer, probe, { temperature: this.config.temperature, rng: new Rng(this.config.seed + 424242) })));
  }

  /** Mean reward of greedy outputs over the training images, for the policy and (when kept) the frozen start. */
  greedyTrainReward(): { policy: number; reference: number | null } {
    const score = (p: Policy) => meanReward(this.score(generateOutputs(p, this.tokenizer, this.train, { temperature: 0 })));
    return { policy: score(this.policy), reference: this.reference ? score(this.reference) : null };
  }

  async checkpoint(dir: string): Promise<void> {
    const best = this.best;
    await saveCheckpoint(dir, this.policy, this.tokenizer, this.optimizer, this.state, async (tmp) => {
      if (best && this.state.valBest) {
        await saveTensors(new FileIOHandler(path.join(tmp, BEST_FILE), BEST_FILE), [...best].map(([name, tensor]) => ({ name, tensor })), { kind: 'fea-rl-best' });
      }
    });
  }

  dispose(): void {
    if (this.best) tf.dispose([...this.best.values()]);
    this.best = null;
    this.policy.dispose();
    this.reference?.dispose();
    this.optimizer.dispose();
  }
}
