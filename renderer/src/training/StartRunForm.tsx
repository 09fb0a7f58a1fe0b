/** Starts an SFT or RL run; GRPO settings go in `config`, and only the ones the user filled in. */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { Input } from '../../../contract/api';
import {
  DEFAULT_RUN_SEED,
  GRPO_LOSS_TYPES,
  RUN_STAGES,
  SAMPLE_WEIGHTINGS,
  type GrpoLossType,
  type RunStage,
  type SampleWeighting,
} from '../../../contract/training-choices';
import type { ModelSummary, SplitSummary } from '../../../contract/types';
import { useApi } from '../api/ApiContext';
import { countOf } from '../components/plural';
import { useTrainingCheck } from './useTrainingCheck';

/**
 * The `config` keys the training service reads (services/training/run-config.ts: a bare key sets the
 * stage's setting, `rewardWeights.*` the RL reward weights).
 */
export const CONFIG_KEYS = {
  groupSize: 'groupSize',
  beta: 'beta',
  epsilon: 'epsLow',
  epsilonHigh: 'epsHigh',
  lossType: 'lossType',
  sampleWeights: 'sampleWeights',
  rewardFormat: 'rewardWeights.format',
  rewardAccuracy: 'rewardWeights.accuracy',
  rewardAU: 'rewardWeights.au',
  learningRate: 'lr',
} as const;

type Advanced = Record<keyof typeof CONFIG_KEYS, string>;
const EMPTY_ADVANCED: Advanced = {
  groupSize: '',
  beta: '',
  epsilon: '',
  epsilonHigh: '',
  lossType: '',
  sampleWeights: '',
  rewardFormat: '',
  rewardAccuracy: '',
  rewardAU: '',
  learningRate: '',
};

/** What each choice means, for the options (the lists themselves come from the contract). */
const LOSS_TYPE_LABELS: Record<GrpoLossType, string> = {
  grpo: 'grpo (per-sequence mean)',
  dapo: 'dapo (token mean)',
  dr_grpo: 'dr_grpo (fixed length)',
};
const SAMPLE_WEIGHTING_LABELS: Record<SampleWeighting, string> = {
  none: 'none (all equal)',
  'facial-r1': 'Facial-R1 (rare AUs weigh more)',
};

function parseNum(raw: string, field: string, opts: { int?: boolean; min?: number; positive?: boolean } = {}): number | undefined {
  const t = raw.trim();
  if (t === '') return undefined;
  const n = Number(t);
  if (!Number.isFinite(n)) throw new Error(`${field}: "${raw}" is not a number`);
  if (opts.int && !Number.isInteger(n)) throw new Error(`${field}: must be a whole number`);
  if (opts.positive && n <= 0) throw new Error(`${field}: must be greater than 0`);
  if (opts.min !== undefined && n < opts.min) throw new Error(`${field}: must be at least ${opts.min}`);
  return n;
}

export function StartRunForm({
  splits,
  models,
  onStarted,
}: {
  splits: SplitSummary[];
  models: ModelSummary[];
  onStarted: (runId: number) => void;
}) {
  const api = useApi();
  const [stage, setStage] = useState<RunStage>('sft');
  const [split, setSplit] = useState('');
  const [epochs, setEpochs] = useState('');
  const [steps, setSteps] = useState('');
  const [from, setFrom] = useState('');
  const [seed, setSeed] = useState('');
  const [adv, setAdv] = useState<Advanced>(EMPTY_ADVANCED);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (!splits.some((s) => s.name === split)) setSplit(splits[0]?.name ?? '');
  }, [splits, split]);

  const sftModels = useMemo(() => models.filter((m) => m.stage === 'sft'), [models]);
  const fromModels = models;
  const noBase = stage === 'rl' && sftModels.length === 0 && from === '';
  // the service's own check of this choice: a split it would refuse is refused here, before submitting, with its reason
  const seedValue = Number(seed.trim());
  const checkInput = useMemo<Input<'training.check'> | null>(
    () =>
      split
        ? {
            stage,
            split,
            ...(stage === 'rl' && from !== '' ? { from: Number(from) } : {}),
            ...(seed.trim() !== '' && Number.isInteger(seedValue) ? { seed: seedValue } : {}),
          }
        : null,
    [stage, split, from, seed, seedValue],
  );
  const { check } = useTrainingCheck(api, checkInput);
  const refused = !noBase && check !== null && !check.ok;

  function buildInput(): Input<'training.start'> {
    const input: Input<'training.start'> = { stage, split };
    if (stage === 'sft') {
      const e = parseNum(epochs, 'Epochs', { int: true, positive: true });
      if (e !== undefined) input.epochs = e;
    }
    const st = parseNum(steps, 'Steps', { int: true, positive: true });
    if (st !== undefined) input.steps = st;
    const sd = parseNum(seed, 'Seed', { int: true });
    if (sd !== undefined) input.seed = sd;
    if (stage === 'rl' && from !== '') input.from = Number(from);
    const config: Record<string, number | string> = {};
    const lr = parseNum(adv.learningRate, 'Learning rate', { positive: true });
    if (lr !== undefined) config[CONFIG_KEYS.learningRate] = lr;
    if (stage === 'rl') {
      const g = parseNum(adv.groupSize, 'Group size G', { int: true, min: 2 });
      if (g !== undefined) config[CONFIG_KEYS.groupSize] = g;
      const b = parseNum(adv.beta, 'β', { min: 0 });
      if (b !== undefined) config[CONFIG_KEYS.beta] = b;
      const eps = parseNum(adv.epsilon, 'ε', { positive: true });
      const epsHigh = parseNum(adv.epsilonHigh, 'ε high', { positive: true });
      if (eps !== undefined) config[CONFIG_KEYS.epsilon] = eps;
      // One ε clips both sides unless an upper ε is given (DAPO's clip-higher).
      if (epsHigh !== undefined || eps !== undefined) config[CONFIG_KEYS.epsilonHigh] = epsHigh ?? eps!;
      if (adv.lossType) config[CONFIG_KEYS.lossType] = adv.lossType;
      if (adv.sampleWeights) config[CONFIG_KEYS.sampleWeights] = adv.sampleWeights;
      const wf = parseNum(adv.rewardFormat, 'Format reward weight', { min: 0 });
      if (wf !== undefined) config[CONFIG_KEYS.rewardFormat] = wf;
      const wa = parseNum(adv.rewardAccuracy, 'Accuracy reward weight', { min: 0 });
      if (wa !== undefined) config[CONFIG_KEYS.rewardAccuracy] = wa;
      const wu = parseNum(adv.rewardAU, 'AU reward weight', { min: 0 });
      if (wu !== undefined) config[CONFIG_KEYS.rewardAU] = wu;
    }
    if (Object.keys(config).length) input.config = config;
    return input;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setNotice(null);
    let input: Input<'training.start'>;
    try {
      input = buildInput();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      return;
    }
    setBusy(true);
    try {
      const res = await api['training.start'](input);
      setNotice(res.queued ? `Run #${res.runId} queued (seed ${res.seed}): it starts when the running one ends` : `Run #${res.runId} started with seed ${res.seed}`);
      onStarted(res.runId);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  const set = (k: keyof Advanced) => (ev: { target: { value: string } }) => setAdv((a) => ({ ...a, [k]: ev.target.value }));

  return (
    <form className="tr-form" onSubmit={submit} data-testid="start-run-form">
      <div className="tr-seg" role="radiogroup" aria-label="Stage">
        {RUN_STAGES.map((s) => (
          <button
            key={s}
            type="button"
            role="radio"
            aria-checked={stage === s}
            className={`tr-seg__btn ${stage === s ? 'is-on' : ''}`}
            onClick={() => setStage(s)}
            data-testid={`start-stage-${s}`}
          >
            {s === 'sft' ? 'SFT' : 'RL (GRPO)'}
          </button>
        ))}
      </div>
      <div className="tr-fields">
        <label>
          <span>Split</span>
          <select value={split} onChange={(e) => setSplit(e.target.value)} data-testid="start-split" required>
            {splits.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name} ({Object.entries(s.parts).map(([p, v]) => `${p} ${v.n}`).join(', ')})
              </option>
            ))}
          </select>
        </label>
        {stage === 'sft' ? (
          <label>
            <span>Epochs</span>
            <input type="number" min={1} step={1} placeholder="default" value={epochs} onChange={(e) => setEpochs(e.target.value)} data-testid="start-epochs" />
          </label>
        ) : (
          <label>
            <span>From model</span>
            <select value={from} onChange={(e) => setFrom(e.target.value)} data-testid="start-from">
              <option value="">newest SFT{sftModels[0] ? ` (#${sftModels[0].id})` : ''}</option>
              {fromModels.map((m) => (
                <option key={m.id} value={m.id}>
                  #{m.id} {m.name} ({m.stage})
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          <span>Steps</span>
          <input type="number" min={1} step={1} placeholder={stage === 'sft' ? 'from epochs' : 'default'} value={steps} onChange={(e) => setSteps(e.target.value)} data-testid="start-steps" />
        </label>
        <label>
          <span>Seed</span>
          <input
            type="number"
            step={1}
            placeholder={String(DEFAULT_RUN_SEED)}
            title={`Empty: seed ${DEFAULT_RUN_SEED}. The run records the seed it used.`}
            value={seed}
            onChange={(e) => setSeed(e.target.value)}
            data-testid="start-seed"
          />
        </label>
      </div>
      <details className="tr-adv" data-testid="start-advanced">
        <summary>Advanced {stage === 'rl' ? 'GRPO ' : ''}settings</summary>
        <div className="tr-fields">
          <label>
            <span>Learning rate</span>
            <input type="number" step="any" placeholder="default" value={adv.learningRate} onChange={set('learningRate')} data-testid="start-lr" />
          </label>
          {stage === 'rl' ? (
            <>
              <label title="Completions sampled per image (num_generations)">
                <span>Group size G</span>
                <input type="number" min={2} step={1} placeholder="8" value={adv.groupSize} onChange={set('groupSize')} data-testid="start-group-size" />
              </label>
              <label title="Weight of the k3 KL penalty to the reference (SFT) policy">
                <span>β (KL)</span>
                <input type="number" min={0} step="any" placeholder="0.04" value={adv.beta} onChange={set('beta')} data-testid="start-beta" />
              </label>
              <label title="PPO clip range: ratio clipped to [1 − ε, 1 + ε high]">
                <span>ε / ε high (clip)</span>
                <span className="tr-pair">
                  <input type="number" min={0} step="any" placeholder="0.2" value={adv.epsilon} onChange={set('epsilon')} data-testid="start-epsilon" />
                  <input type="number" min={0} step="any" placeholder="= ε" value={adv.epsilonHigh} onChange={set('epsilonHigh')} data-testid="start-epsilon-high" />
                </span>
              </label>
              <label title="How per-token losses are aggregated">
                <span>Loss aggregation</span>
                <select value={adv.lossType} onChange={set('lossType')} data-testid="start-loss-type">
                  <option value="">default</option>
                  {GRPO_LOSS_TYPES.map((t) => (
                    <option key={t} value={t}>
                      {LOSS_TYPE_LABELS[t]}
                    </option>
                  ))}
                </select>
              </label>
              <label title="Facial-R1 weights each image's loss by the rarity of its AUs; images without AUs then weigh 0">
                <span>Sample weights</span>
                <select value={adv.sampleWeights} onChange={set('sampleWeights')} data-testid="start-sample-weights">
                  <option value="">default (none)</option>
                  {SAMPLE_WEIGHTINGS.map((w) => (
                    <option key={w} value={w}>
                      {SAMPLE_WEIGHTING_LABELS[w]}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                <span>Reward weights</span>
                <span className="tr-triple">
                  <input type="number" min={0} step="any" placeholder="format 1" value={adv.rewardFormat} onChange={set('rewardFormat')} title="R_format weight" data-testid="start-w-format" />
                  <input type="number" min={0} step="any" placeholder="acc 1" value={adv.rewardAccuracy} onChange={set('rewardAccuracy')} title="R_acc weight" data-testid="start-w-accuracy" />
                  <input type="number" min={0} step="any" placeholder="AU 1" value={adv.rewardAU} onChange={set('rewardAU')} title="R_AU weight" data-testid="start-w-au" />
                </span>
              </label>
            </>
          ) : null}
        </div>
        <div className="tr-hint">Empty fields use the trainer's defaults; the run records the full configuration.</div>
      </details>
      <div className="tr-form__foot">
        <button type="submit" className="dt-btn dt-btn--primary" disabled={busy || !split || noBase || refused} data-testid="start-submit">
          {busy ? 'Starting…' : `Start ${stage === 'sft' ? 'SFT' : 'RL'} run`}
        </button>
        {noBase ? <span className="tr-hint">RL starts from an SFT model: train one first.</span> : null}
        {check?.ok && check.labeled !== null ? (
          <span className="tr-hint" data-testid="start-check">
            {countOf(check.labeled, 'labeled record')} in {check.part}, {check.withReasoning} with a reasoning · seed {check.seed}
          </span>
        ) : null}
        {notice ? <span className="tr-ok" data-testid="start-notice">{notice}</span> : null}
      </div>
      {refused ? (
        <div className="tr-form__error" role="alert" data-testid="start-refusal">
          {check.reason}
        </div>
      ) : null}
      {error ? (
        <div className="tr-form__error" role="alert" data-testid="start-error">
          {error}
        </div>
      ) : null}
    </form>
  );
}
