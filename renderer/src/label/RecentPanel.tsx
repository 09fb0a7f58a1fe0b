/** The last decisions of this user, each reopenable; the newest can be undone. */
import { memo } from 'react';
import type { Decision } from '../../../contract/types';
import { Kbd } from '../components/Kbd';
import { relativeTime } from './time';

interface Props {
  decisions: Decision[];
  currentId: string | null;
  undoKey: string;
  onOpen(recordId: string): void;
  onUndo(decisionId: number): void;
}

export const RecentPanel = memo(function RecentPanel({ decisions, currentId, undoKey, onOpen, onUndo }: Props) {
  const firstLive = decisions.find((d) => !d.undone);
  return (
    <section className="side-section" data-testid="recent-panel">
      <div className="section-title">
        Recent <span className="muted">undo <Kbd k={undoKey} /></span>
      </div>
      {decisions.length === 0 && <div className="muted small-text">No decisions yet.</div>}
      <ul className="recent">
        {decisions.map((d) => (
          <li key={d.id} data-testid="recent-item" data-record-id={d.recordId} data-decision-id={d.id} className={`${d.undone ? 'undone' : ''}${d.recordId === currentId ? ' here' : ''}`}>
            <button type="button" tabIndex={-1} className="link" onClick={() => onOpen(d.recordId)} title="Reopen">
              {d.recordId}
            </button>
            <span className={`kind kind-${d.kind}`}>{d.undone ? 'undone' : d.kind}</span>
            {d.reason && (
              <span className="muted ellipsis" title={d.reason}>
                {d.reason}
              </span>
            )}
            <span className="muted right" title={d.createdAt}>
              {relativeTime(d.createdAt)}
            </span>
            {d === firstLive && (
              <button type="button" tabIndex={-1} className="small" onClick={() => onUndo(d.id)} data-testid="undo-button">
                undo
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
});
