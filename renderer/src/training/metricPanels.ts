/**
 * Groups a run's per-step metric keys into small-multiple panels, in two groups: what the model learns (`training`)
 * and how the engine runs (`engine`: throughput, live tensors, generation time). Trainers name keys in different
 * styles (`val_loss`, `valLoss`, `val/loss`), so keys are matched after dropping case and punctuation.
 * Keys no panel claims get a panel of their own, titled from the key.
 */
import type { RunStage } from '../../../contract/training-choices';
import type { MetricPoint } from '../../../contract/types';

export interface SeriesDef {
  key: string;
  label: string;
}
/** The panel groups, in the order they are shown. */
export const PANEL_GROUPS = ['training', 'engine'] as const;
export type PanelGroup = (typeof PANEL_GROUPS)[number];
export const PANEL_GROUP_TITLES: Record<PanelGroup, string> = { training: 'Training', engine: 'Engine' };

export interface PanelDef {
  id: string;
  title: string;
  group: PanelGroup;
  series: SeriesDef[];
  /** Panels whose values are rates in [0, 1]. */
  unit?: 'rate';
}

interface PanelSpec {
  id: string;
  title: string;
  /** Default 'training'. */
  group?: PanelGroup;
  unit?: 'rate';
  series: { label: string; aliases: string[]; rlOnly?: string[] }[];
}

const PANELS: PanelSpec[] = [
  {
    id: 'loss',
    title: 'Loss',
    series: [
      { label: 'train', aliases: ['loss', 'trainloss', 'sftloss', 'policyloss', 'lossmean', 'celoss'] },
      { label: 'val', aliases: ['valloss', 'validationloss', 'evalloss', 'heldoutloss'] },
    ],
  },
  {
    id: 'lossParts',
    title: 'Loss components',
    series: [
      { label: 'text', aliases: ['lmloss', 'tokenloss', 'textloss'] },
      { label: 'emotion', aliases: ['emotionloss', 'emoloss'] },
      { label: 'AU', aliases: ['auloss'] },
      { label: 'val text', aliases: ['vallmloss', 'valtokenloss'] },
    ],
  },
  {
    id: 'valAcc',
    title: 'Validation emotion accuracy',
    unit: 'rate',
    series: [{ label: 'accuracy', aliases: ['valemotionacc', 'valemotionaccuracy', 'valaccuracy', 'valacc'] }],
  },
  {
    id: 'reward',
    title: 'Reward components',
    series: [
      { label: 'format', aliases: ['rewardformat', 'rformat', 'formatreward', 'rewardsformat'], rlOnly: ['format'] },
      { label: 'accuracy', aliases: ['rewardaccuracy', 'rewardacc', 'racc', 'accuracyreward', 'accreward', 'rewardsaccuracy'], rlOnly: ['accuracy', 'acc'] },
      { label: 'au', aliases: ['rewardau', 'rau', 'aureward', 'rewardsau'], rlOnly: ['au'] },
      { label: 'total', aliases: ['reward', 'rewardtotal', 'rewardmean', 'totalreward', 'meanreward', 'rewardsmean'], rlOnly: ['total'] },
    ],
  },
  { id: 'rewardStd', title: 'Reward std (within groups)', series: [{ label: 'std', aliases: ['rewardstd', 'rewardsstd', 'groupstd'] }] },
  { id: 'kl', title: 'KL to reference', series: [{ label: 'KL', aliases: ['kl', 'klmean', 'klref', 'klreference', 'klk3'] }] },
  {
    id: 'clip',
    title: 'Clip fraction',
    unit: 'rate',
    series: [
      { label: 'clipped', aliases: ['clipfraction', 'clipfrac', 'clipratio', 'clippedfraction'] },
      { label: 'low', aliases: ['lowclipfraction', 'clipfractionlow', 'clipratiolow'] },
      { label: 'high', aliases: ['highclipfraction', 'clipfractionhigh', 'clipratiohigh'] },
    ],
  },
  { id: 'ratio', title: 'Policy ratio (mean)', series: [{ label: 'ratio', aliases: ['ratiomean', 'importanceratio', 'meanratio'] }] },
  { id: 'completionLength', title: 'Completion length (tokens)', series: [{ label: 'tokens', aliases: ['completionlength', 'completionlen', 'responselength', 'meanlength'] }] },
  { id: 'lr', title: 'Learning rate', series: [{ label: 'lr', aliases: ['lr', 'learningrate'] }] },
  { id: 'epoch', title: 'Epoch', series: [{ label: 'epoch', aliases: ['epoch'] }] },
  {
    id: 'tps',
    title: 'Tokens / s',
    group: 'engine',
    series: [{ label: 'tokens/s', aliases: ['tokenss', 'tokenspers', 'tokenspersec', 'tokenspersecond', 'tps', 'tokpers', 'throughputtokens'] }],
  },
  {
    id: 'sps',
    title: 'Sequences / s',
    group: 'engine',
    series: [
      { label: 'sequences/s', aliases: ['seqpersec', 'seqs', 'sequencespersec', 'sequencespersecond', 'samplespersec', 'samplespersecond'] },
      { label: 'rollouts/s', aliases: ['rolloutspersec', 'rolloutspersecond'] },
    ],
  },
  { id: 'genTime', title: 'Generation time (s)', group: 'engine', series: [{ label: 'seconds', aliases: ['generationseconds', 'generationtime', 'gentime'] }] },
  { id: 'tensors', title: 'Live tensors', group: 'engine', series: [{ label: 'tensors', aliases: ['numtensors', 'tensors', 'livetensors'] }] },
  { id: 'memory', title: 'Engine memory (bytes)', group: 'engine', series: [{ label: 'bytes', aliases: ['numbytes', 'membytes', 'memorybytes'] }] },
];

/** Keys never plotted: they are the x axis or bookkeeping. */
const SKIP = new Set(['step', 'globalstep', 'time', 'timestamp', 'wallclock', 'elapsed']);
/** At most this many panels for keys no panel claims. */
const MAX_EXTRA = 8;

export function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function metricPanels(keys: Iterable<string>, stage: RunStage): PanelDef[] {
  const byNorm = new Map<string, string>();
  for (const k of keys) if (!byNorm.has(normaliseKey(k))) byNorm.set(normaliseKey(k), k);
  const used = new Set<string>();
  const panels: PanelDef[] = [];
  for (const spec of PANELS) {
    const series: SeriesDef[] = [];
    for (const s of spec.series) {
      const aliases = stage === 'rl' ? [...s.aliases, ...(s.rlOnly ?? [])] : s.aliases;
      const hit = aliases.find((a) => byNorm.has(a) && !used.has(byNorm.get(a)!));
      if (hit) {
        const key = byNorm.get(hit)!;
        used.add(key);
        series.push({ key, label: s.label });
      }
    }
    if (series.length) panels.push({ id: spec.id, title: spec.title, group: spec.group ?? 'training', series, unit: spec.unit });
  }
  const extra = [...byNorm.entries()]
    .filter(([norm, key]) => !used.has(key) && !SKIP.has(norm))
    .map(([, key]) => key)
    .sort()
    .slice(0, MAX_EXTRA);
  for (const key of extra) panels.push({ id: `extra:${key}`, title: keyTitle(key), group: 'training', series: [{ key, label: key }] });
  return panels;
}

/** A title for a key no panel knows, written like the others: `gradNorm`, `grad_norm` → "Grad norm". */
export function keyTitle(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => (/^[A-Z0-9]+$/.test(w) ? w : w.toLowerCase()));
  if (words.length === 0) return key;
  return [words[0][0].toUpperCase() + words[0].slice(1), ...words.slice(1)].join(' ');
}

/** The panels by group, in PANEL_GROUPS order; empty groups left out. */
export function panelGroups(panels: PanelDef[]): { group: PanelGroup; title: string; panels: PanelDef[] }[] {
  return PANEL_GROUPS.map((group) => ({ group, title: PANEL_GROUP_TITLES[group], panels: panels.filter((p) => p.group === group) })).filter((g) => g.panels.length > 0);
}

/** Rows for recharts: `{step, ...values}`, sorted by step, thinned evenly to at most `max` rows (the last always kept). */
export function metricRows(points: MetricPoint[], max = 1500): Record<string, number>[] {
  const sorted = [...points].sort((a, b) => a.step - b.step);
  let picked = sorted;
  if (sorted.length > max) {
    const stride = sorted.length / max;
    picked = Array.from({ length: max }, (_, i) => sorted[Math.min(sorted.length - 1, Math.floor(i * stride))]);
    picked[picked.length - 1] = sorted[sorted.length - 1];
  }
  return picked.map((p) => ({ step: p.step, ...p.values }));
}

/** Adds points to a series by step; a point for a step already present replaces it. */
export function mergePoints(base: MetricPoint[], more: MetricPoint[]): MetricPoint[] {
  if (more.length === 0) return base;
  const byStep = new Map(base.map((p) => [p.step, p]));
  for (const p of more) byStep.set(p.step, { step: p.step, values: { ...(byStep.get(p.step)?.values ?? {}), ...p.values } });
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

export function metricKeys(points: MetricPoint[]): string[] {
  const keys = new Set<string>();
  for (const p of points) for (const k of Object.keys(p.values)) keys.add(k);
  return [...keys];
}

/** The top of a rate axis: the largest value rounded up to one significant digit (7.85e-4 → 8e-4), 1 when all are 0. */
export function rateAxisMax(max: number): number {
  if (!(max > 0)) return 1;
  const unit = 10 ** Math.floor(Math.log10(max));
  return Number((Math.ceil(max / unit - 1e-9) * unit).toPrecision(1));
}
