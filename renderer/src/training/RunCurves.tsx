/**
 * Live curves of one run as small multiples: loss, reward components, KL, clip fraction, then any other metric; the
 * engine's own numbers (tokens/s, sequences/s, live tensors) in a group of their own below. A finished run's result sits above them; on RL curves a line marks the step the model came from.
 */
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MetricPoint, RunSummary } from '../../../contract/types';
import { EmptyState } from '../charts/ChartCard';
import { fmtNum } from '../charts/format';
import { axisProps, COLORS, gridProps, SERIES, tooltipProps } from '../charts/theme';
import { metricKeys, metricPanels, metricRows, panelGroups, rateAxisMax, type PanelDef } from './metricPanels';
import { RunResultLine } from './RunResultLine';
import { markerLabelSide } from './runResult';

function lastValue(rows: Record<string, number>[], key: string): number | undefined {
  for (let i = rows.length - 1; i >= 0; i--) if (Number.isFinite(rows[i][key])) return rows[i][key];
  return undefined;
}

/**
 * Axis labels with as many decimals as the panel's range needs, so that narrow ranges (a ratio near 1)
 * get distinct ticks; tiny or huge magnitudes fall back to the exponent form.
 */
export function axisTickFormatter(rows: Record<string, number>[], keys: string[]): (v: number) => string {
  let min = Infinity;
  let max = -Infinity;
  for (const r of rows)
    for (const k of keys) {
      const v = r[k];
      if (Number.isFinite(v)) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
  const span = max - min;
  const mag = Math.max(Math.abs(min), Math.abs(max));
  if (!(span > 0) || mag >= 1e5 || mag < 1e-3) return (v) => fmtNum(v);
  // One digit more than the tick step needs (steps like 0.25), trailing zeros dropped.
  const decimals = Math.min(7, Math.max(0, Math.ceil(-Math.log10(span / 4)) + 1));
  return (v) => String(Number(v.toFixed(decimals)));
}

/** Room for the longest tick label: estimated from labels of values across the panel's range (11 px font). */
function yAxisWidth(rows: Record<string, number>[], keys: string[], tick: (v: number) => string): number {
  const values = rows.flatMap((r) => keys.map((k) => r[k])).filter((v) => Number.isFinite(v));
  if (values.length === 0) return 40;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const samples = [0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1].map((t) => min + (max - min) * t);
  const longest = Math.max(...samples.map((v) => tick(v).length));
  return Math.max(32, Math.min(72, Math.round(longest * 6.6 + 12)));
}

/** The step whose weights the model holds, marked on the curves (RL: the best validated step). */
function ModelMarker({ step, rows }: { step: number; rows: Record<string, number>[] }) {
  const side = markerLabelSide(step, rows[0]?.step ?? step, rows[rows.length - 1]?.step ?? step);
  return (
    <ReferenceLine
      x={step}
      className="tr-model-line"
      stroke={COLORS.text}
      strokeOpacity={0.7}
      strokeDasharray="3 3"
      label={{ value: 'model', position: side, fill: COLORS.text, fontSize: 10, offset: 4, className: 'tr-model-label' }}
    />
  );
}

function Panel({ panel, rows, modelStep }: { panel: PanelDef; rows: Record<string, number>[]; modelStep: number | null }) {
  const latest = panel.series.map((s) => lastValue(rows, s.key));
  const keys = panel.series.map((s) => s.key);
  const tick = axisTickFormatter(rows, keys);
  const axisWidth = yAxisWidth(rows, keys, tick);
  return (
    <div className="tr-mult" data-testid={`curve-${panel.id}`} data-model-step={modelStep ?? undefined}>
      <div className="tr-mult__head">
        <span className="tr-mult__title">{panel.title}</span>
        {panel.series.length === 1 ? (
          <span className="tr-mult__last" style={{ color: SERIES[0] }} title={`${panel.series[0].key}, last value`}>
            {fmtNum(latest[0])}
          </span>
        ) : null}
      </div>
      <ResponsiveContainer width="100%" height={150}>
        <LineChart data={rows} margin={{ top: 4, right: 14, bottom: 0, left: 0 }}>
          <CartesianGrid {...gridProps} />
          <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} {...axisProps} allowDecimals={false} tickCount={5} />
          <YAxis
            {...axisProps}
            width={axisWidth}
            // a rate that is 0 throughout still gets a 0–1 axis, not recharts' 0–4 default
            domain={panel.unit === 'rate' ? [0, rateAxisMax] : ['auto', 'auto']}
            tickFormatter={tick}
          />
          <Tooltip {...tooltipProps} labelFormatter={(s) => `step ${s}`} formatter={(v, name) => [fmtNum(Number(v)), name]} />
          {panel.series.length > 1 ? (
            <Legend
              iconSize={8}
              height={16}
              wrapperStyle={{ fontSize: 10, color: COLORS.muted }}
              formatter={(name) => {
                const i = panel.series.findIndex((x) => x.label === name);
                return i < 0 ? name : `${name} ${fmtNum(latest[i])}`;
              }}
            />
          ) : null}
          {modelStep !== null ? <ModelMarker step={modelStep} rows={rows} /> : null}
          {panel.series.map((s, i) => (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.label}
              type="linear"
              stroke={SERIES[i % SERIES.length]}
              strokeWidth={1.4}
              // a series logged at one step only (validation in a short run) has no line to draw
              dot={rows.filter((r) => Number.isFinite(r[s.key])).length <= 1 ? { r: 2 } : false}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export function RunCurves({ run, metrics, loading, hasRuns }: { run: RunSummary | null; metrics: MetricPoint[]; loading: boolean; hasRuns: boolean }) {
  if (!run)
    return hasRuns ? (
      <EmptyState title="No run selected">Pick a run in the list to see its curves.</EmptyState>
    ) : (
      <EmptyState title="No curves yet">Loss, reward components, KL, clip fraction and tokens/s plot here, live, once a run starts.</EmptyState>
    );
  const failure =
    run.status === 'failed' ? (
      <div className="tr-run-error" role="alert" data-testid="run-error">
        <b>Run #{run.id} failed.</b> {run.error ?? 'No error message was recorded.'} Fix the cause, then press <b>Resume</b> to continue from
        the last checkpoint.
      </div>
    ) : null;
  const result = run.status === 'done' && run.result ? <RunResultLine result={run.result} /> : null;
  if (metrics.length === 0)
    return (
      <>
        {failure}
        {result}
        <EmptyState title={loading ? 'Loading metrics…' : run.status === 'running' ? 'Waiting for the first step…' : 'This run logged no metrics'}>
          {run.status === 'running' ? 'Curves update live as the run logs each step.' : null}
        </EmptyState>
      </>
    );
  const panels = metricPanels(metricKeys(metrics), run.stage);
  const rows = metricRows(metrics);
  const modelStep = run.status === 'done' && run.result?.stage === 'rl' ? run.result.selectedStep : null;
  return (
    <>
      {failure}
      {result}
      <div className="tr-mult-groups" data-testid="run-curves">
        {panelGroups(panels).map((g) => (
          <section key={g.group} className={`tr-mult-group tr-mult-group--${g.group}`} data-testid={`curve-group-${g.group}`} aria-label={g.title}>
            <h4 className="tr-mult-group__title">{g.title}</h4>
            <div className="tr-mults">
              {g.panels.map((p) => (
                <Panel key={p.id} panel={p} rows={rows} modelStep={modelStep} />
              ))}
            </div>
          </section>
        ))}
      </div>
    </>
  );
}
