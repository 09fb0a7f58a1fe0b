/** Two models side by side on one split part: metric deltas, confusion matrices and per-AU F1. */
import { useEffect, useMemo, useState } from 'react';
import type { ModelSummary, SplitSummary } from '../../../contract/types';
import { useApi } from '../api/ApiContext';
import { EmptyState } from '../charts/ChartCard';
import { fmtDeltaPct, fmtInt, fmtPct } from '../charts/format';
import { ConfusionMatrix } from './ConfusionMatrix';
import { SplitPartPicker, useSplitPart } from './EvalPanel';
import { EVAL_METRICS, evalKey, improvement, type EvalEntry } from './evalMetrics';
import { PerAUBars } from './PerAUBars';

function modelLabel(m: ModelSummary): string {
  return `#${m.id} ${m.name} (${m.stage})`;
}

/** A model's evals: the stored ones, replaced by the ones run in this view (same split and part). */
function evalsOf(m: ModelSummary | null, fresh: Record<number, EvalEntry[]>): EvalEntry[] {
  if (!m) return [];
  const byKey = new Map<string, EvalEntry>(m.evals.map((e) => [evalKey(e), e]));
  for (const e of fresh[m.id] ?? []) byKey.set(evalKey(e), e);
  return [...byKey.values()];
}

/** One side's confusion matrix, titled with its A/B badge and the model's name. */
function SideConfusion({ side, model, confusion }: { side: 'a' | 'b'; model: ModelSummary | null; confusion: EvalEntry['confusion'] }) {
  return (
    <div className="tr-sub">
      <div className="tr-sub__title">
        <span className={`tr-ab tr-ab--${side}`}>{side.toUpperCase()}</span> {model ? modelLabel(model) : ''}
      </div>
      <ConfusionMatrix confusion={confusion} testId={`confusion-${side}`} compact />
    </div>
  );
}

export function ModelCompare({ models, splits, onEvaluated }: { models: ModelSummary[]; splits: SplitSummary[]; onEvaluated: () => void }) {
  const api = useApi();
  const [aId, setAId] = useState<number | null>(null);
  const [bId, setBId] = useState<number | null>(null);
  const [key, setKey] = useState<string | null>(null);
  const [fresh, setFresh] = useState<Record<number, EvalEntry[]>>({});
  const { split, part, choose: chooseSplitPart } = useSplitPart(splits);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Default pair: the newest model against its parent, else against the next newest.
  useEffect(() => {
    if (models.length < 2) return;
    if (aId !== null && bId !== null && models.some((m) => m.id === aId) && models.some((m) => m.id === bId)) return;
    const b = models[0];
    const a = models.find((m) => m.id === b.parentModelId) ?? models[1];
    setAId(a.id);
    setBId(b.id);
  }, [models, aId, bId]);
  const a = models.find((m) => m.id === aId) ?? null;
  const b = models.find((m) => m.id === bId) ?? null;
  const aEvals = useMemo(() => evalsOf(a, fresh), [a, fresh]);
  const bEvals = useMemo(() => evalsOf(b, fresh), [b, fresh]);
  const common = useMemo(() => aEvals.map(evalKey).filter((k) => bEvals.some((e) => evalKey(e) === k)).sort(), [aEvals, bEvals]);
  const chosen = key && common.includes(key) ? key : (common.find((k) => k.endsWith('/test')) ?? common[0] ?? null);
  const ea = chosen ? (aEvals.find((e) => evalKey(e) === chosen) ?? null) : null;
  const eb = chosen ? (bEvals.find((e) => evalKey(e) === chosen) ?? null) : null;

  async function evaluateBoth() {
    if (!a || !b) return;
    setBusy(true);
    setError(null);
    try {
      for (const m of [a, b]) {
        if (evalsOf(m, fresh).some((e) => e.split === split && e.part === part)) continue;
        const report = await api['models.eval']({ modelId: m.id, split, part });
        setFresh((f) => ({ ...f, [m.id]: [...(f[m.id] ?? []), { ...report, split, part }] }));
      }
      setKey(`${split}/${part}`);
      onEvaluated();
    } catch (e) {
      setError(`Eval failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  }

  if (models.length < 2)
    return (
      <EmptyState title="Two models needed" testId="compare-empty">
        Comparison needs two trained models: e.g. an SFT model and the RL model trained from it.
      </EmptyState>
    );

  const picker = (value: number | null, set: (id: number) => void, testId: string) => (
    <select value={value ?? ''} onChange={(e) => set(Number(e.target.value))} data-testid={testId}>
      {models.map((m) => (
        <option key={m.id} value={m.id}>
          {modelLabel(m)}
        </option>
      ))}
    </select>
  );

  return (
    <div className="tr-compare" data-testid="model-compare">
      <div className="tr-toolbar">
        <span className="tr-ab tr-ab--a">A</span>
        {picker(aId, setAId, 'compare-a')}
        <span className="tr-ab tr-ab--b">B</span>
        {picker(bId, setBId, 'compare-b')}
        {common.length > 0 ? (
          <>
            <span className="dt-muted">on</span>
            <select value={chosen ?? ''} onChange={(e) => setKey(e.target.value)} data-testid="compare-eval">
              {common.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </>
        ) : null}
      </div>
      {!ea || !eb ? (
        <EmptyState title="No eval both models share">
          <div className="tr-toolbar tr-toolbar--center">
            Evaluate both on
            <SplitPartPicker
              splits={splits}
              split={split}
              part={part}
              onChange={chooseSplitPart}
              testId="compare"
            />
            <button type="button" className="dt-btn dt-btn--primary" disabled={busy || !split || aId === bId} onClick={() => void evaluateBoth()} data-testid="compare-evaluate">
              {busy ? 'Evaluating…' : 'Evaluate A and B'}
            </button>
          </div>
          {error ? <div className="tr-form__error">{error}</div> : null}
        </EmptyState>
      ) : (
        <>
          <table className="dt-table tr-delta" data-testid="compare-table">
            <thead>
              <tr>
                <th>{chosen}</th>
                <th className="dt-num">A · {a ? `#${a.id}` : ''}</th>
                <th className="dt-num">B · {b ? `#${b.id}` : ''}</th>
                <th className="dt-num">Δ B − A</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>n</td>
                <td className="dt-num">{fmtInt(ea.n)}</td>
                <td className="dt-num">{fmtInt(eb.n)}</td>
                <td />
              </tr>
              {EVAL_METRICS.map((m) => {
                const better = improvement(m.key, ea[m.key], eb[m.key], 5e-4);
                return (
                  <tr key={m.key} data-testid={`compare-row-${m.key}`}>
                    <td title={m.title}>
                      {m.label}
                      {m.higherIsBetter ? '' : ' ↓'}
                    </td>
                    <td className={`dt-num ${better < 0 ? 'tr-win' : ''}`}>{fmtPct(ea[m.key])}</td>
                    <td className={`dt-num ${better > 0 ? 'tr-win' : ''}`}>{fmtPct(eb[m.key])}</td>
                    <td className={`dt-num ${better > 0 ? 'tr-up' : better < 0 ? 'tr-down' : 'dt-muted'}`} data-better={better > 0 ? 'b' : better < 0 ? 'a' : 'tie'}>
                      {fmtDeltaPct(eb[m.key] - ea[m.key])}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div className="tr-compare__pair">
            <SideConfusion side="a" model={a} confusion={ea.confusion} />
            <SideConfusion side="b" model={b} confusion={eb.confusion} />
          </div>
          <div className="tr-sub">
            <div className="tr-sub__title">Per-AU F1, A vs B</div>
            <PerAUBars perAU={ea.perAU} compare={eb.perAU} names={[`A #${a?.id}`, `B #${b?.id}`]} testId="compare-per-au" />
          </div>
        </>
      )}
    </div>
  );
}
