/**
 * Dev-only (not imported by the app): an in-memory Transport with plausible workspace, run and model
 * data, so the dashboard and training views can be looked at before real runs exist.
 */
import type { ApiResult, MethodName, ParsedInput } from '../../../../contract/api';
import type { ApiEvent, EvalReport, MetricPoint, ModelSummary, RunSummary, SampleOutput, SplitSummary, WorkspaceStats } from '../../../../contract/types';
import { composeReasoning } from '../../../../pipelines/facs/reasoning';
import { DEFAULT_EMOTIONS, EMOTION_PROTOTYPES, FACIAL_R1_AU_NAMES } from '../../../../pipelines/facs/vocabulary';
import type { Transport } from '../../api/client';

let seed = 7;
function rnd(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}

const emotions = [...DEFAULT_EMOTIONS];

function stats(): WorkspaceStats {
  const byEmotion: Record<string, number> = {};
  emotions.forEach((e, i) => (byEmotion[e] = 40 + ((i * 37) % 50)));
  const byAU: Record<string, number> = {};
  for (const [e, aus] of Object.entries(EMOTION_PROTOTYPES)) for (const au of aus) byAU[au] = (byAU[au] ?? 0) + (byEmotion[e] ?? 0);
  byAU.AU25 = 77;
  const progress = [];
  for (let d = 0; d < 18; d++) {
    if (d === 5 || d === 6 || d === 12) continue;
    const day = new Date(Date.UTC(2026, 10, 11 + d)).toISOString().slice(0, 10);
    progress.push({ day, count: Math.round(5 + rnd() * 40 + d * 2) });
  }
  return {
    records: 600,
    images: 600,
    unlabeled: 180,
    weak: 190,
    labeled: 170,
    reviewed: 60,
    byEmotion,
    byAU,
    progress,
    throughput: [
      { userId: 1, name: 'alice', lastHour: 14, last24h: 96, total: 212 },
      { userId: 2, name: 'bob', lastHour: 0, last24h: 31, total: 140 },
      { userId: 3, name: 'chen', lastHour: 6, last24h: 6, total: 18 },
    ],
    analysis: {
      records: 600,
      analyzed: 588,
      facesFound: 561,
      notAnalysable: [{ reason: 'too_large', records: 2 }],
      facesBySource: {
        demo: { analyzed: 400, facesFound: 396, detection: { direct: 380, padded: 16, none: 4 } },
        'FER-2013': { analyzed: 188, facesFound: 165, detection: { direct: 90, padded: 60, 'whole-crop': 15, none: 23 } },
      },
    },
    skipped: { records: 7, reasons: [{ reason: 'face hidden by a hand', records: 4 }, { reason: 'two faces', records: 3 }] },
    labelTime: { medianMs: 8400, submissions: 230 },
  };
}

function splitSummary(): SplitSummary {
  const part = (n: number, jitter: number) => {
    const byEmotion: Record<string, number> = {};
    emotions.forEach((e, i) => (byEmotion[e] = Math.round((n / 7) * (1 + (((i * 13) % 5) - 2) * jitter))));
    return { n: Object.values(byEmotion).reduce((a, b) => a + b, 0), byEmotion };
  };
  return { name: 'main', parts: { train: part(480, 0.05), test: part(120, 0.09) }, maxStratDeviation: 0.021, sharedSubjects: 0, seed: 1, createdAt: '2026-11-28 17:02:11' };
}

function lossCurve(steps: number, from = 0): MetricPoint[] {
  const pts: MetricPoint[] = [];
  for (let s = from + 1; s <= steps; s++) {
    const v: Record<string, number> = { loss: 3.2 * Math.exp(-s / 60) + 0.35 + rnd() * 0.08, tokensPerSec: 1800 + rnd() * 300, lr: 1e-3 };
    if (s % 10 === 0) v.valLoss = 3.0 * Math.exp(-s / 70) + 0.45 + rnd() * 0.03;
    pts.push({ step: s, values: v });
  }
  return pts;
}

function rlPoint(s: number): MetricPoint {
  const t = 1 - Math.exp(-s / 40);
  const format = 0.9 + 0.1 * t - rnd() * 0.03;
  const accuracy = 0.6 + 0.25 * t + (rnd() - 0.5) * 0.1;
  const au = 0.3 + 0.35 * t + (rnd() - 0.5) * 0.12;
  return {
    step: s,
    values: {
      loss: (rnd() - 0.5) * 0.05,
      rewardFormat: format,
      rewardAccuracy: accuracy,
      rewardAU: au,
      reward: format + accuracy + au,
      kl: 0.002 + 0.03 * t + rnd() * 0.004,
      clipFraction: 0.02 + rnd() * 0.05,
      tokensPerSec: 900 + rnd() * 150,
    },
  };
}

function report(acc: number): EvalReport {
  const labels = emotions;
  const matrix = labels.map((_, i) =>
    labels.map((__, j) => (i === j ? Math.round(12 + acc * 6 + rnd() * 3) : rnd() < 0.35 + (1 - acc) ? Math.round(rnd() * 4) : 0)),
  );
  const perAU: EvalReport['perAU'] = {};
  for (const au of ['AU1', 'AU2', 'AU4', 'AU5', 'AU6', 'AU7', 'AU9', 'AU12', 'AU15', 'AU16', 'AU20', 'AU23', 'AU25', 'AU26'])
    perAU[au] = { f1: Math.min(1, Math.max(0, acc - 0.15 + (rnd() - 0.5) * 0.5)), support: Math.round(5 + rnd() * 40) };
  return {
    n: 120,
    accuracy: acc,
    macroF1: acc - 0.03,
    auF1Macro: acc - 0.14,
    auF1Micro: acc - 0.09,
    formatRate: 0.97 + acc * 0.02,
    rougeL: 0.52 + acc * 0.1,
    hallucinatedAURate: 0.18 - acc * 0.1,
    misalignedRate: 0.09 - acc * 0.05,
    confusion: { labels, matrix },
    perAU,
  };
}

const sftMetrics = lossCurve(240);
const rlMetrics: MetricPoint[] = Array.from({ length: 70 }, (_, i) => rlPoint(i + 1));
const runs: RunSummary[] = [
  { id: 3, stage: 'rl', status: 'running', split: 'main', seed: 1, backend: 'wasm', config: { groupSize: 8 }, progress: { step: 70, totalSteps: 200 }, modelId: null, parentModelId: 1, createdAt: new Date(Date.now() - 600_000).toISOString(), updatedAt: '', error: null },
  { id: 2, stage: 'rl', status: 'done', split: 'main', seed: 0, backend: 'wasm', config: {}, progress: { step: 120, totalSteps: 120 }, modelId: 2, parentModelId: 1, createdAt: '2026-11-29T07:10:00Z', updatedAt: '', error: null,
    result: {
      stage: 'rl',
      selectedStep: 48,
      totalSteps: 120,
      valStart: { step: 0, reward: 2.48, accuracy: 0.889 },
      valSelected: { step: 48, reward: 2.6, accuracy: 0.963 },
      trainReward: { greedy: { start: 2.762, end: 2.768 }, sampled: { start: 2.631, end: 2.661 } },
      rolloutReward: { firstThird: 2.635, lastThird: 2.674 },
    },
  },
  { id: 4, stage: 'sft', status: 'stopped', split: 'main', seed: 2, backend: 'cpu', config: {}, progress: { step: 35, totalSteps: 240 }, modelId: null, parentModelId: null, createdAt: '2026-11-29T06:55:00Z', updatedAt: '', error: null },
  { id: 1, stage: 'sft', status: 'done', split: 'main', seed: 1, backend: 'wasm', config: {}, progress: { step: 240, totalSteps: 240 }, modelId: 1, parentModelId: null, createdAt: '2026-11-29T06:20:00Z', updatedAt: '', error: null,
    result: { stage: 'sft', steps: 240, totalSteps: 240, earlyStopped: false, bestValLoss: 0.912 } },
];
const models: ModelSummary[] = [
  { id: 2, name: 'rl-2', stage: 'rl', runId: 2, parentModelId: 1, backend: 'wasm', createdAt: '2026-11-29T07:40:00Z', evals: [{ split: 'main', part: 'test', ...report(0.86) }] },
  { id: 1, name: 'sft-1', stage: 'sft', runId: 1, parentModelId: null, backend: 'wasm', createdAt: '2026-11-29T06:50:00Z', evals: [{ split: 'main', part: 'test', ...report(0.83) }, { split: 'main', part: 'train', ...report(0.91) }] },
];

function faceSvg(hue: number): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="hsl(${hue},20%,22%)"/><ellipse cx="32" cy="34" rx="18" ry="22" fill="hsl(30,40%,70%)"/><circle cx="25" cy="30" r="2.5" fill="#222"/><circle cx="39" cy="30" r="2.5" fill="#222"/><path d="M24 44 Q32 ${hue % 2 ? 50 : 40} 40 44" stroke="#522" stroke-width="2" fill="none"/></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

function samples(limit: number): SampleOutput[] {
  return Array.from({ length: limit }, (_, i) => {
    const emotion = emotions[i % emotions.length];
    const aus = [...(EMOTION_PROTOTYPES[emotion] ?? [])];
    const wrong = i % 4 === 3;
    const predEmotion = wrong ? emotions[(i + 2) % emotions.length] : emotion;
    const predAUs = wrong ? [...(EMOTION_PROTOTYPES[predEmotion] ?? [])] : aus.slice(0, Math.max(0, aus.length - (i % 3 === 1 ? 1 : 0))).concat(i % 5 === 2 ? ['AU25'] : []);
    return {
      recordId: `demo-${String(i + 1).padStart(4, '0')}`,
      imageKey: `fake/${i * 40}`,
      output: composeReasoning(predEmotion, predAUs),
      label: { emotion, aus, reasoning: composeReasoning(emotion, aus) },
    };
  });
}

export function createFakeTransport(opts: { empty?: boolean } = {}): Transport {
  const listeners = new Set<(e: ApiEvent) => void>();
  let step = 70;
  if (!opts.empty)
    setInterval(() => {
      if (step >= 200) return;
      step++;
      const point = rlPoint(step);
      rlMetrics.push(point);
      for (const l of listeners) {
        l({ type: 'run.metrics', runId: 3, point });
        l({ type: 'job.progress', job: { id: 'j3', kind: 'train', status: 'running', done: step, total: 200, message: '', startedAt: '', runId: 3 } });
      }
    }, 1000);
  const handlers: { [K in MethodName]?: (input: ParsedInput<K>) => unknown } = {
    'workspace.info': () => ({ name: 'demo', path: '/tmp/demo', schemaVersion: 1, emotions, aus: Object.entries(FACIAL_R1_AU_NAMES).map(([au, name]) => ({ au, name })), recordCount: opts.empty ? 0 : 600, backend: 'wasm' }),
    'stats.get': () =>
      opts.empty
        ? { records: 0, images: 0, labeled: 0, weak: 0, unlabeled: 0, reviewed: 0, byEmotion: {}, byAU: {}, progress: [], throughput: [] }
        : stats(),
    'splits.list': () => ({ splits: opts.empty ? [] : [splitSummary()] }),
    'runs.list': () => ({ runs: opts.empty ? [] : runs.map((r) => (r.id === 3 ? { ...r, progress: { step, totalSteps: 200 } } : r)) }),
    'runs.get': ({ runId }: { runId: number }) => ({ run: runs.find((r) => r.id === runId), metrics: runId === 1 ? sftMetrics : runId === 3 || runId === 2 ? rlMetrics : lossCurve(35) }),
    'models.list': () => ({ models: opts.empty ? [] : models }),
    'models.eval': () => report(0.8),
    'models.samples': ({ limit }: { limit: number }) => ({ samples: samples(limit) }),
    'training.start': () => ({ jobId: 'j9', runId: 9, queued: false, seed: 1 }),
    'training.stop': () => ({ stopped: true }),
    'training.resume': () => ({ jobId: 'j4', runId: 4, queued: false }),
  };
  return {
    async call(method, input): Promise<ApiResult<unknown>> {
      const h = handlers[method];
      await new Promise((r) => setTimeout(r, 30));
      if (!h) return { ok: false, error: { code: 'not_implemented', message: `${method} is not faked` } };
      return { ok: true, value: (h as (input: unknown) => unknown)(input) };
    },
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    mediaUrl: (key) => faceSvg(Number(key.split('/')[1]) || 0),
  };
}
