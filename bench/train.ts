/**
 * bench/train: SFT sequences/s, RL rollouts/s and the SFT step's achieved matMul FLOP/s as a fraction of a dense
 * matMul measured in the same process on the same backend, for the default CLI policy.
 * Usage: node dist/bench/train.js [--faces 128] [--sft-steps 6] [--rl-steps 2]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDemoFaces } from '../fixtures/demo';
import { DEFAULT_EMOTIONS } from '../pipelines/facs';
import { grayPixels } from '../pipelines/data/pixels';
import { conditionWidth, type PolicyConfig } from '../pipelines/model/config';
import type { FaceSample } from '../pipelines/model/inputs';
import { savePolicy } from '../pipelines/model/persist';
import { DEFAULT_RL_CONFIG } from '../pipelines/rl/config';
import { RlTrainer } from '../pipelines/rl/train-rl';
import { initBackend, tf } from '../pipelines/runtime/backend';
import { DEFAULT_SFT_CONFIG } from '../pipelines/sft/config';
import { SftTrainer } from '../pipelines/sft/train-sft';
import { num } from './args';

/** Multiply-add FLOPs (2 per MAC) of the matMuls of one forward pass; backward runs two matMuls per forward one. */
export function forwardMatmulFlops(c: PolicyConfig, B: number, T: number, extraImages: number): number {
  const np = (c.imageSize / c.patchSize) ** 2;
  const pp = c.patchSize * c.patchSize;
  const E = c.emotions.length;
  const A = Math.max(c.aus.length, 1);
  const images = B + extraImages;
  const encoder = images * 2 * (np * pp * c.patchHidden + (np * c.patchHidden + c.descriptorDim + 1) * c.featDim + c.featDim * c.featDim + c.featDim * (E + A));
  if (c.decoder !== 'window') throw new Error('the FLOP count covers the default window decoder');
  const N = B * T;
  const V = c.vocabSize;
  const H = c.hidden;
  const ctxIn = c.featDim + E + A + conditionWidth(c);
  const decoder =
    2 * B * ctxIn * H + 2 * N * (c.window * V * c.embDim + c.window * c.embDim * H + V * H + c.maxLen * H + H * H + H * V);
  return encoder + decoder;
}

function denseMatmulGflops(n: number, seconds: number): number {
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
  for (let i = 0; i < 3; i++) tf.matMul(a, b).dispose();
  let iters = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
    iters++;
  }
  const dt = (performance.now() - t0) / 1000;
  tf.dispose([a, b]);
  return (2 * n * n * n * iters) / dt / 1e9;
}

async function main(): Promise<void> {
  const backend = await initBackend();
  const nFaces = num('faces', 128);
  const sftSteps = num('sft-steps', 6);
  const rlSteps = num('rl-steps', 2);
  const faces = await generateDemoFaces({ n: nFaces, seed: 1 });
  const size = DEFAULT_SFT_CONFIG.model.imageSize ?? 64;
  const samples: FaceSample[] = [];
  for (const f of faces) {
    samples.push({ recordId: f.id, imageKey: f.fileName, subject: f.subject, pixels: await grayPixels(f.png, size), descriptor: null, emotion: f.emotion, aus: f.aus, reasoning: f.reasoning });
  }
  // dense reference before and after, so a change of machine load between the two phases shows
  const denseBefore = denseMatmulGflops(512, 2);

  const sftCfg = { ...DEFAULT_SFT_CONFIG, steps: sftSteps + 1, valFraction: 0, evalEvery: 1e9, patience: 0 };
  const sft = SftTrainer.create(samples, [...DEFAULT_EMOTIONS], sftCfg);
  sft.trainStep(); // warm-up: kernel compilation and first allocations
  let flops = 0;
  let seqs = 0;
  let tokens = 0;
  let seconds = 0;
  for (let i = 0; i < sftSteps; i++) {
    const t0 = performance.now();
    const m = sft.trainStep();
    const dt = (performance.now() - t0) / 1000;
    seconds += dt;
    const { sequences, paddedLength, extraImages } = sft.lastBatch;
    seqs += sequences;
    tokens += m.tokensPerSec * dt;
    flops += 3 * forwardMatmulFlops(sft.policy.config, sequences, paddedLength, extraImages);
  }
  const denseAfter = denseMatmulGflops(512, 2);
  const dense = (denseBefore + denseAfter) / 2;
  const achieved = flops / seconds / 1e9;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-bench-train-'));
  await savePolicy(dir, sft.policy, sft.tokenizer);
  const config = sft.policy.config;
  const params = sft.policy.parameterCount();
  sft.dispose();
  const rl = await RlTrainer.create(dir, samples, { ...DEFAULT_RL_CONFIG, steps: rlSteps + 1 });
  rl.trainStep();
  let rollouts = 0;
  let rlSeconds = 0;
  const rlMetrics: Record<string, number>[] = [];
  for (let i = 0; i < rlSteps; i++) {
    const t0 = performance.now();
    const m = rl.trainStep();
    rlSeconds += (performance.now() - t0) / 1000;
    rollouts += DEFAULT_RL_CONFIG.promptsPerStep * DEFAULT_RL_CONFIG.groupSize;
    rlMetrics.push(m);
  }
  rl.dispose();
  fs.rmSync(dir, { recursive: true, force: true });

  const out = {
    bench: 'train',
    backend,
    cores: os.cpus().length,
    loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))),
    model: { decoder: config.decoder, params, imageSize: config.imageSize, hidden: config.hidden, vocabSize: config.vocabSize, maxLen: config.maxLen },
    sft: {
      steps: sftSteps,
      batchSize: DEFAULT_SFT_CONFIG.batchSize,
      auxExtraImages: DEFAULT_SFT_CONFIG.auxExtra,
      sequencesPerSec: Number((seqs / seconds).toFixed(2)),
      tokensPerSec: Number((tokens / seconds).toFixed(1)),
      secondsPerStep: Number((seconds / sftSteps).toFixed(3)),
      matmulGflopPerStep: Number((flops / sftSteps / 1e9).toFixed(3)),
      achievedGflops: Number(achieved.toFixed(3)),
    },
    rl: {
      steps: rlSteps,
      groupSize: DEFAULT_RL_CONFIG.groupSize,
      promptsPerStep: DEFAULT_RL_CONFIG.promptsPerStep,
      updatesPerRollout: DEFAULT_RL_CONFIG.updatesPerRollout,
      rolloutsPerSec: Number((rollouts / rlSeconds).toFixed(2)),
      secondsPerStep: Number((rlSeconds / rlSteps).toFixed(3)),
    },
    denseMatmul: { shape: [512, 512, 512], gflopsBefore: Number(denseBefore.toFixed(3)), gflopsAfter: Number(denseAfter.toFixed(3)) },
    sftFlopFraction: Number((achieved / dense).toFixed(3)),
    target: 0.25,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
