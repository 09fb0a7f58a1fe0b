/** The training view: start/stop/resume runs, live curves, evals, model comparison and sample outputs. */
import { ChartCard, EmptyState, ErrorBanner } from '../charts/ChartCard';
import { IterationsPanel } from '../iterations/IterationsPanel';
import { CreateSplitForm } from './CreateSplitForm';
import { ModelsPanel } from './ModelsPanel';
import { RunCurves } from './RunCurves';
import { RunsTable } from './RunsTable';
import { StartRunForm } from './StartRunForm';
import { useTrainingData } from './useTrainingData';
import { readCurrentUserId } from '../dashboard/currentUser';
import '../charts/charts.css';
import './training.css';
import { countOf } from '../components/plural';

export function TrainingView() {
  const data = useTrainingData();
  const { runs, models, splits, loaded, error, reload, selectedRunId, selectRun, metrics, metricsLoading } = data;
  const selectedRun = runs.find((r) => r.id === selectedRunId) ?? null;
  const running = runs.filter((r) => r.status === 'running').length;
  const queued = runs.filter((r) => r.status === 'queued').length;
  const backend = runs[0]?.backend;

  return (
    <div className="dt-root tr-root" data-testid="training-view" data-loaded={loaded ? 'true' : 'false'}>
      <div className="dt-pagehead">
        <h2>Training</h2>
        <span className="dt-pagehead__meta">
          {countOf(runs.length, 'run')}{running ? ` · ${running} running` : ''}{queued ? ` · ${queued} queued` : ''} · {countOf(models.length, 'model')}{backend ? ` · last backend ${backend}` : ''}
        </span>
        <div className="dt-pagehead__actions">
          <button type="button" className="dt-btn" onClick={() => void reload()} data-testid="training-refresh">
            Refresh
          </button>
        </div>
      </div>
      {error ? <ErrorBanner error={error} onRetry={() => void reload()} /> : null}
      {!loaded ? (
        <div className="dt-muted">Loading…</div>
      ) : (
        <div className="tr-grid">
          <ChartCard title="New run" className="tr-start" testId="card-start">
            {splits.length === 0 ? (
              <EmptyState title="No split yet" testId="no-split">
                Training reads a split's train part. Create one with <code>fea split &lt;workspace&gt; --name main --ratios train=0.8,test=0.2</code>, or
                here:
                <CreateSplitForm onCreated={() => void reload()} />
              </EmptyState>
            ) : (
              <StartRunForm
                splits={splits}
                models={models}
                onStarted={(runId) => {
                  selectRun(runId);
                  void reload();
                }}
              />
            )}
          </ChartCard>
          <ChartCard title="Runs" subtitle="click a run for its curves" className="tr-runs-card" testId="card-runs">
            <RunsTable runs={runs} selectedId={selectedRunId} onSelect={selectRun} onChanged={() => void reload()} />
          </ChartCard>
          <ChartCard
            title="Curves"
            subtitle={selectedRun ? `run #${selectedRun.id} · ${selectedRun.stage.toUpperCase()} · ${selectedRun.split} · seed ${selectedRun.seed}` : undefined}
            className="tr-full"
            testId="card-curves"
          >
            <RunCurves run={selectedRun} metrics={metrics} loading={metricsLoading} hasRuns={runs.length > 0} />
          </ChartCard>
          <ChartCard title="Iterations" subtitle="SFT on the latest snapshot → RL → synthesis round → the lead's approval" className="tr-full" testId="card-iterations">
            <IterationsPanel splits={splits} userId={readCurrentUserId() ?? undefined} />
          </ChartCard>
          <ChartCard title="Models" subtitle="evaluation, comparison and outputs" className="tr-full" testId="card-models">
            <ModelsPanel models={models} runs={runs} splits={splits} onChanged={() => void reload()} />
          </ChartCard>
        </div>
      )}
    </div>
  );
}
