/** One model's evals: the metrics table, an Evaluate action, and the selected eval's confusion matrix and per-AU F1. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ModelSummary, SplitSummary } from '../../../contract/types';
import { useApi } from '../api/ApiContext';
import { EmptyState } from '../charts/ChartCard';
import { fmtInt, fmtPct } from '../charts/format';
import { ConfusionMatrix } from './ConfusionMatrix';
import { EVAL_METRICS, evalKey, type EvalEntry } from './evalMetrics';
import { PerAUBars } from './PerAUBars';

export function EvalTable({ evals, selected, onSelect }: { evals: EvalEntry[]; selected: string | null; onSelect: (key: string) => void }) {
  return (
    <table className="dt-table tr-evaltable" data-testid="eval-table">
      <thead>
        <tr>
          <th>Split / part</th>
          <th className="dt-num">n</th>
          {EVAL_METRICS.map((m) => (
            <th key={m.key} className="dt-num" title={`${m.title}${m.higherIsBetter ? '' : ' (lower is better)'}`}>
              {m.label}
              {m.higherIsBetter ? '' : ' ↓'}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {evals.map((e) => {
          const k = evalKey(e);
          return (
            <tr key={k} className={`dt-row--click ${k === selected ? 'dt-row--selected' : ''}`} onClick={() => onSelect(k)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  onSelect(k);
                }
              }}
              tabIndex={0}
              aria-selected={k === selected}
              data-testid={`eval-row-${k}`}
            >
              <td>{k}</td>
              <td className="dt-num">{fmtInt(e.n)}</td>
              {EVAL_METRICS.map((m) => (
                <td key={m.key} className="dt-num" data-testid={`eval-${m.key}`}>
                  {fmtPct(e[m.key])}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Split and part pickers shared by the eval and samples panels. */
export function SplitPartPicker({
  splits,
  split,
  part,
  onChange,
  testId,
}: {
  splits: SplitSummary[];
  split: string;
  part: string;
  onChange: (split: string, part: string) => void;
  testId: string;
}) {
  const parts = Object.keys(splits.find((s) => s.name === split)?.parts ?? {});
  return (
    <>
      <select value={split} onChange={(e) => onChange(e.target.value, defaultPart(splits, e.target.value))} data-testid={`${testId}-split`}>
        {splits.map((s) => (
          <option key={s.name} value={s.name}>
            {s.name}
          </option>
        ))}
      </select>
      <select value={part} onChange={(e) => onChange(split, e.target.value)} data-testid={`${testId}-part`}>
        {parts.map((p) => (
          <option key={p} value={p}>
            {p} ({splits.find((s) => s.name === split)?.parts[p]?.n ?? 0})
          </option>
        ))}
      </select>
    </>
  );
}

/** The split and part a panel works on: the first split's test part, kept valid as splits come and go. */
export function useSplitPart(splits: SplitSummary[]) {
  const [split, setSplit] = useState(splits[0]?.name ?? '');
  const [part, setPart] = useState(defaultPart(splits, splits[0]?.name ?? ''));
  useEffect(() => {
    if (!splits.some((s) => s.name === split) && splits[0]) {
      setSplit(splits[0].name);
      setPart(defaultPart(splits, splits[0].name));
    }
  }, [splits, split]);
  const choose = useCallback((s: string, p: string) => {
    setSplit(s);
    setPart(p);
  }, []);
  return { split, part, choose };
}

export function defaultPart(splits: SplitSummary[], split: string): string {
  const parts = Object.keys(splits.find((s) => s.name === split)?.parts ?? {});
  return parts.includes('test') ? 'test' : (parts[parts.length - 1] ?? 'test');
}

export function EvalPanel({ model, splits, onEvaluated }: { model: ModelSummary; splits: SplitSummary[]; onEvaluated: () => void }) {
  const api = useApi();
  const [fresh, setFresh] = useState<EvalEntry[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const { split, part, choose: chooseSplitPart } = useSplitPart(splits);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setFresh([]);
    setSelected(null);
    setError(null);
  }, [model.id]);
  // Evals stored with the model, plus ones just run here that the list may not have yet.
  const evals = useMemo(() => {
    const byKey = new Map<string, EvalEntry>();
    for (const e of model.evals) byKey.set(evalKey(e), e);
    for (const e of fresh) byKey.set(evalKey(e), e);
    return [...byKey.values()].sort((a, b) => evalKey(a).localeCompare(evalKey(b)));
  }, [model.evals, fresh]);
  const current = evals.find((e) => evalKey(e) === selected) ?? evals.find((e) => e.part === 'test') ?? evals[0] ?? null;

  async function run() {
    setBusy(true);
    setError(null);
    try {
      const report = await api['models.eval']({ modelId: model.id, split, part });
      const entry: EvalEntry = { ...report, split, part };
      setFresh((f) => [...f.filter((e) => evalKey(e) !== evalKey(entry)), entry]);
      setSelected(evalKey(entry));
      onEvaluated();
    } catch (e) {
      setError(`Eval failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="tr-eval" data-testid="eval-panel">
      <div className="tr-toolbar">
        <span className="dt-muted">Evaluate model #{model.id} on</span>
        {splits.length ? (
          <>
            <SplitPartPicker
              splits={splits}
              split={split}
              part={part}
              onChange={chooseSplitPart}
              testId="eval"
            />
            <button type="button" className="dt-btn dt-btn--primary" onClick={() => void run()} disabled={busy || !split || !part} data-testid="eval-run">
              {busy ? 'Evaluating…' : 'Evaluate'}
            </button>
          </>
        ) : (
          <span className="dt-muted">— no split to evaluate on; create one first.</span>
        )}
        {error ? <span className="tr-form__error">{error}</span> : null}
      </div>
      {evals.length === 0 ? (
        <EmptyState title="Not evaluated yet" testId="eval-empty">
          Pick a split part above and press <b>Evaluate</b>, or run <code>fea eval &lt;workspace&gt; --model {model.id} --split NAME --part test</code>.
        </EmptyState>
      ) : (
        <>
          <EvalTable evals={evals} selected={current ? evalKey(current) : null} onSelect={setSelected} />
          {current ? (
            <div className="tr-eval__detail">
              <div className="tr-sub">
                <div className="tr-sub__title">Confusion matrix · {evalKey(current)}</div>
                <ConfusionMatrix confusion={current.confusion} />
              </div>
              <div className="tr-sub">
                <div className="tr-sub__title">Per-AU F1 · {evalKey(current)}</div>
                <PerAUBars perAU={current.perAU} />
              </div>
            </div>
          ) : null}
        </>
      )}
    </div>
  );
}
