/** The full configuration of a training run, as stored in runs.config, and how CLI/API overrides apply to it. */
import { DEFAULT_SFT_CONFIG, type SftConfig } from '../../pipelines/sft/train-sft';
import { DEFAULT_RL_CONFIG, type RlConfig } from '../../pipelines/rl/train-rl';

export interface RunConfig {
  stage: 'sft' | 'rl';
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

export interface StartOptions {
  stage: 'sft' | 'rl';
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
  lossType: ['grpo', 'dapo', 'dr_grpo'],
  sampleWeights: ['none', 'facial-r1'],
  decoder: ['window', 'transformer'],
};
