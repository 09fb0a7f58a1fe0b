/** The full configuration of a training run, as stored in runs.config, and how CLI/API overrides apply to it. */
import { z } from 'zod';
import { RUN_STAGES, type RunStage } from '../../pipelines/facs/vocabulary';
import { DECODERS } from '../../pipelines/model/config';
import { GRPO_LOSS_TYPES, SAMPLE_WEIGHTINGS } from '../../pipelines/rl/run-values';
import { DEFAULT_SFT_CONFIG, type SftConfig } from '../../pipelines/sft/config';
import { DEFAULT_RL_CONFIG, type RlConfig } from '../../pipelines/rl/config';

export interface RunConfig {
  stage: RunStage;
  split: string;
  trainPart: string;
  evalPart: string;
  /** Parent model (RL: the starting policy and KL reference). */
  from: number | null;
  /** Checkpoint every this many steps (and at the end). */
  checkpointEvery: number;
  sft: SftConfig;
  rl: RlConfig;
}

/** Numbers as the overrides write them (the trainers check their ranges). */
const count = z.number();

/** SftConfig.model: the policy shape's overrides (labels and vocabulary come from the data). */
const PolicyShapeSchema = z.object({
  imageSize: count,
  patchSize: count,
  patchHidden: count,
  featDim: count,
  descriptorDim: count,
  dModel: count,
  nHeads: count,
  nLayers: count,
  ffDim: count,
  maxLen: count,
  imageTokens: count,
  decoder: z.enum(DECODERS),
  emotionTokenIds: z.array(count),
  headBias: z.boolean(),
  window: count,
  embDim: count,
  hidden: count,
}).partial();

const SftConfigSchema = z.object({
  seed: count,
  epochs: count,
  steps: count.nullable(),
  batchSize: count,
  lr: z.number(),
  warmupSteps: count,
  auxWeight: z.number(),
  auxExtra: count,
  valFraction: z.number(),
  evalEvery: count,
  patience: count,
  conditionDrop: z.number(),
  emotionCopy: z.boolean(),
  headBias: z.boolean(),
  augment: z.boolean(),
  clipNorm: z.number(),
  model: PolicyShapeSchema,
}) satisfies z.ZodType<SftConfig>;

const RlConfigSchema = z.object({
  seed: count,
  steps: count,
  promptsPerStep: count,
  groupSize: count,
  temperature: z.number(),
  lr: z.number(),
  warmupSteps: count,
  beta: z.number(),
  epsLow: z.number(),
  epsHigh: z.number(),
  stdEps: z.number(),
  lossType: z.enum(GRPO_LOSS_TYPES),
  updatesPerRollout: count,
  rewardWeights: z.object({ format: z.number(), accuracy: z.number(), au: z.number() }),
  sampleWeights: z.enum(SAMPLE_WEIGHTINGS),
  clipNorm: z.number(),
  trainEncoder: z.boolean(),
  valFraction: z.number(),
  evalEvery: count,
  selectBest: z.boolean(),
}) satisfies z.ZodType<RlConfig>;

/** runs.config as the service writes it (buildRunConfig); the worker parses it with this before it trains. */
export const RunConfigSchema = z.object({
  stage: z.enum(RUN_STAGES),
  split: z.string(),
  // `--set trainPart=1` writes a number; the part's name is its text
  trainPart: z.coerce.string(),
  evalPart: z.coerce.string(),
  from: count.nullable(),
  checkpointEvery: count,
  sft: SftConfigSchema,
  rl: RlConfigSchema,
}) satisfies z.ZodType<RunConfig>;

/** A stored run configuration, or an error naming the run and the first field that does not fit. */
export function parseRunConfig(runId: number, json: string): RunConfig {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error(`run ${runId}: its stored configuration is not JSON`);
  }
  const parsed = RunConfigSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`run ${runId}: stored configuration field "${issue.path.join('.')}": ${issue.message}`);
}

export interface StartOptions {
  stage: RunStage;
  split: string;
  epochs?: number;
  steps?: number;
  from?: number | null;
  seed?: number;
  config?: Record<string, number | string | boolean>;
}

const TOP_LEVEL = new Set(['trainPart', 'evalPart', 'checkpointEvery']);

export function buildRunConfig(opts: StartOptions): RunConfig {
  const seed = opts.seed ?? 1;
  const cfg: RunConfig = {
    stage: opts.stage,
    split: opts.split,
    trainPart: 'train',
    evalPart: 'test',
    from: opts.from ?? null,
    checkpointEvery: opts.stage === 'sft' ? 25 : 5,
    sft: { ...DEFAULT_SFT_CONFIG, model: { ...DEFAULT_SFT_CONFIG.model }, seed },
    rl: { ...DEFAULT_RL_CONFIG, rewardWeights: { ...DEFAULT_RL_CONFIG.rewardWeights }, seed },
  };
  if (opts.epochs !== undefined) cfg.sft.epochs = opts.epochs;
  if (opts.steps !== undefined) {
    cfg.sft.steps = opts.steps;
    cfg.rl.steps = opts.steps;
  }
  for (const [key, value] of Object.entries(opts.config ?? {})) applyOverride(cfg, key, value);
  return cfg;
}

/**
 * `lr=1e-3` sets the stage's setting; `sft.lr`, `rl.beta`, `model.hidden` (= sft.model.hidden),
 * `rewardWeights.au` (= rl.rewardWeights.au) and the top-level keys address one explicitly.
 */
export function applyOverride(cfg: RunConfig, key: string, value: number | string | boolean): void {
  let parts = key.split('.');
  if (TOP_LEVEL.has(parts[0])) {
    (cfg as unknown as Record<string, unknown>)[parts[0]] = value;
    return;
  }
  if (parts[0] === 'model') parts = ['sft', ...parts];
  else if (parts[0] === 'rewardWeights') parts = ['rl', ...parts];
  else if (parts[0] !== 'sft' && parts[0] !== 'rl') parts = [cfg.stage, ...parts];
  let target = cfg as unknown as Record<string, unknown>;
  for (const p of parts.slice(0, -1)) {
    const next = target[p];
    if (typeof next !== 'object' || next === null) throw new Error(`unknown training setting "${key}"`);
    target = next as Record<string, unknown>;
  }
  const leaf = parts[parts.length - 1];
  const isModel = parts[1] === 'model';
  if (!(leaf in target) && !isModel) throw new Error(`unknown training setting "${key}"`);
  const current = target[leaf];
  if (typeof current === 'number' || (current === null && typeof value === 'number')) {
    const n = Number(value);
    if (!Number.isFinite(n)) throw new Error(`training setting "${key}" must be a number, got "${value}"`);
    target[leaf] = n;
  } else if (typeof current === 'boolean') target[leaf] = value === true || value === 'true' || value === 1;
  else {
    const choices = CHOICES[leaf];
    if (choices && !choices.includes(String(value))) throw new Error(`training setting "${key}" must be one of ${choices.join(', ')}, got "${value}"`);
    target[leaf] = isModel && typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;
  }
}

/** Settings whose value is one of a few names. */
const CHOICES: Record<string, readonly string[]> = {
  lossType: GRPO_LOSS_TYPES,
  sampleWeights: SAMPLE_WEIGHTINGS,
  decoder: DECODERS,
};
