import type { WorkspaceStats } from '../../../contract/types';
import { RECORD_STATUSES } from '../../../pipelines/facs/vocabulary';
import { fmtInt, fmtPct } from '../charts/format';
import { STATUS_COLORS } from '../charts/theme';

const STATUS_HINT: Record<string, string> = {
  unlabeled: 'no label yet',
  weak: 'imported or model labels, not checked',
  labeled: 'labeled by a person',
  reviewed: 'checked by a reviewer',
};

/** Counts by status, each with its share of all records. */
export function StatusTiles({ stats }: { stats: WorkspaceStats }) {
  const total = stats.records;
  return (
    <div className="db-tiles" data-testid="status-tiles">
      <div className="db-tile" data-testid="tile-records">
        <div className="db-tile__label">Records</div>
        <div className="db-tile__value">{fmtInt(total)}</div>
        <div className="db-tile__foot">{fmtInt(stats.images)} images</div>
        <div className="db-stack" aria-hidden>
          {RECORD_STATUSES.map((s) =>
            stats[s] > 0 ? (
              <span key={s} style={{ flexGrow: stats[s], background: STATUS_COLORS[s] }} title={`${s}: ${stats[s]}`} />
            ) : null,
          )}
        </div>
      </div>
      {RECORD_STATUSES.map((s) => (
        <div className="db-tile" key={s} data-testid={`tile-${s}`} title={STATUS_HINT[s]}>
          <div className="db-tile__label">
            <span className="db-dot" style={{ background: STATUS_COLORS[s] }} />
            {s}
          </div>
          <div className="db-tile__value" data-testid={`count-${s}`}>
            {fmtInt(stats[s])}
          </div>
          <div className="db-tile__foot">{total > 0 ? fmtPct(stats[s] / total) : '–'} of records</div>
          <div className="db-meter" aria-hidden>
            <span style={{ width: `${total > 0 ? (100 * stats[s]) / total : 0}%`, background: STATUS_COLORS[s] }} />
          </div>
        </div>
      ))}
    </div>
  );
}
