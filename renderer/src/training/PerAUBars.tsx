/** Per-AU F1 as bars sorted by AU number; with `compare`, A and B side by side. */
import { Bar, BarChart, CartesianGrid, Cell, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EvalReport } from '../../../contract/types';
import { auName, auNumber } from '../../../pipelines/facs/vocabulary';
import { EmptyState } from '../charts/ChartCard';
import { fmtNum } from '../charts/format';
import { axisProps, COLORS, gridProps, scoreColor, SERIES } from '../charts/theme';

interface Row {
  au: string;
  a: number;
  b?: number;
  supportA: number;
  supportB?: number;
}

function AUTip({ active, payload, names }: { active?: boolean; payload?: readonly { payload?: Row }[]; names: [string, string?] }) {
  const r = active ? payload?.[0]?.payload : undefined;
  if (!r) return null;
  return (
    <div className="dt-tooltip">
      <div className="dt-tooltip__title">
        {r.au} · {auName(r.au)}
      </div>
      <div className="dt-tooltip__row">
        <span>{names[0]} F1</span>
        <span>
          {fmtNum(r.a)} (n={r.supportA})
        </span>
      </div>
      {r.b !== undefined ? (
        <div className="dt-tooltip__row">
          <span>{names[1]} F1</span>
          <span>
            {fmtNum(r.b)} (n={r.supportB})
          </span>
        </div>
      ) : null}
    </div>
  );
}

export function PerAUBars({
  perAU,
  compare,
  names = ['A', 'B'],
  testId = 'per-au-f1',
}: {
  perAU: EvalReport['perAU'];
  compare?: EvalReport['perAU'];
  names?: [string, string?];
  testId?: string;
}) {
  const aus = [...new Set([...Object.keys(perAU), ...Object.keys(compare ?? {})])].sort((x, y) => auNumber(x) - auNumber(y));
  if (aus.length === 0) return <EmptyState title="No AU scores">The eval set has no AU labels.</EmptyState>;
  const rows: Row[] = aus.map((au) => ({
    au,
    a: perAU[au]?.f1 ?? 0,
    supportA: perAU[au]?.support ?? 0,
    ...(compare ? { b: compare[au]?.f1 ?? 0, supportB: compare[au]?.support ?? 0 } : {}),
  }));
  return (
    <div data-testid={testId}>
      <ResponsiveContainer width="100%" height={rows.length > 12 ? 210 : 190}>
        <BarChart data={rows} margin={{ top: 6, right: 6, bottom: 0, left: -14 }} barGap={1}>
          <CartesianGrid {...gridProps} />
          {/* Many AUs in a narrow panel: slanted labels keep every AU named. */}
          <XAxis
            dataKey="au"
            {...axisProps}
            interval={0}
            tick={{ fill: COLORS.muted, fontSize: 10 }}
            {...(rows.length > 12 ? { angle: -40, textAnchor: 'end', height: 34 } : {})}
          />
          <YAxis {...axisProps} domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} />
          <Tooltip content={<AUTip names={names} />} cursor={{ fill: 'rgba(255,255,255,0.05)', stroke: 'none' }} isAnimationActive={false} />
          {compare ? <Legend iconSize={8} height={16} wrapperStyle={{ fontSize: 10, color: COLORS.muted }} /> : null}
          <Bar dataKey="a" name={names[0]} isAnimationActive={false} radius={[2, 2, 0, 0]} fill={SERIES[0]}>
            {compare ? null : rows.map((r) => <Cell key={r.au} fill={scoreColor(r.a)} />)}
          </Bar>
          {compare ? <Bar dataKey="b" name={names[1]} isAnimationActive={false} radius={[2, 2, 0, 0]} fill={SERIES[1]} /> : null}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
