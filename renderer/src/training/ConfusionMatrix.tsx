/** Confusion matrix as a heatmap grid: rows are true labels, columns predictions; colour is the row-normalised share. */
import type { EvalReport } from '../../../contract/types';
import { EmptyState } from '../charts/ChartCard';
import { fmtPct } from '../charts/format';
import { heatColor } from '../charts/theme';
import { countOf } from '../components/plural';

export function ConfusionMatrix({ confusion, testId = 'confusion', compact = false }: { confusion: EvalReport['confusion']; testId?: string; compact?: boolean }) {
  const { labels, matrix } = confusion;
  if (labels.length === 0 || matrix.length === 0) return <EmptyState title="No confusion matrix">The eval had no labeled records.</EmptyState>;
  const rowSums = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const colSums = labels.map((_, j) => matrix.reduce((s, row) => s + (row[j] ?? 0), 0));
  const total = rowSums.reduce((a, b) => a + b, 0);
  const diag = labels.reduce((s, _, i) => s + (matrix[i]?.[i] ?? 0), 0);
  return (
    <div className={`tr-cm ${compact ? 'tr-cm--compact' : ''}`} data-testid={testId}>
      <div className="tr-cm__axis-x">predicted →</div>
      <div className="tr-cm__wrap">
        <div className="tr-cm__axis-y">true →</div>
        <table className="tr-cm__grid">
          <thead>
            <tr>
              <th />
              {labels.map((l) => (
                <th key={l} className="tr-cm__col" title={`predicted ${l}: ${colSums[labels.indexOf(l)]}`}>
                  <span>{l}</span>
                </th>
              ))}
              <th className="tr-cm__sum">n</th>
            </tr>
          </thead>
          <tbody>
            {labels.map((t, i) => (
              <tr key={t}>
                <th className="tr-cm__row">{t}</th>
                {labels.map((p, j) => {
                  const count = matrix[i]?.[j] ?? 0;
                  const share = rowSums[i] > 0 ? count / rowSums[i] : 0;
                  return (
                    <td
                      key={p}
                      className={`tr-cm__cell ${i === j ? 'is-diag' : ''} ${share > 0.55 ? 'is-hot' : ''}`}
                      style={{ background: count > 0 ? heatColor(share) : undefined }}
                      title={`true ${t}, predicted ${p}: ${count} (${fmtPct(share)} of ${t})`}
                      data-testid={`${testId}-cell-${t}-${p}`}
                      data-count={count}
                      data-share={share.toFixed(4)}
                    >
                      {count > 0 ? count : <span className="tr-cm__zero">·</span>}
                    </td>
                  );
                })}
                <td className="tr-cm__sum">{rowSums[i]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="tr-cm__foot">
        {countOf(total, 'record')} · diagonal {fmtPct(total > 0 ? diag / total : 0)} · colour = share of the true row
      </div>
    </div>
  );
}
