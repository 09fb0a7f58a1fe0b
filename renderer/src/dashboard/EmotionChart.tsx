import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { EmptyState } from '../charts/ChartCard';
import { fmtInt, fmtPct } from '../charts/format';
import { axisProps, barCursor, emotionColor, gridProps, tooltipProps } from '../charts/theme';

/** Records per emotion, in the workspace's vocabulary order. */
export function EmotionChart({ byEmotion, emotions }: { byEmotion: Record<string, number>; emotions: string[] }) {
  const names = [...emotions, ...Object.keys(byEmotion).filter((e) => !emotions.includes(e)).sort()];
  const total = Object.values(byEmotion).reduce((a, b) => a + b, 0);
  const data = names.map((e) => ({ emotion: e, count: byEmotion[e] ?? 0 }));
  if (total === 0)
    return (
      <EmptyState title="No emotion labels yet">
        Label records in the Label view, or import labeled data with <code>fea import</code>.
      </EmptyState>
    );
  return (
    <div data-testid="emotion-chart" className="db-chart">
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} margin={{ top: 6, right: 6, bottom: 0, left: -12 }}>
          <CartesianGrid {...gridProps} />
          <XAxis dataKey="emotion" {...axisProps} interval={0} />
          <YAxis {...axisProps} allowDecimals={false} />
          <Tooltip
            {...tooltipProps}
            cursor={barCursor}
            formatter={(v) => [`${fmtInt(Number(v))} (${fmtPct(Number(v) / total)})`, 'records']}
          />
          <Bar dataKey="count" isAnimationActive={false} radius={[2, 2, 0, 0]}>
            {data.map((d) => (
              <Cell key={d.emotion} fill={emotionColor(d.emotion)} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
