/**
 * The training pipeline's acceptance run, through the public CLI: a demo workspace, a subject-grouped 80/20 split,
 * SFT then RL with default flags, both evaluated on the test part. Prints one JSON object with the numbers and
 * each target met or not. About 5–8 minutes on 2 cores (wasm).
 * Usage: node dist/bench/pipeline.js [--demo 600] [--seed 1] [--analyze] [--keep DIR]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EvalReport } from '../pipelines/eval/metrics';
import { fea } from './fea';
import { arg } from './args';

/** What `fea train --json` prints, as far as this script reads it. */
interface SftJson {
  backend: string;
  metrics: { step: number; eval: EvalReport };
}
interface RlJson {
  metrics: {
    selectedStep: number;
    eval: EvalReport;
    trainRewardGreedyStart: number;
    trainRewardGreedy: number;
    trainRewardSampledStart: number;
    trainRewardSampled: number;
    rewardMeanFirstThird: number;
    rewardMeanLastThird: number;
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function main(): void {
  const demo = arg('demo', '600');
  const seed = arg('seed', '1');
  const keep = arg('keep', '');
  const ws = keep || path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fea-bench-pipeline-')), 'ws');
  if (fs.existsSync(ws)) throw new Error(`${ws} exists: --keep needs a new folder`);
  try {
    fea(['init', ws, '--demo', demo, '--seed', seed]);
    fea(['split', ws, '--name', 'main', '--ratios', 'train=0.8,test=0.2', '--stratify', 'emotion', '--group', 'subject', '--seed', seed]);
    const analyzed = process.argv.includes('--analyze') ? fea(['analyze', ws]) : null;
    const sft = fea<SftJson>(['train', ws, '--stage', 'sft', '--split', 'main']);
    const rl = fea<RlJson>(['train', ws, '--stage', 'rl', '--split', 'main']);
    const s = sft.json.metrics.eval;
    const r = rl.json.metrics;
    const pick = (e: EvalReport) => ({
      accuracy: round(e.accuracy),
      macroF1: round(e.macroF1),
      auF1Micro: round(e.auF1Micro),
      auF1Macro: round(e.auF1Macro),
      formatRate: round(e.formatRate),
      rougeL: round(e.rougeL),
    });
    const out = {
      bench: 'pipeline',
      demo: Number(demo),
      seed: Number(seed),
      analyzed: analyzed !== null,
      backend: sft.json.backend,
      testN: s.n,
      sft: { seconds: round(sft.seconds), steps: sft.json.metrics.step, ...pick(s) },
      rl: {
        seconds: round(rl.seconds),
        selectedStep: r.selectedStep,
        ...pick(r.eval),
        trainRewardGreedy: { start: round(r.trainRewardGreedyStart), end: round(r.trainRewardGreedy) },
        trainRewardSampled: { start: round(r.trainRewardSampledStart), end: round(r.trainRewardSampled) },
        rolloutReward: { firstThird: round(r.rewardMeanFirstThird), lastThird: round(r.rewardMeanLastThird) },
      },
      targets: {
        sftFormatRate: s.formatRate >= 0.95,
        sftAccuracy: s.accuracy >= 0.8,
        sftAuF1Micro: s.auF1Micro >= 0.7,
        rlRaisesTrainReward: r.trainRewardSampled > r.trainRewardSampledStart && r.rewardMeanLastThird > r.rewardMeanFirstThird,
        rlKeepsAccuracy: r.eval.accuracy >= s.accuracy - 0.02,
      },
      workspace: keep || null,
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    if (!keep) fs.rmSync(path.dirname(ws), { recursive: true, force: true });
  }
}

main();
