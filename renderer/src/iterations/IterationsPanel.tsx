/** Per iteration of the data engine: dataset size, provenance mix, kept/accepted rates per emotion and test metrics. */
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SplitSummary } from '../../../contract/types';
import { EmptyState } from '../charts/ChartCard';
import { fmtPct } from '../charts/format';
import { axisProps, gridProps, tooltipProps } from '../charts/theme';
import { provenanceRows, rateRows, useIterations } from './useIterations';

const SERIES = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7'];
const STEP_LABEL: Record<string, string> = { sft: 'SFT', rl: 'RL', synth: 'synthesis', review: 'waiting for approval', done: 'done', failed: 'failed' };

export function IterationsPanel({ splits, userId, controls = true }: { splits?: SplitSummary[]; userId?: number; controls?: boolean }) {
  const { iterations, loaded, error, advance } = useIterations();
  const [split, setSplit] = useState('');
  const [rounds, setRounds] = useState(1);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const chosen = split || splits?.[0]?.name || '';
  const prov = provenanceRows(iterations);
  const rates = rateRows(iterations);
  const metrics = iterations.filter((it) => it.test).map((it) => ({ iteration: `#${it.number}`, accuracy: it.test!.accuracy, macroF1: it.test!.macroF1, auF1: it.test!.auF1Macro ?? null }));
  const waiting = iterations.filter((it) => it.step === 'review');
  return (
    <div className="it-panel" data-testid="iterations-panel">
      {controls && splits ? (
        <form
          className="it-controls"
          onSubmit={(e) => {
            e.preventDefault();
            setBusy(true);
            setMessage(null);
            advance(chosen, rounds, userId)
              .then(() => setMessage(`iteration on ${chosen} started: its runs and round show in the job indicator`))
              .catch((err: unknown) => setMessage(err instanceof Error ? err.message : String(err)))
              .finally(() => setBusy(false));
          }}
        >
          <label>
            split{' '}
            <select value={chosen} onChange={(e) => setSplit(e.target.value)} data-testid="iterate-split">
              {splits.map((s) => (
                <option key={s.name}>{s.name}</option>
              ))}
            </select>
          </label>
          <label>
            iterations <input type="number" min={1} max={50} value={rounds} onChange={(e) => setRounds(Math.max(1, Number(e.target.value) || 1))} style={{ width: '4em' }} />
          </label>
          <button type="submit" className="dt-btn" disabled={busy || !chosen} data-testid="iterate-advance">
            {waiting.some((w) => w.split === chosen) ? 'Continue after approval' : 'Run next iteration'}
          </button>
          {message ? <span className="dt-muted">{message}</span> : null}
        </form>
      ) : null}
      {error ? <div className="dt-error">{error}</div> : null}
      {!loaded ? null : iterations.length === 0 ? (
        <EmptyState title="No iterations yet">
          An iteration trains SFT on the latest approved snapshot, RL from it, runs a synthesis round with the new model and waits for the lead's approval. Start one
          here or with <code>fea iterate &lt;workspace&gt; --split main</code>.
        </EmptyState>
      ) : (
        <>
          <table className="dt-table" data-testid="iterations-table">
            <thead>
              <tr>
                <th>#</th>
                <th>split</th>
                <th>step</th>
                <th>snapshot</th>
                <th>records</th>
                <th>runs</th>
                <th>round</th>
                <th>test accuracy</th>
              </tr>
            </thead>
            <tbody>
              {iterations.map((it) => (
                <tr key={it.id} data-step={it.step}>
                  <td>{it.number}</td>
                  <td>{it.split}</td>
                  <td>{STEP_LABEL[it.step] ?? it.step}{it.error ? ` (${it.error})` : ''}</td>
                  <td>{it.snapshotId ?? '–'}</td>
                  <td>{it.datasetSize ?? '–'}</td>
                  <td>{[it.sftRunId, it.rlRunId].filter(Boolean).map((r) => `#${r}`).join(' → ') || '–'}</td>
                  <td>{it.roundId ?? '–'}</td>
                  <td>{it.test ? fmtPct(it.test.accuracy) : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="it-charts">
            <figure data-testid="iterations-provenance">
              <figcaption>Training set per iteration, by provenance</figcaption>
              <ResponsiveContainer width="100%" height={200}>
                <BarChart data={prov.rows}>
                  <CartesianGrid {...gridProps} />
                  <XAxis dataKey="iteration" {...axisProps} />
                  <YAxis {...axisProps} allowDecimals={false} />
                  <Tooltip {...tooltipProps} />
                  <Legend />
                  {prov.keys.map((k, i) => (
                    <Bar key={k} dataKey={k} stackId="p" fill={SERIES[i % SERIES.length]} isAnimationActive={false} />
                  ))}
                </BarChart>
              </ResponsiveContainer>
            </figure>
            <figure data-testid="iterations-rates">
              <figcaption>Kept and accepted rate per emotion</figcaption>
              <ResponsiveContainer width="100%" height={200}>
                <BarChart data={rates.rows}>
                  <CartesianGrid {...gridProps} />
                  <XAxis dataKey="emotion" {...axisProps} interval={0} />
                  <YAxis {...axisProps} domain={[0, 1]} tickFormatter={(v: number) => fmtPct(v)} />
                  <Tooltip {...tooltipProps} formatter={(v) => fmtPct(Number(v))} />
                  <Legend />
                  {iterations
                    .filter((it) => it.round)
                    .flatMap((it, i) => [
                      <Bar key={`k${it.id}`} dataKey={`kept #${it.number}`} fill={SERIES[(2 * i) % SERIES.length]} isAnimationActive={false} />,
                      <Bar key={`a${it.id}`} dataKey={`accepted #${it.number}`} fill={SERIES[(2 * i + 1) % SERIES.length]} isAnimationActive={false} />,
                    ])}
                </BarChart>
              </ResponsiveContainer>
            </figure>
            <figure data-testid="iterations-metrics">
              <figcaption>Test metrics of each iteration's model</figcaption>
              {metrics.length ? (
                <ResponsiveContainer width="100%" height={200}>
                  <LineChart data={metrics}>
                    <CartesianGrid {...gridProps} />
                    <XAxis dataKey="iteration" {...axisProps} />
                    <YAxis {...axisProps} domain={[0, 1]} tickFormatter={(v: number) => fmtPct(v)} />
                    <Tooltip {...tooltipProps} formatter={(v) => fmtPct(Number(v))} />
                    <Legend />
                    <Line dataKey="accuracy" stroke={SERIES[0]} isAnimationActive={false} />
                    <Line dataKey="macroF1" stroke={SERIES[1]} isAnimationActive={false} />
                    <Line dataKey="auF1" name="AU F1" stroke={SERIES[2]} isAnimationActive={false} />
                  </LineChart>
                </ResponsiveContainer>
              ) : (
                <div className="dt-muted">no evaluated model yet</div>
              )}
            </figure>
          </div>
        </>
      )}
    </div>
  );
}
