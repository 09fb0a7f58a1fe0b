/**
 * GRPO as the reference specifies it (training-engines.md §1, facial-r1-method.md §5): G completions per image
 * sampled at temperature 1, reward = weighted R_format + R_acc + R_AU, group-normalised advantages (Bessel std + ε),
 * PPO-clip, k3 KL to the frozen reference (the starting SFT policy) with β, grpo/dapo/dr_grpo aggregation and
 * μ updates per rollout batch (μ > 1 makes the clip active).
 */
import { tf } from '../runtime/backend';
import type { WordTokenizer } from '../tokenizer';
import { type RewardWeights, DEFAULT_REWARD_WEIGHTS, facialR1Reward } from '../rewards';
import { type FaceSample, disposeInputs, makeInputs } from '../model/inputs';
import { generateOutputs } from '../model/generate';
import { Policy, tokenLogProbs } from '../model/policy';
import { loadCheckpoint, loadPolicy, saveCheckpoint } from '../model/persist';
import { Rng } from '../model/rng';
import { teacherBatch, teacherTensors } from '../model/sequences';
import { applyStep, makeAdam, scheduledRate, setLearningRate } from '../model/train-utils';
import { type GrpoLossType, groupAdvantages, grpoLoss, grpoStats } from './grpo-loss';

export interface RlConfig {
  seed: number;
  steps: number;
  /** Images per rollout batch; each gets groupSize completions. */
  promptsPerStep: number;
  groupSize: number;
  temperature: number;
  lr: number;
  warmupSteps: number;
  beta: number;
  epsLow: number;
  epsHigh: number;
  stdEps: number;
  lossType: GrpoLossType;
  updatesPerRollout: number;
  rewardWeights: RewardWeights;
  clipNorm: number;
  /**
   * Update the image encoder and auxiliary heads too (on by default, as Facial-R1 updates the whole model); off
   * adapts only the decoder, like freezing the vision tower of a VLM.
   */
  trainEncoder: boolean;
}

export const DEFAULT_RL_CONFIG: RlConfig = {
  seed: 1,
  steps: 30,
  promptsPerStep: 8,
  groupSize: 8,
  temperature: 1,
  lr: 2e-5,
  warmupSteps: 0,
  beta: 0.04,
  epsLow: 0.2,
  epsHigh: 0.2,
  stdEps: 1e-4,
  lossType: 'dapo',
  updatesPerRollout: 2,
  rewardWeights: { ...DEFAULT_REWARD_WEIGHTS },
  clipNorm: 1,
  trainEncoder: true,
};

export interface RlState {
  step: number;
  totalSteps: number;
  epoch: number;
  cursor: number;
  order: number[];
  rng: number[];
}

export class RlTrainer {
  private constructor(
    readonly config: RlConfig,
    readonly policy: Policy,
    readonly reference: Policy | null,
    readonly tokenizer: WordTokenizer,
    readonly train: FaceSample[],
    readonly optimizer: tf.AdamOptimizer,
    readonly state: RlState,
    private readonly rng: Rng,
  ) {}

  /** Starts from a saved SFT (or RL) policy folder; the reference is a frozen copy of it. */
  static async create(parentDir: string, samples: FaceSample[], config: RlConfig): Promise<RlTrainer> {
    const train = samples.filter((s) => s.emotion !== null);
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
    };
    state.rng = rng.getState();
    return new RlTrainer(config, policy, reference, tokenizer, train, makeAdam(config.lr), state, rng);
  }

  static async resume(checkpointDir: string, parentDir: string, samples: FaceSample[], config: RlConfig): Promise<RlTrainer> {
    const optimizer = makeAdam(config.lr);
    const { policy, tokenizer, state } = await loadCheckpoint<RlState>(checkpointDir, optimizer);
    const reference = config.beta !== 0 ? (await loadPolicy(parentDir, false)).policy : null;
    const rng = new Rng(0);
    rng.setState(state.rng);
    return new RlTrainer(config, policy, reference, tokenizer, samples.filter((s) => s.emotion !== null), optimizer, state, rng);
  }

  get done(): boolean {
    return this.state.step >= this.state.totalSteps;
  }

  /** The variables RL updates, in a fixed order (Adam's slots follow it across resumes). */
  trainable(): tf.Variable[] {
    return [...this.policy.vars]
      .filter(([name]) => this.config.trainEncoder || !(name.startsWith('enc/') || name.startsWith('aux/')))
      .map(([, v]) => v);
  }

  private nextBatch(): number[] {
    const s = this.state;
    const n = Math.min(this.config.promptsPerStep, this.train.length);
    const out: number[] = [];
    while (out.length < n) {
      if (s.cursor >= s.order.length) {
        s.epoch++;
        s.cursor = 0;
        s.order = this.rng.shuffle([...Array(this.train.length).keys()]);
      }
      out.push(s.order[s.cursor++]);
    }
    return out;
  }

  trainStep(): Record<string, number> {
    const c = this.config;
    const G = c.groupSize;
    const started = performance.now();
    const prompts = this.nextBatch().map((i) => this.train[i]);
    const rollouts = prompts.flatMap((s) => Array.from({ length: G }, () => s));
    const B = rollouts.length;
    const lr = scheduledRate(this.state.step, this.state.totalSteps, c.lr, c.warmupSteps, 1);
    setLearningRate(this.optimizer, lr);
    const inputs = makeInputs(this.policy.config, rollouts, {});
    const maxNew = this.policy.config.maxLen - 1;
    try {
      const gen = this.policy.generate(inputs, {
        bosId: this.tokenizer.bosId,
        eosId: this.tokenizer.eosId,
        temperature: c.temperature,
        rng: this.rng,
        maxNew,
      });
      const genSeconds = (performance.now() - started) / 1000;
      const texts = gen.ids.map((ids) => this.tokenizer.decode(ids));
      const rewards = texts.map((t, i) => facialR1Reward(t, { emotion: rollouts[i].emotion, aus: rollouts[i].aus }, c.rewardWeights));
      const advantages = groupAdvantages(
        rewards.map((r) => r.total),
        G,
        { stdEps: c.stdEps },
      );
      const tb = teacherBatch(gen.ids, this.tokenizer.bosId, this.tokenizer.padId);
      const t = teacherTensors(tb, B);
      const adv = tf.tensor1d(advantages);
      const oldLogp = tf.tidy(() => tokenLogProbs(this.policy.forward(inputs, tb.input, tb.T).logits, t.target));
      const refLogp = this.reference ? tf.tidy(() => tokenLogProbs(this.reference!.forward(inputs, tb.input, tb.T).logits, t.target)) : null;
      let lossSum = 0;
      let clipSum = 0;
      let klSum = 0;
      let ratioSum = 0;
      try {
        for (let u = 0; u < c.updatesPerRollout; u++) {
          let kept: tf.Tensor2D | null = null;
          const lossInput = (logp: tf.Tensor2D) => ({
            logp,
            oldLogp,
            refLogp,
            mask: t.mask,
            advantages: adv,
            beta: c.beta,
            epsLow: c.epsLow,
            epsHigh: c.epsHigh,
            lossType: c.lossType,
            maxCompletionLength: maxNew,
          });
          try {
            lossSum += applyStep(
              this.policy,
              this.optimizer,
              () => {
                const logp = tokenLogProbs(this.policy.forward(inputs, tb.input, tb.T).logits, t.target);
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
      } finally {
        tf.dispose([t.input, t.target, t.mask, adv, oldLogp, ...(refLogp ? [refLogp] : [])]);
      }
      this.state.step++;
      this.state.rng = this.rng.getState();
      const seconds = (performance.now() - started) / 1000;
      const mean = (f: (r: (typeof rewards)[number]) => number) => rewards.reduce((a, r) => a + f(r), 0) / rewards.length;
      const U = c.updatesPerRollout;
      const rewardMean = mean((r) => r.total);
      return {
        loss: lossSum / U,
        reward: rewardMean,
        rewardStd: Math.sqrt(mean((r) => (r.total - rewardMean) ** 2)),
        rewardFormat: mean((r) => r.format),
        rewardAccuracy: mean((r) => r.accuracy),
        rewardAU: mean((r) => r.au),
        kl: klSum / U,
        clipFraction: clipSum / U,
        ratioMean: ratioSum / U,
        completionLength: tb.tokens / B,
        lr,
        tokensPerSec: (tb.tokens * (1 + U + (this.reference ? 1 : 0))) / seconds,
        rolloutsPerSec: B / seconds,
        generationSeconds: genSeconds,
      };
    } finally {
      disposeInputs(inputs);
    }
  }

  /**
   * The training objective measured the same way before and after: mean reward of `perImage` completions sampled at
   * the run's temperature for the first `images` training images, with a fixed sampling seed.
   */
  probeSampledReward(p: Policy, images = 96, perImage = 4): number {
    const probe = this.train.slice(0, images).flatMap((s) => Array.from({ length: perImage }, () => s));
    const outs = generateOutputs(p, this.tokenizer, probe, { temperature: this.config.temperature, rng: new Rng(this.config.seed + 424242) });
    return outs.reduce((a, o) => a + facialR1Reward(o.text, { emotion: o.sample.emotion, aus: o.sample.aus }, this.config.rewardWeights).total, 0) / outs.length;
  }

  /** Mean reward of greedy outputs over the training images, for the policy and (when kept) the frozen start. */
  greedyTrainReward(): { policy: number; reference: number | null } {
    const score = (p: Policy) => {
      const outs = generateOutputs(p, this.tokenizer, this.train, { temperature: 0 });
      return outs.reduce((a, o) => a + facialR1Reward(o.text, { emotion: o.sample.emotion, aus: o.sample.aus }, this.config.rewardWeights).total, 0) / outs.length;
    };
    return { policy: score(this.policy), reference: this.reference ? score(this.reference) : null };
  }

  async checkpoint(dir: string): Promise<void> {
    await saveCheckpoint(dir, this.policy, this.tokenizer, this.optimizer, this.state);
  }

  dispose(): void {
    this.policy.dispose();
    this.reference?.dispose();
    this.optimizer.dispose();
  }
}
