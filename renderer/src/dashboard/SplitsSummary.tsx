import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SplitSummary } from '../../../contract/types';
import { EmptyState } from '../charts/ChartCard';
import { fmtDateTime, fmtInt, fmtPct } from '../charts/format';
import { axisProps, barCursor, COLORS, emotionColor, tooltipProps } from '../charts/theme';
import { countOf } from '../components/plural';

const PART_ORDER = ['train', 'val', 'validation', 'dev', 'test'];

function partRank(p: string): number {
  const i = PART_ORDER.indexOf(p);
  return i < 0 ? PART_ORDER.length : i;
}

/** One split: its parts with counts and emotion mix (stacked to 100 %), stratification deviation and subject leakage. */
function SplitBlock({ split, emotions }: { split: SplitSummary; emotions: string[] }) {
  const parts = Object.entries(split.parts).sort(([a], [b]) => partRank(a) - partRank(b) || a.localeCompare(b));
  const total = parts.reduce((s, [, p]) => s + p.n, 0);
  const present = new Set(parts.flatMap(([, p]) => Object.keys(p.byEmotion)));
  const ems = [...emotions.filter((e) => present.has(e)), ...[...present].filter((e) => !emotions.includes(e)).sort()];
  const data = parts.map(([name, p]) => ({ part: `${name} (${p.n})`, ...p.byEmotion }));
  const dev = split.maxStratDeviation;
  return (
    <div className="db-split" data-testid={`split-${split.name}`}>
      <div className="db-split__head">
        <b>{split.name}</b>
        <span className="dt-muted">
          seed {split.seed} · {fmtDateTime(split.createdAt)}
        </span>
        <span
          className={`dt-badge ${dev > 0.05 ? 'dt-badge--warn' : 'dt-badge--good'}`}
          title="Largest difference between a part's emotion share and the whole split's, over all parts and emotions"
          data-testid="split-deviation"
        >
          max strat. deviation {fmtPct(dev)}
        </span>
        <span
          className={`dt-badge ${split.sharedSubjects > 0 ? 'dt-badge--bad' : 'dt-badge--good'}`}
          title="Subjects whose images appear in more than one part (identity leakage)"
          data-testid="split-shared"
        >
          {countOf(split.sharedSubjects, 'shared subject')}
        </span>
      </div>
      <div className="db-split__body">
        <table className="dt-table db-split__parts">
          <thead>
            <tr>
              <th>Part</th>
              <th className="dt-num">Records</th>
              <th className="dt-num">Share</th>
            </tr>
          </thead>
          <tbody>
            {parts.map(([name, p]) => (
              <tr key={name} data-testid={`split-part-${split.name}-${name}`}>
                <td>{name}</td>
                <td className="dt-num">{fmtInt(p.n)}</td>
                <td className="dt-num">{total > 0 ? fmtPct(p.n / total) : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="db-split__chart">
          <ResponsiveContainer width="100%" height={Math.max(70, parts.length * 26 + 28)}>
            <BarChart data={data} layout="vertical" stackOffset="expand" margin={{ top: 2, right: 8, bottom: 0, left: 0 }} barCategoryGap={4}>
              <XAxis type="number" {...axisProps} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} />
              <YAxis type="category" dataKey="part" {...axisProps} width={90} />
              <Tooltip
                {...tooltipProps}
                cursor={barCursor}
                formatter={(v, name, item) => {
                  const row = (item?.payload ?? {}) as Record<string, unknown>;
                  const n = ems.reduce((s, e) => s + (Number(row[e]) || 0), 0);
                  return [`${fmtInt(Number(v))} (${n > 0 ? fmtPct(Number(v) / n) : '–'})`, name];
                }}
              />
              {ems.map((e) => (
                <Bar key={e} dataKey={e} stackId="e" fill={emotionColor(e)} isAnimationActive={false} />
              ))}
            </BarChart>
          </ResponsiveContainer>
          <div className="dt-legend">
            {ems.map((e) => (
              <span key={e} className="dt-legend__item">
                <span className="dt-legend__swatch" style={{ background: emotionColor(e) }} />
                {e}
              </span>
            ))}
          </div>
        </div>
      </div>
    </div>
  );
}

export function SplitsSummary({ splits, emotions }: { splits: SplitSummary[]; emotions: string[] }) {
  if (splits.length === 0)
    return (
      <EmptyState title="No split yet" testId="splits-empty">
        Create one with <code>fea split &lt;workspace&gt; --name main --ratios train=0.8,test=0.2</code>; splits group by subject and
        stratify by emotion.
      </EmptyState>
    );
  return (
    <div className="db-splits" data-testid="splits-summary" style={{ color: COLORS.text }}>
      {splits.map((s) => (
        <SplitBlock key={s.name} split={s} emotions={emotions} />
      ))}
    </div>
  );
}
