/**
 * bench/head-splits: the emotion head's gain over the zero-shot expression net, averaged over many random 80/20
 * splits of one analysed set, where one split's test part (a few hundred faces, a handful of subjects) moves the
 * gain by ±0.03 on its own. Reads the workspace a `bench/real-faces --keep DIR` run left; for each split it solves
 * the head on the training part's labelled records as SFT does before its first step (SftTrainer.create with the
 * SFT defaults of this build and any --set) and scores the head's answer, which is the policy's answer after SFT
 * (format 1.000), against the net's on the test part. Subjects stay on one side with --by-subject.
 * Progress on stderr; one JSON object on the last stdout line.
 * Usage: node dist/bench/head-splits.js <kept dir> [--splits 20] [--by-subject] [--seed 1] [--set key=value …]
 */
import * as path from 'node:path';
import { openWorkspace } from '../db/open';
import { getRun } from '../db/repositories/runs';
import { DEFAULT_POLICY_SHAPE } from '../pipelines/model/config';
import { disposeInputs, makeInputs, type FaceSample } from '../pipelines/model/inputs';
import { Rng } from '../pipelines/model/rng';
import { initBackend, tf } from '../pipelines/runtime/backend';
import { subjectKey } from '../pipelines/sft/holdout';
import { SftTrainer } from '../pipelines/sft/train-sft';
import { EXPRESSION_FEATURE_DIM, expressionPriorPositions } from '../pipelines/vision/expression-features';
import { loadSplitSamples } from '../services/training/dataset';
import { runEmotions } from '../services/training/run-emotions';
import { buildRunConfig, parseRunConfig } from '../services/training/run-config';
import { parseSets } from '../cli/settings';
import { args, count } from './args';
import { median } from './stats';

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** The test part of split `seed`: whole subjects until a fifth of the faces, or a fifth of the faces at random. */
function testPart(all: FaceSample[], seed: number, bySubject: boolean): Set<string> {
  const rng = new Rng(seed * 101 + 7);
  if (!bySubject) return new Set(rng.shuffle(all.map((s) => s.recordId)).slice(0, Math.round(0.2 * all.length)));
  const faces = new Map<string, string[]>();
  for (const s of all) faces.set(subjectKey(s), [...(faces.get(subjectKey(s)) ?? []), s.recordId]);
  const out = new Set<string>();
  for (const subject of rng.shuffle([...faces.keys()].sort())) {
    if (out.size >= 0.2 * all.length) break;
    for (const id of faces.get(subject)!) out.add(id);
  }
  return out;
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir || dir.startsWith('--')) throw new Error('usage: node dist/bench/head-splits.js <kept dir> [--splits 20] [--by-subject] [--seed 1] [--set key=value …]');
  const splits = count('splits', 20, 1);
  const first = count('seed', 1, 0);
  const bySubject = process.argv.includes('--by-subject');
  await initBackend();
  const ws = openWorkspace(path.join(path.resolve(dir), 'ws'));
  const run = getRun(ws.db, 1);
  if (!run || run.stage !== 'sft') throw new Error(`${dir}: run 1 is not the kept SFT run`);
  const cfg = parseRunConfig(1, run.config);
  // this build's SFT defaults and --set, as `fea train --set` would start a run today
  const sets = args('set');
  const { sft } = buildRunConfig({ stage: 'sft', split: cfg.split, config: parseSets(sets) });
  const opts = {
    imageSize: sft.model.imageSize ?? DEFAULT_POLICY_SHAPE.imageSize,
    descriptorDim: sft.model.descriptorDim ?? DEFAULT_POLICY_SHAPE.descriptorDim,
    expressionDim: EXPRESSION_FEATURE_DIM,
    labeledOnly: false,
  };
  const parts = await Promise.all(['train', 'test'].map((part) => loadSplitSamples(ws, cfg.split, part, opts)));
  const all = parts.flat().filter((s) => s.emotion !== null);
  const labels = new Set(all.map((s) => s.emotion!));
  const emotions = runEmotions(ws, all);
  const positions = expressionPriorPositions(emotions);
  // the net's most probable emotion among those the set has (bench/real-faces' zeroShot), from view 0's probabilities
  const netSays = (s: FaceSample): string | null => {
    const f = s.expressionViews![0].features;
    let best: string | null = null;
    let p = -1;
    emotions.forEach((e, k) => {
      if (positions[k] >= 0 && labels.has(e) && f[positions[k]] > p) [best, p] = [e, f[positions[k]]];
    });
    return best;
  };
  const rows = [];
  for (let seed = first; seed < first + splits; seed++) {
    const held = testPart(all, seed, bySubject);
    const test = all.filter((s) => held.has(s.recordId));
    // every training record is the head's: the snapshot's with their reasoning, the weak ones as emotion-only samples
    const train = all.filter((s) => !held.has(s.recordId));
    const trainer = SftTrainer.create(train, emotions, { ...sft, steps: 1, model: { ...sft.model, expressionPrior: positions } });
    const inputs = makeInputs(trainer.policy.config, test, {});
    const logits = tf.tidy(() => trainer.policy.encode(inputs).emoLogits.arraySync());
    disposeInputs(inputs);
    const report = trainer.state.headFit;
    trainer.dispose();
    const head = test.filter((s, i) => emotions[logits[i].indexOf(Math.max(...logits[i]))] === s.emotion).length / test.length;
    const zeroShot = test.filter((s) => netSays(s) === s.emotion).length / test.length;
    rows.push({ seed, test: test.length, zeroShot: r3(zeroShot), head: r3(head), gain: r3(head - zeroShot), l2: report?.l2 ?? null, kept: report?.kept ?? null });
    process.stderr.write(`[head-splits] ${seed - first + 1}/${splits}: zero-shot ${r3(zeroShot)} head ${r3(head)} (L2 ${report?.l2})\n`);
  }
  const mean = (v: number[]) => r3(v.reduce((a, b) => a + b, 0) / v.length);
  const gains = rows.map((r) => r.gain);
  process.stdout.write(
    `${JSON.stringify({
      bench: 'head-splits',
      dir,
      faces: all.length,
      bySubject,
      sets,
      splits: rows,
      mean: { zeroShot: mean(rows.map((r) => r.zeroShot)), head: mean(rows.map((r) => r.head)), gain: mean(gains) },
      gain: { median: median(gains), min: Math.min(...gains), max: Math.max(...gains), splitsAtLeast003: gains.filter((g) => g >= 0.03).length },
    })}\n`,
  );
  ws.db.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`head-splits: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
