import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { auNumber, FACIAL_R1_AU_NAMES } from '../../../pipelines/facs/vocabulary';
import { EmptyState } from '../charts/ChartCard';
import { fmtInt, fmtPct } from '../charts/format';
import { axisProps, COLORS, gridProps } from '../charts/theme';

interface Datum {
  au: string;
  name: string;
  count: number;
}

function AUTooltip({ active, payload, records }: { active?: boolean; payload?: readonly { payload?: Datum }[]; records: number }) {
  const d = active ? payload?.[0]?.payload : undefined;
  if (!d) return null;
  return (
    <div className="dt-tooltip">
      <div className="dt-tooltip__title">
        {d.au} · {d.name}
      </div>
      <div className="dt-tooltip__row">
        <span>records</span>
        <span>
          {fmtInt(d.count)}
          {records > 0 ? ` (${fmtPct(d.count / records)})` : ''}
        </span>
      </div>
    </div>
  );
}

/** Records per AU, sorted by AU number; AUs never labeled are left out and counted below the chart. */
export function AUChart({
  byAU,
  auNames,
  records,
}: {
  byAU: Record<string, number>;
  auNames: Record<string, string>;
  records: number;
}) {
  const known = new Set([...Object.keys(auNames), ...Object.keys(byAU)]);
  const all = [...known].filter((a) => /^AU\d+$/.test(a)).sort((a, b) => auNumber(a) - auNumber(b));
  const data: Datum[] = all
    .filter((au) => (byAU[au] ?? 0) > 0)
    .map((au) => ({ au, name: auNames[au] ?? FACIAL_R1_AU_NAMES[au] ?? au, count: byAU[au] ?? 0 }));
  const hidden = all.length - data.length;
  if (data.length === 0)
    return (
      <EmptyState title="No AU labels yet">
        Select AUs while labeling, or run face analysis to get weak AU labels.
      </EmptyState>
    );
  return (
    <div data-testid="au-chart" className="db-chart">
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} margin={{ top: 6, right: 6, bottom: 0, left: -12 }}>
          <CartesianGrid {...gridProps} />
          <XAxis dataKey="au" {...axisProps} interval={0} tick={{ fill: COLORS.muted, fontSize: 10 }} />
          <YAxis {...axisProps} allowDecimals={false} />
          <Tooltip content={<AUTooltip records={records} />} cursor={{ fill: 'rgba(255,255,255,0.05)', stroke: 'none' }} isAnimationActive={false} />
          <Bar dataKey="count" fill={COLORS.accent} isAnimationActive={false} radius={[2, 2, 0, 0]} maxBarSize={34} />
        </BarChart>
      </ResponsiveContainer>
      {hidden > 0 ? <div className="dt-legend">{hidden} AUs of the vocabulary have no labels and are not shown.</div> : null}
    </div>
  );
}
