import type { WorkspaceStats } from '../../../contract/types';
import { EmptyState } from '../charts/ChartCard';
import { fmtInt } from '../charts/format';

/** Revisions per user over the last hour, 24 hours and all time; the current user is highlighted. */
export function ThroughputTable({ throughput, currentUserId }: { throughput: WorkspaceStats['throughput']; currentUserId: number | null }) {
  if (throughput.length === 0)
    return <EmptyState title="Nobody has labeled yet">Pick a profile and submit labels; each author's pace shows here.</EmptyState>;
  const rows = [...throughput].sort((a, b) => b.last24h - a.last24h || b.total - a.total || a.name.localeCompare(b.name));
  const me = throughput.find((t) => t.userId === currentUserId);
  const maxTotal = Math.max(1, ...rows.map((r) => r.total));
  return (
    <div data-testid="throughput">
      {me ? (
        <div className="db-me" data-testid="throughput-me">
          <span className="db-me__who">You ({me.name})</span>
          <span>
            <b>{fmtInt(me.lastHour)}</b> last hour
          </span>
          <span>
            <b>{fmtInt(me.last24h)}</b> last 24 h
          </span>
          <span>
            <b>{fmtInt(me.total)}</b> total
          </span>
        </div>
      ) : null}
      <table className="dt-table">
        <thead>
          <tr>
            <th>User</th>
            <th className="dt-num">Last hour</th>
            <th className="dt-num">Last 24 h</th>
            <th className="dt-num">Total</th>
            <th style={{ width: '28%' }} />
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const mine = r.userId === currentUserId;
            return (
              <tr key={r.userId} className={mine ? 'dt-row--selected' : undefined} data-testid={`throughput-row-${r.userId}`} data-current={mine || undefined}>
                <td>
                  {r.name} {mine ? <span className="dt-badge dt-badge--accent">you</span> : null}
                </td>
                <td className="dt-num">{fmtInt(r.lastHour)}</td>
                <td className="dt-num">{fmtInt(r.last24h)}</td>
                <td className="dt-num">{fmtInt(r.total)}</td>
                <td>
                  <div className="db-meter db-meter--inline">
                    <span style={{ width: `${(100 * r.total) / maxTotal}%` }} />
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
