/**
 * The emotion head's fit before SFT (SftConfig.headFit). Under the residual head the head's logits are
 * α·log p̄ + res·x + b (+ aux/emo/w·pooled) on frozen inputs: without the pooled pixel path that is a multinomial
 * logistic regression, a convex problem. Joint SGD with the decoder leaves it wherever the last batch did (on the
 * real-photo sets of TRAINING.md §8 below the net it starts from); solved in full batch, with its L2 chosen by
 * cross-validation over whole subjects of the training samples, it is the best linear read of those features the
 * data supports. The fit is kept only where its cross-validated accuracy beats the net's own answer; otherwise the
 * head is set to exactly that answer (α = 1, everything else 0). SFT then trains everything else with the head
 * fixed, so the text learns to read the head it will decode with (a head sharpened after the text was trained
 * unsettles the text's own tokens).
 */
import { tf } from '../runtime/backend';
import { type FaceSample, disposeInputs, makeInputs } from '../model/inputs';
import type { Policy } from '../model/policy';
import { Rng } from '../model/rng';
import { subjectKey } from './holdout';

export const HEAD_FIT = {
  folds: 5,
  /** The L2 grid; the choice has the lowest cross-validated log-loss (chooseL2). */
  l2: [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 100] as const,
  iterations: 100,
  lr: 0.1,
  /** Fewest labelled samples, and subjects, that a cross-validated choice stands on. */
  minSamples: 20,
  minGroups: 4,
  /** Samples per makeInputs call while the features are gathered. */
  chunk: 256,
} as const;

export interface HeadFitReport {
  /** 'fit': the solved head; 'prior': the net's answer (the fit did not beat it under cross-validation). */
  kept: 'fit' | 'prior';
  l2: number;
  samples: number;
  /** Of those, samples with an emotion but no reasoning (SftConfig.headFitEmotionOnly; set by the trainer). */
  emotionOnly?: number;
  /** Rows the head was solved on where each stored view is one (SftConfig.headFitViews); absent: one per sample. */
  rows?: number;
  folds: number;
  cvAccuracy: number;
  /** The chosen L2's cross-validated mean log-loss (the choice's measure). */
  cvLogLoss?: number;
  priorCvAccuracy: number;
}

/**
 * The head's frozen inputs for every labelled sample: features with their flag [N, F+1], prior [N, E], label, weight,
 * group. `fit` holds the rows the head is solved on: with `views` each of a sample's stored views is a row of its own
 * (the sample's weight shared between them), else view 0. `decoded` holds one row per sample with the inputs decoding
 * reads, on which the fit is scored: view 0's row, or a row of its own where the policy averages views at decode
 * (PolicyConfig.expressionDecodeViews).
 */
interface HeadData {
  x: Float32Array;
  prior: Float32Array;
  label: Int32Array;
  weight: Float32Array;
  group: string[];
  fit: number[];
  decoded: number[];
  n: number;
  d: number;
  e: number;
}

interface HeadRow {
  sample: FaceSample;
  weight: number;
  fit: boolean;
  decoded: boolean;
}

function headRows(policy: Policy, samples: FaceSample[], weightOf: (s: FaceSample) => number, views: boolean): HeadRow[] {
  const cfg = policy.config;
  const averaged = (cfg.expressionDecodeViews ?? 1) > 1;
  const labelled = samples.filter((s) => s.emotion !== null && cfg.emotions.includes(s.emotion) && (s.expressionViews?.length ?? 0) > 0);
  return labelled.flatMap((s) => {
    const all = s.expressionViews!;
    const k = views ? all.length : 1;
    // decoding reads the mean of several views: a row of its own, not one the head is solved on
    const meanRow = averaged && all.length > 1;
    // view v as the sample's first: makeInputs reads view 0's features, and the prior over every view in any order
    const rows = Array.from({ length: k }, (_, v): HeadRow => ({
      sample: v === 0 ? s : { ...s, expressionViews: [all[v], ...all.filter((_, j) => j !== v)] },
      weight: weightOf(s) / k,
      fit: true,
      decoded: v === 0 && !meanRow,
    }));
    return meanRow ? [...rows, { sample: s, weight: 0, fit: false, decoded: true }] : rows;
  });
}

function gather(policy: Policy, samples: FaceSample[], weightOf: (s: FaceSample) => number, views: boolean): HeadData {
  const cfg = policy.config;
  const d = (cfg.expressionDim ?? 0) + 1;
  const e = cfg.emotions.length;
  const rows = headRows(policy, samples, weightOf, views);
  const n = rows.length;
  const x = new Float32Array(n * d);
  const prior = new Float32Array(n * e);
  // un-augmented inputs: a fit row's one view, a decoded row's what decoding reads; the prior over every stored view
  const fill = (rowIndices: number[], singleView: boolean) => {
    for (let i = 0; i < rowIndices.length; i += HEAD_FIT.chunk) {
      const chunk = rowIndices.slice(i, i + HEAD_FIT.chunk);
      const inputs = makeInputs(
        cfg,
        chunk.map((r) => rows[r].sample),
        { singleView },
      );
      try {
        const xs = inputs.expression!.dataSync();
        const ps = inputs.expressionPrior!.dataSync();
        chunk.forEach((r, k) => {
          x.set(xs.subarray(k * d, (k + 1) * d), r * d);
          prior.set(ps.subarray(k * e, (k + 1) * e), r * e);
        });
      } finally {
        disposeInputs(inputs);
      }
    }
  };
  const indices = (keep: (r: HeadRow) => boolean) => rows.flatMap((r, i) => (keep(r) ? [i] : []));
  fill(indices((r) => r.fit), true);
  fill(indices((r) => !r.fit), false);
  return {
    x,
    prior,
    label: Int32Array.from(rows, (r) => cfg.emotions.indexOf(r.sample.emotion!)),
    weight: Float32Array.from(rows, (r) => r.weight),
    group: rows.map((r) => subjectKey(r.sample)),
    fit: indices((r) => r.fit),
    decoded: indices((r) => r.decoded),
    n,
    d,
    e,
  };
}

interface Solved {
  alpha: number;
  w: Float32Array;
  b: Float32Array;
}

/**
 * Full-batch Adam on the weighted cross-entropy + l2·‖w‖², from the net's answer (α = 1, w = 0, b = 0). The
 * gradient is written out (softmax − one-hot, weighted), which costs half of what recording a tape for it does.
 */
function solve(data: HeadData, rows: number[], l2: number): Solved {
  const { d, e } = data;
  const pick = <T extends Float32Array | Int32Array>(a: T, width: number, make: (n: number) => T): T => {
    const out = make(rows.length * width);
    rows.forEach((r, k) => out.set(a.subarray(r * width, (r + 1) * width), k * width));
    return out;
  };
  const weight = pick(data.weight, 1, (n) => new Float32Array(n));
  const total = weight.reduce((a, b) => a + b, 0);
  const x = tf.tensor2d(pick(data.x, d, (n) => new Float32Array(n)), [rows.length, d]);
  const xt = tf.transpose(x);
  const p = tf.tensor2d(pick(data.prior, e, (n) => new Float32Array(n)), [rows.length, e]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(pick(data.label, 1, (n) => new Int32Array(n)), 'int32'), e).toFloat());
  const wt = tf.tensor2d(weight.map((w) => w / total), [rows.length, 1]);
  let params: tf.Tensor[] = [tf.ones([1, 1]), tf.zeros([d, e]), tf.zeros([1, e])];
  let m = params.map((t) => tf.zerosLike(t));
  let v = params.map((t) => tf.zerosLike(t));
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  try {
    for (let t = 1; t <= HEAD_FIT.iterations; t++) {
      const next = tf.tidy(() => {
        const [alpha, w, b] = params;
        const logits = tf.add(tf.add(tf.mul(p, alpha), tf.matMul(x, w)), b);
        const g = tf.mul(tf.sub(tf.softmax(logits), y), wt);
        const grads = [tf.sum(tf.mul(g, p)).reshape([1, 1]), tf.add(tf.matMul(xt, g), tf.mul(2 * l2, w)), tf.sum(g, 0, true)];
        const mm = grads.map((gr, i) => tf.add(tf.mul(b1, m[i]), tf.mul(1 - b1, gr)));
        const vv = grads.map((gr, i) => tf.add(tf.mul(b2, v[i]), tf.mul(1 - b2, tf.square(gr))));
        const rate = (HEAD_FIT.lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
        const pp = params.map((q, i) => tf.sub(q, tf.mul(rate, tf.div(mm[i], tf.add(tf.sqrt(vv[i]), eps)))));
        return { pp, mm, vv };
      });
      tf.dispose([...params, ...m, ...v]);
      ({ pp: params, mm: m, vv: v } = next);
    }
    return { alpha: params[0].dataSync()[0], w: params[1].dataSync() as Float32Array, b: params[2].dataSync() as Float32Array };
  } finally {
    tf.dispose([x, xt, p, y, wt, ...params, ...m, ...v]);
  }
}

/** Correct answers of `head` (null: the net's answer) on `rows`, and the sum of its log-loss there. */
function score(data: HeadData, rows: number[], head: Solved | null): { correct: number; logLoss: number } {
  const { d, e } = data;
  let correct = 0;
  let logLoss = 0;
  const logits = new Float64Array(e);
  for (const r of rows) {
    for (let k = 0; k < e; k++) {
      let v = data.prior[r * e + k] * (head ? head.alpha : 1);
      if (head) {
        v += head.b[k];
        for (let j = 0; j < d; j++) v += data.x[r * d + j] * head.w[j * e + k];
      }
      logits[k] = v;
    }
    let best = 0;
    for (let k = 1; k < e; k++) if (logits[k] > logits[best]) best = k;
    if (best === data.label[r]) correct++;
    let z = 0;
    for (let k = 0; k < e; k++) z += Math.exp(logits[k] - logits[best]);
    logLoss += logits[best] + Math.log(z) - logits[data.label[r]];
  }
  return { correct, logLoss };
}

/** Whole groups (subjects) dealt to `folds` folds in a seeded order. */
function foldsOf(group: string[], folds: number, seed: number): number[][] {
  const keys = [...new Set(group)].sort();
  new Rng(seed * 7907 + 11).shuffle(keys);
  const foldOf = new Map(keys.map((k, i) => [k, i % folds]));
  const out: number[][] = Array.from({ length: folds }, () => []);
  group.forEach((g, r) => out[foldOf.get(g)!].push(r));
  return out;
}

export interface L2Score {
  l2: number;
  /** Cross-validated accuracy and mean log-loss, on the held-out subjects' decoded inputs (view 0, or the mean decoding reads). */
  accuracy: number;
  logLoss: number;
}

/**
 * The L2 with the lowest cross-validated log-loss (glmnet's default measure). Accuracy over a few hundred samples
 * moves in steps of whole faces, so on the real-photo sets the grid's accuracies lay within a standard error of each
 * other and the choice between them was noise; the log-loss reads every held-out probability and has one clear minimum.
 */
export function chooseL2(scores: L2Score[]): L2Score {
  return scores.reduce((a, b) => (b.logLoss < a.logLoss ? b : a));
}

/**
 * Solves the head on `samples` (the SFT run's own, never the test part) and writes it into `policy`. Returns null,
 * leaving the head as trained, where the policy has no residual head or the samples are too few to choose by.
 */
export function fitEmotionHead(
  policy: Policy,
  samples: FaceSample[],
  seed: number,
  weightOf: (s: FaceSample) => number = () => 1,
  options: { views?: boolean } = {},
): HeadFitReport | null {
  if (!policy.config.expressionResidual) return null;
  const data = gather(policy, samples, weightOf, options.views ?? false);
  const n = data.decoded.length;
  const groups = new Set(data.group).size;
  if (n < HEAD_FIT.minSamples || groups < HEAD_FIT.minGroups) return null;
  const k = Math.min(HEAD_FIT.folds, groups);
  const folds = foldsOf(data.group, k, seed);
  const decoded = new Set(data.decoded);
  const fitted = new Set(data.fit);
  const cv = (l2: number): L2Score => {
    let correct = 0;
    let logLoss = 0;
    folds.forEach((held, f) => {
      const fit = solve(data, folds.flatMap((rows, g) => (g === f ? [] : rows.filter((r) => fitted.has(r)))), l2);
      const s = score(
        data,
        held.filter((r) => decoded.has(r)),
        fit,
      );
      correct += s.correct;
      logLoss += s.logLoss;
    });
    return { l2, accuracy: correct / n, logLoss: logLoss / n };
  };
  const priorCvAccuracy = score(data, data.decoded, null).correct / n;
  const best = chooseL2(HEAD_FIT.l2.map(cv));
  const kept = best.accuracy > priorCvAccuracy ? 'fit' : 'prior';
  const head = kept === 'fit' ? solve(data, data.fit, best.l2) : { alpha: 1, w: new Float32Array(data.d * data.e), b: new Float32Array(data.e) };
  tf.tidy(() => {
    policy.v('aux/emo/prior').assign(tf.tensor1d([head.alpha]));
    policy.v('aux/emo/res').assign(tf.tensor2d(head.w, [data.d, data.e]));
    policy.v('aux/emo/b').assign(tf.tensor1d(head.b));
    // the pooled pixel path leaves the head: what it added was fitted to the training images, not cross-validated
    policy.v('aux/emo/w').assign(tf.zerosLike(policy.v('aux/emo/w')));
  });
  const r4 = (v: number) => Math.round(v * 1e4) / 1e4;
  return { kept, l2: best.l2, samples: n, ...(options.views ? { rows: data.fit.length } : {}), folds: k, cvAccuracy: r4(best.accuracy), cvLogLoss: r4(best.logLoss), priorCvAccuracy: r4(priorCvAccuracy) };
}
