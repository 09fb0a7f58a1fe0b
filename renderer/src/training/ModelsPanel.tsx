/** Trained models with their evals, a side-by-side comparison and sample outputs. */
import { useEffect, useRef, useState } from 'react';
import type { ModelSummary, RunSummary, SplitSummary } from '../../../contract/types';
import { EmptyState } from '../charts/ChartCard';
import { fmtAgo, fmtDateTime, fmtPct } from '../charts/format';
import { EvalPanel } from './EvalPanel';
import { ModelCompare } from './ModelCompare';
import { SampleOutputs } from './SampleOutputs';
import { RunStep } from './RunStep';

type Tab = 'eval' | 'compare' | 'samples';
const TABS: { id: Tab; label: string }[] = [
  { id: 'eval', label: 'Evaluation' },
  { id: 'compare', label: 'Compare A / B' },
  { id: 'samples', label: 'Sample outputs' },
];

function headline(m: ModelSummary): string {
  const e = m.evals.find((x) => x.part === 'test') ?? m.evals[0];
  return e ? `${fmtPct(e.accuracy)} acc · ${fmtPct(e.auF1Micro)} AU µF1 (${e.split}/${e.part})` : 'not evaluated';
}

export function ModelsPanel({ models, runs, splits, onChanged }: { models: ModelSummary[]; runs: RunSummary[]; splits: SplitSummary[]; onChanged: () => void }) {
  const runById = new Map(runs.map((r) => [r.id, r]));
  const [selectedId, setSelected] = useState<number | null>(null);
  const [tab, setTab] = useState<Tab>('eval');
  // Until the user picks a model, follow the newest one (a run that just finished brings it).
  const userPicked = useRef(false);
  const setSelectedId = (id: number) => {
    userPicked.current = true;
    setSelected(id);
  };
  useEffect(() => {
    if (userPicked.current && models.some((m) => m.id === selectedId)) return;
    const newest = models[0]?.id ?? null;
    if (newest !== selectedId) setSelected(newest);
  }, [models, selectedId]);
  const model = models.find((m) => m.id === selectedId) ?? null;

  if (models.length === 0)
    return (
      <EmptyState title="No models yet" testId="models-empty">
        A model appears here when a run finishes. Start an SFT run above; then evaluate it, compare it with its RL successor and inspect its outputs.
      </EmptyState>
    );
  return (
    <div className="tr-models">
      <table className="dt-table" data-testid="models-table">
        <thead>
          <tr>
            <th>Model</th>
            <th>Stage</th>
            <th>Run</th>
            <th>Parent</th>
            <th>Backend</th>
            <th>Created</th>
            <th>Test eval</th>
          </tr>
        </thead>
        <tbody>
          {models.map((m) => (
            <tr key={m.id} className={`dt-row--click ${m.id === selectedId ? 'dt-row--selected' : ''}`} onClick={() => setSelectedId(m.id)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  setSelectedId(m.id);
                }
              }}
              tabIndex={0}
              aria-selected={m.id === selectedId}
              data-testid={`model-row-${m.id}`}
            >
              <td>
                #{m.id} {m.name}
              </td>
              <td>
                <span className="tr-stage">{m.stage.toUpperCase()}</span>
              </td>
              <td>
                {m.runId !== null ? `#${m.runId}` : '–'}
                <RunStep result={m.runId !== null ? runById.get(m.runId)?.result : null} testId={`model-step-${m.id}`} />
              </td>
              <td>{m.parentModelId !== null ? `#${m.parentModelId}` : '–'}</td>
              <td>
                <code>{m.backend}</code>
              </td>
              <td title={fmtDateTime(m.createdAt)}>{fmtAgo(m.createdAt)}</td>
              <td className={m.evals.length ? undefined : 'dt-muted'}>{headline(m)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="tr-tabs" role="tablist">
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} className={`tr-tab ${tab === t.id ? 'is-on' : ''}`} onClick={() => setTab(t.id)} data-testid={`tab-${t.id}`}>
            {t.label}
          </button>
        ))}
        {model && tab !== 'compare' ? <span className="tr-tabs__meta">model #{model.id} {model.name}</span> : null}
      </div>
      <div className="tr-tabpanel">
        {tab === 'eval' && model ? <EvalPanel model={model} splits={splits} onEvaluated={onChanged} /> : null}
        {tab === 'compare' ? <ModelCompare models={models} splits={splits} onEvaluated={onChanged} /> : null}
        {tab === 'samples' && model ? <SampleOutputs model={model} splits={splits} /> : null}
      </div>
    </div>
  );
}
