/** The runs list: status, stage, backend and live progress; stop and resume. */
import { useState } from 'react';
import type { RunSummary } from '../../../contract/types';
import { useApi } from '../api/ApiContext';
import { EmptyState } from '../charts/ChartCard';
import { fmtAgo, fmtDateTime } from '../charts/format';
import { RunStep } from './RunStep';

const STATUS_BADGE: Record<RunSummary['status'], string> = {
  queued: '',
  running: 'dt-badge--accent',
  done: 'dt-badge--good',
  stopped: 'dt-badge--warn',
  failed: 'dt-badge--bad',
};

export function RunsTable({
  runs,
  selectedId,
  onSelect,
  onChanged,
}: {
  runs: RunSummary[];
  selectedId: number | null;
  onSelect: (id: number) => void;
  onChanged: (runId?: number) => void;
}) {
  const api = useApi();
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function act(run: RunSummary, action: 'stop' | 'resume' | 'delete') {
    setBusy(run.id);
    setError(null);
    try {
      if (action === 'stop') await api['training.stop']({ runId: run.id });
      else if (action === 'resume') await api['training.resume']({ runId: run.id });
      else {
        if (!window.confirm(`Delete ${run.stage.toUpperCase()} run #${run.id} and its metrics?`)) return;
        await api['runs.delete']({ runId: run.id });
      }
      onChanged(run.id);
    } catch (e) {
      setError(`Could not ${action} run #${run.id}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(null);
    }
  }

  if (runs.length === 0)
    return (
      <EmptyState title="No runs yet" testId="runs-empty">
        Start an SFT run with the form, or from a terminal: <code>fea train &lt;workspace&gt; --stage sft --split main</code>.
      </EmptyState>
    );
  return (
    <div className="tr-runs">
      {error ? (
        <div className="tr-form__error" role="alert">
          {error}
        </div>
      ) : null}
      <table className="dt-table" data-testid="runs-table">
        <thead>
          <tr>
            <th>Run</th>
            <th>Stage</th>
            <th>Status</th>
            <th>Split</th>
            <th title="The seed the run used (the default when the form left it empty)">Seed</th>
            <th>Backend</th>
            <th style={{ width: '30%' }}>Progress</th>
            <th>Model</th>
            <th>Started</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => {
            const { step, totalSteps } = r.progress;
            const frac = totalSteps > 0 ? Math.min(1, step / totalSteps) : 0;
            return (
              <tr
                key={r.id}
                className={`dt-row--click ${r.id === selectedId ? 'dt-row--selected' : ''}`}
                onClick={() => onSelect(r.id)}
                onKeyDown={(e) => {
                  if (e.target === e.currentTarget && (e.key === 'Enter' || e.key === ' ')) {
                    e.preventDefault();
                    onSelect(r.id);
                  }
                }}
                tabIndex={0}
                data-testid={`run-row-${r.id}`}
                data-status={r.status}
                aria-selected={r.id === selectedId}
              >
                <td>#{r.id}</td>
                <td>
                  <span className="tr-stage">{r.stage.toUpperCase()}</span>
                </td>
                <td>
                  <span className={`dt-badge ${STATUS_BADGE[r.status]}`} title={r.error ?? (r.status === 'queued' ? 'waiting for a training slot: it starts when the running one ends' : undefined)} data-testid={`run-status-${r.id}`}>
                    {r.status}
                  </span>
                </td>
                <td>{r.split}</td>
                <td className="dt-num" data-testid={`run-seed-${r.id}`}>
                  {r.seed}
                </td>
                <td>
                  <code>{r.backend || '–'}</code>
                </td>
                <td>
                  <div className="tr-progress" title={`${step} / ${totalSteps} steps`}>
                    <div className="tr-progress__bar">
                      <span
                        className={`tr-progress__fill tr-progress__fill--${r.status}`}
                        style={{ width: `${(frac * 100).toFixed(1)}%` }}
                        data-testid={`run-progress-${r.id}`}
                      />
                    </div>
                    <span className="tr-progress__text">
                      {step}/{totalSteps || '?'}
                    </span>
                  </div>
                </td>
                <td>
                  {r.modelId !== null ? `#${r.modelId}` : <span className="dt-muted">–</span>}
                  {r.status === 'done' ? <RunStep result={r.result} testId={`run-model-step-${r.id}`} /> : null}
                </td>
                <td title={fmtDateTime(r.createdAt)}>{fmtAgo(r.createdAt)}</td>
                <td className="dt-num" onClick={(e) => e.stopPropagation()}>
                  {r.status === 'running' || r.status === 'queued' ? (
                    <button type="button" className="dt-btn dt-btn--small dt-btn--danger" disabled={busy === r.id} onClick={() => void act(r, 'stop')} data-testid={`run-stop-${r.id}`}>
                      Stop
                    </button>
                  ) : r.status === 'stopped' || r.status === 'failed' ? (
                    <>
                      <button
                        type="button"
                        className="dt-btn dt-btn--small"
                        disabled={busy === r.id}
                        onClick={() => void act(r, 'resume')}
                        data-testid={`run-resume-${r.id}`}
                        title={r.hasCheckpoint === false ? 'no checkpoint: the run starts again from step 0' : 'continue from the last checkpoint'}
                      >
                        {r.hasCheckpoint === false ? 'Restart' : 'Resume'}
                      </button>
                      {r.modelId === null ? (
                        <button type="button" className="dt-btn dt-btn--small dt-btn--danger" disabled={busy === r.id} onClick={() => void act(r, 'delete')} data-testid={`run-delete-${r.id}`}>
                          Delete
                        </button>
                      ) : null}
                    </>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
