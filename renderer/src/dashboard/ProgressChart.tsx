import { Area, Bar, CartesianGrid, ComposedChart, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { EmptyState } from '../charts/ChartCard';
import { fmtInt } from '../charts/format';
import { axisProps, COLORS, gridProps, tooltipProps } from '../charts/theme';
import { progressSeries } from './progressSeries';

/** Human revisions per day (bars, left axis) and their running total (area, right axis). */
export function ProgressChart({ progress }: { progress: { day: string; count: number }[] }) {
  const data = progressSeries(progress);
  if (data.length === 0)
    return (
      <EmptyState title="No human labels yet">
        Progress appears here once someone submits a label in the Label view (<kbd>Ctrl</kbd>+<kbd>Enter</kbd>).
      </EmptyState>
    );
  return (
    <div data-testid="progress-chart" className="db-chart">
      <ResponsiveContainer width="100%" height={220}>
        <ComposedChart data={data} margin={{ top: 6, right: 0, bottom: 0, left: -12 }}>
          <defs>
            <linearGradient id="db-cum-fill" x1="0" y1="0" x2="0" y2="1">
              <stop offset="0%" stopColor={COLORS.accent} stopOpacity={0.35} />
              <stop offset="100%" stopColor={COLORS.accent} stopOpacity={0.02} />
            </linearGradient>
          </defs>
          <CartesianGrid {...gridProps} />
          <XAxis dataKey="day" {...axisProps} tickFormatter={(d: string) => d.slice(5)} minTickGap={18} />
          <YAxis yAxisId="day" {...axisProps} allowDecimals={false} />
          <YAxis yAxisId="cum" orientation="right" {...axisProps} allowDecimals={false} />
          <Tooltip {...tooltipProps} formatter={(v, name) => [fmtInt(Number(v)), name]} />
          <Legend iconSize={9} wrapperStyle={{ fontSize: 11, color: COLORS.muted }} />
          <Area
            yAxisId="cum"
            type="linear"
            dataKey="cumulative"
            name="cumulative"
            stroke={COLORS.accent}
            fill="url(#db-cum-fill)"
            strokeWidth={1.5}
            isAnimationActive={false}
            dot={false}
          />
          <Bar yAxisId="day" dataKey="count" name="revisions / day" fill={COLORS.good} isAnimationActive={false} maxBarSize={18} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
