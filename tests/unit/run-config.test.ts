/** How `--set KEY=VALUE` (CLI) and the start form's settings apply to a run's configuration. */
import { buildRunConfig, parseRunConfig } from '../../services/training/run-config';
import { DEFAULT_RL_CONFIG } from '../../pipelines/rl/config';
import { DEFAULT_SFT_CONFIG } from '../../pipelines/sft/config';

const build = (stage: 'sft' | 'rl', config: Record<string, number | string | boolean>) => buildRunConfig({ stage, split: 's', config });

test('defaults, and a bare key addresses the stage being run', () => {
  const rl = build('rl', { lr: '1e-4', beta: 0 });
  expect(rl.rl).toMatchObject({ lr: 1e-4, beta: 0, steps: DEFAULT_RL_CONFIG.steps, sampleWeights: 'none' });
  expect(rl.sft.lr).toBe(DEFAULT_SFT_CONFIG.lr);
  expect(build('sft', { lr: 0.01 }).sft.lr).toBe(0.01);
});

test('explicit prefixes, model.* and rewardWeights.*, booleans and top-level keys', () => {
  const c = build('rl', { 'sft.epochs': 3, 'model.hidden': '64', 'rewardWeights.au': 0.5, trainEncoder: 'false', checkpointEvery: 7 });
  expect(c.sft.epochs).toBe(3);
  expect(c.sft.model.hidden).toBe(64);
  expect(c.rl.rewardWeights).toEqual({ ...DEFAULT_RL_CONFIG.rewardWeights, au: 0.5 });
  expect(c.rl.trainEncoder).toBe(false);
  expect(c.checkpointEvery).toBe(7);
  expect(DEFAULT_RL_CONFIG.rewardWeights.au).toBe(1);
});

test('named choices are checked', () => {
  expect(build('rl', { lossType: 'grpo', sampleWeights: 'facial-r1' }).rl).toMatchObject({ lossType: 'grpo', sampleWeights: 'facial-r1' });
  expect(build('sft', { 'model.decoder': 'transformer' }).sft.model.decoder).toBe('transformer');
  expect(() => build('rl', { lossType: 'ppo' })).toThrow('training setting "lossType" must be one of grpo, dapo, dr_grpo, got "ppo"');
  expect(() => build('rl', { sampleWeights: 'inverse' })).toThrow(/must be one of none, facial-r1/);
  expect(() => build('sft', { 'model.decoder': 'lstm' })).toThrow(/must be one of window, transformer/);
});

test('unknown keys and non-numbers are refused with the key named', () => {
  expect(() => build('rl', { betta: 0.1 })).toThrow('unknown training setting "betta"');
  expect(() => build('rl', { beta: 'high' })).toThrow('training setting "beta" must be a number, got "high"');
});

test('a stored configuration is parsed with its schema; one that does not fit is refused with the run and field named', () => {
  const cfg = build('rl', { lossType: 'grpo', 'model.decoder': 'transformer', trainPart: 1 });
  expect(parseRunConfig(3, JSON.stringify(cfg))).toEqual({ ...cfg, trainPart: '1' });
  const broken = { ...cfg, rl: { ...cfg.rl, lossType: 'ppo' } };
  expect(() => parseRunConfig(3, JSON.stringify(broken))).toThrow(/^run 3: stored configuration field "rl.lossType"/);
  expect(() => parseRunConfig(4, '{')).toThrow('run 4: its stored configuration is not JSON');
});

test('keys through __proto__, constructor or prototype are refused, and nothing reaches Object.prototype', () => {
  for (const key of ['model.__proto__.polluted', '__proto__.polluted', 'sft.constructor.prototype.polluted', 'rl.rewardWeights.__proto__.polluted', 'constructor', 'sft.prototype']) {
    expect(() => build('sft', { [key]: 1 })).toThrow(`unknown training setting "${key}"`);
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
});

test('settings are checked as a whole before any is applied, on a fresh copy of the defaults', () => {
  const before = structuredClone(DEFAULT_SFT_CONFIG);
  expect(() => build('sft', { 'model.hidden': 64, lr: 0.5, betta: 1 })).toThrow('unknown training setting "betta"');
  const c = build('sft', { 'model.hidden': 64 });
  expect(DEFAULT_SFT_CONFIG).toEqual(before);
  expect(c.sft.model).not.toBe(DEFAULT_SFT_CONFIG.model);
  expect(Object.getPrototypeOf(c.sft.model)).toBe(Object.prototype);
  expect(build('sft', {}).sft.model).toEqual({});
});

test('steps and epochs are bounded, whichever way they are set', () => {
  expect(() => buildRunConfig({ stage: 'rl', split: 's', config: { steps: 1e6 } })).toThrow(/"rl.steps" must be a whole number from 1 to 100000/);
  expect(() => buildRunConfig({ stage: 'sft', split: 's', config: { epochs: 1e7 } })).toThrow(/"sft.epochs"/);
  expect(() => buildRunConfig({ stage: 'sft', split: 's', steps: 1e9 })).toThrow(/"sft.steps"/);
  expect(buildRunConfig({ stage: 'sft', split: 's', steps: 100_000 }).sft.steps).toBe(100_000);
});

test('class balance and the expression input are settings; a run stored before class balance existed weighed every record the same', () => {
  expect(build('sft', {}).sft.classBalance).toBe('loss');
  expect(build('sft', { classBalance: 'none', 'model.expressionDim': 0 }).sft).toMatchObject({ classBalance: 'none', model: { expressionDim: 0 } });
  expect(() => build('sft', { classBalance: 'sampler' })).toThrow(/"classBalance" must be one of loss, none/);
  const cfg = build('sft', {});
  const { classBalance: _dropped, ...before } = cfg.sft;
  expect(parseRunConfig(5, JSON.stringify({ ...cfg, sft: before })).sft.classBalance).toBe('none');
});

test("RL trains the residual head's pixel weights unless told not to; a run stored before the option trained them, and resumes so", () => {
  const cfg = build('rl', {});
  expect(cfg.rl.trainPixelEmotion).toBe(true);
  expect(build('rl', { trainPixelEmotion: 'false' }).rl.trainPixelEmotion).toBe(false);
  const { trainPixelEmotion: _, ...older } = cfg.rl;
  expect(parseRunConfig(4, JSON.stringify({ ...cfg, rl: older })).rl.trainPixelEmotion).toBe(true);
});
