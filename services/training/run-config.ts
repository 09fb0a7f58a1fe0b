/** The full configuration of a training run, as stored in runs.config, and how CLI/API overrides apply to it. */
import { z } from 'zod';
import { RUN_STAGES, type RunStage } from '../../pipelines/facs/vocabulary';
import { DECODERS } from '../../pipelines/model/config';
import { GRPO_LOSS_TYPES, SAMPLE_WEIGHTINGS } from '../../pipelines/rl/run-values';
import { CLASS_BALANCES, DEFAULT_SFT_CONFIG, type SftConfig } from '../../pipelines/sft/config';
import { DEFAULT_RL_CONFIG, type RlConfig } from '../../pipelines/rl/config';
import { DEFAULT_RUN_SEED, TRAINING_LIMITS } from '../../contract/training-choices';

export interface RunConfig {
  stage: RunStage;
  split: string;
  trainPart: string;
  evalPart: string;
  /** Parent model (RL: the starting policy and KL reference). */
  from: number | null;
  /** Train on this frozen snapshot (less the split's evaluation part) instead of the split's training part. */
  snapshot: number | null;
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
  expressionDim: count,
  expressionDecodeViews: count,
  dModel: count,
  nHeads: count,
  nLayers: count,
  ffDim: count,
  maxLen: count,
  imageTokens: count,
  decoder: z.enum(DECODERS),
  emotionTokenIds: z.array(count),
  headBias: z.boolean(),
  expressionResidual: z.boolean(),
  emotionSlot: z.boolean(),
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
  // runs stored before the setting existed weighed every record the same
  classBalance: z.enum(CLASS_BALANCES).default('none'),
  // runs stored before the residual head existed trained the head from scratch, without decay
  priorResidual: z.boolean().default(false),
  residualDecay: z.number().default(0),
  // runs stored before the closing fit existed ended with the head as SGD left it
  headFit: z.boolean().default(false),
  // runs stored before it fitted the head on the snapshot's own records only
  headFitEmotionOnly: z.boolean().default(false),
  // runs stored before it solved the head on view 0's features only
  headFitViews: z.boolean().default(false),
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
  // runs stored before the option existed trained those weights (and a resume keeps Adam's slots in that order)
  trainPixelEmotion: z.boolean().default(true),
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
  // configs stored before snapshots existed have none
  snapshot: count.nullable().default(null),
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
  snapshot?: number | null;
  seed?: number;
  config?: Record<string, number | string | boolean>;
}

/** What an override's value becomes: a number, a boolean, free text (a part's name) or one of a few names. */
type SettingKind = 'number' | 'boolean' | 'text' | { choices: readonly string[] };

/** Keys that would walk into an object's prototype chain instead of a setting. */
const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

function kindOf(schema: z.ZodType): SettingKind | null {
  let s: z.ZodType = schema;
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
    else break;
  }
  if (s instanceof z.ZodNumber) return 'number';
  if (s instanceof z.ZodBoolean) return 'boolean';
  if (s instanceof z.ZodString) return 'text';
  if (s instanceof z.ZodEnum) return { choices: s.options.map(String) };
  return null;
}

/**
 * Every setting an override may address, by its full dotted path, read off the schema: a Map, so a user's key is
 * only ever looked up, never walked through objects. Lists (model.emotionTokenIds) and `stage`/`split`/`from`
 * are not overridable.
 */
const SETTINGS: ReadonlyMap<string, SettingKind> = (() => {
  const out = new Map<string, SettingKind>();
  const walk = (prefix: string, shape: Record<string, z.ZodType>) => {
    for (const [key, schema] of Object.entries(shape)) {
      const inner = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
      if (inner instanceof z.ZodObject) walk(`${prefix}${key}.`, inner.shape as Record<string, z.ZodType>);
      else {
        const kind = kindOf(schema);
        if (kind) out.set(`${prefix}${key}`, kind);
      }
    }
  };
  walk('sft.', SftConfigSchema.shape);
  walk('rl.', RlConfigSchema.shape);
  for (const key of ['trainPart', 'evalPart', 'checkpointEvery'] as const) out.set(key, kindOf(RunConfigSchema.shape[key])!);
  return out;
})();

/**
 * A user's key → the full path of the setting it names. `lr` is the stage's setting; `sft.lr`, `rl.beta`,
 * `model.hidden` (= sft.model.hidden), `rewardWeights.au` (= rl.rewardWeights.au) and the top-level keys address
 * one explicitly.
 */
function settingPath(stage: RunStage, key: string): string {
  const parts = key.split('.');
  if (parts.some((p) => p === '' || FORBIDDEN_SEGMENTS.has(p))) throw new Error(`unknown training setting "${key}"`);
  let full: string[];
  if (parts.length === 1 && SETTINGS.has(parts[0])) full = parts;
  else if (parts[0] === 'model') full = ['sft', ...parts];
  else if (parts[0] === 'rewardWeights') full = ['rl', ...parts];
  else if (parts[0] === 'sft' || parts[0] === 'rl') full = parts;
  else full = [stage, ...parts];
  const path = full.join('.');
  if (!SETTINGS.has(path)) throw new Error(`unknown training setting "${key}"`);
  return path;
}

function settingValue(key: string, kind: SettingKind, value: number | string | boolean): number | string | boolean {
  if (kind === 'number') {
    const n = typeof value === 'boolean' ? NaN : Number(value);
    if (!Number.isFinite(n) || (typeof value === 'string' && value.trim() === '')) throw new Error(`training setting "${key}" must be a number, got "${value}"`);
    return n;
  }
  if (kind === 'boolean') return value === true || value === 'true' || value === 1;
  if (kind === 'text') return String(value);
  if (!kind.choices.includes(String(value))) throw new Error(`training setting "${key}" must be one of ${kind.choices.join(', ')}, got "${value}"`);
  return String(value);
}

/**
 * The run's configuration: the defaults, the stage's seed, --epochs/--steps and the overrides. Every override is
 * checked against the known settings before any is applied; the result is built on a fresh copy of the defaults
 * and returned as the schema's parse of it (a new object holding only known fields).
 */
export function buildRunConfig(opts: StartOptions): RunConfig {
  const overrides = Object.entries(opts.config ?? {});
  if (overrides.length > TRAINING_LIMITS.maxSettings) throw new Error(`at most ${TRAINING_LIMITS.maxSettings} training settings, got ${overrides.length}`);
  const resolved = overrides.map(([key, value]) => {
    const path = settingPath(opts.stage, key);
    return { path, value: settingValue(key, SETTINGS.get(path)!, value) };
  });

  const seed = opts.seed ?? DEFAULT_RUN_SEED;
  const cfg: RunConfig = {
    stage: opts.stage,
    split: opts.split,
    trainPart: 'train',
    evalPart: 'test',
    from: opts.from ?? null,
    snapshot: opts.snapshot ?? null,
    checkpointEvery: opts.stage === 'sft' ? 25 : 5,
    sft: { ...structuredClone(DEFAULT_SFT_CONFIG), seed },
    rl: { ...structuredClone(DEFAULT_RL_CONFIG), seed },
  };
  if (opts.epochs !== undefined) cfg.sft.epochs = opts.epochs;
  if (opts.steps !== undefined) {
    cfg.sft.steps = opts.steps;
    cfg.rl.steps = opts.steps;
  }
  for (const { path, value } of resolved) setKnown(cfg, path, value);
  const parsed = RunConfigSchema.safeParse(cfg);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`training setting "${issue.path.join('.')}": ${issue.message}`);
  }
  const out = parsed.data;
  const bounds: [string, number | null, number][] = [
    ['sft.epochs', out.sft.epochs, TRAINING_LIMITS.maxEpochs],
    ['sft.steps', out.sft.steps, TRAINING_LIMITS.maxSteps],
    ['rl.steps', out.rl.steps, TRAINING_LIMITS.maxSteps],
  ];
  for (const [name, v, max] of bounds) {
    if (v !== null && (!Number.isInteger(v) || v < 1 || v > max)) throw new Error(`training setting "${name}" must be a whole number from 1 to ${max}, got ${v}`);
  }
  return out;
}

/** Sets a setting from SETTINGS (a known path of own, plain objects: sft, rl, sft.model, rl.rewardWeights). */
function setKnown(cfg: RunConfig, path: string, value: number | string | boolean): void {
  const parts = path.split('.');
  let target = cfg as unknown as Record<string, unknown>;
  for (const p of parts.slice(0, -1)) {
    const next = Object.hasOwn(target, p) ? target[p] : undefined;
    if (typeof next !== 'object' || next === null) throw new Error(`unknown training setting "${path}"`);
    target = next as Record<string, unknown>;
  }
  target[parts[parts.length - 1]] = value;
}
