/** A record's revisions (who, when, kind, and what changed from the one before) and its review decisions. */
import { memo } from 'react';
import type { ReviewDecisionEntry, Revision } from '../../../contract/types';
import { diffRevisions, markLabel } from './form';
import { relativeTime } from './time';

export const HistoryPanel = memo(function HistoryPanel({ revisions, reviews = [], loading }: { revisions: Revision[] | null; reviews?: ReviewDecisionEntry[]; loading: boolean }) {
  const ordered = [...(revisions ?? [])].sort((a, b) => a.id - b.id);
  const items = ordered.map((r, i) => ({ r, diff: diffRevisions(i > 0 ? ordered[i - 1] : null, r) })).reverse();
  return (
    <section className="side-section" data-testid="history-panel">
      <div className="section-title">
        History <span className="muted">{revisions ? `${revisions.length} revision${revisions.length === 1 ? '' : 's'}` : loading ? 'loading…' : ''}</span>
      </div>
      {revisions && revisions.length === 0 && <div className="muted small-text">No revisions yet.</div>}
      <ol className="history">
        {items.map(({ r, diff }) => (
          <li key={r.id} data-testid="history-item" data-revision-id={r.id} className={r.current ? 'current' : ''}>
            <div className="h-head">
              <span className={`kind kind-${r.kind}`}>{r.kind}</span>
              <span className="h-author">{r.author}</span>
              <span className="muted" title={r.createdAt}>
                {relativeTime(r.createdAt)}
              </span>
              {r.current && <span className="badge ok">current</span>}
              {r.parentPredictionId !== null && <span className="badge" title={`from prediction ${r.parentPredictionId}`}>from model</span>}
            </div>
            <div className="h-changes">
              {diff.emotion && (
                <span className="chg">
                  emotion {diff.emotion.from ? <s>{diff.emotion.from}</s> : null} → <b>{diff.emotion.to ?? '—'}</b>
                </span>
              )}
              {diff.added.length > 0 && <span className="chg add">+{diff.added.join(' +')}</span>}
              {diff.removed.length > 0 && <span className="chg del">−{diff.removed.join(' −')}</span>}
              {diff.changedMarks.length > 0 && <span className="chg">{diff.changedMarks.join(', ')}</span>}
              {diff.reasoningChanged && <span className="chg">reasoning {r.reasoning ? 'changed' : 'cleared'}</span>}
              {!diff.emotion && !diff.added.length && !diff.removed.length && !diff.changedMarks.length && !diff.reasoningChanged && (
                <span className="muted">no change</span>
              )}
            </div>
            <div className="h-state muted">
              {r.emotion ?? '—'} · {r.aus.map(markLabel).join(' ') || 'no AUs'}
            </div>
          </li>
        ))}
      </ol>
      {reviews.length > 0 && (
        <>
          <div className="section-title">
            Reviews <span className="muted">{reviews.length}</span>
          </div>
          <ol className="history" data-testid="review-history">
            {[...reviews].sort((a, b) => b.id - a.id).map((d) => (
              <li key={d.id} data-testid="review-history-item" data-decision={d.decision} data-candidate-id={d.candidateId}>
                <div className="h-head">
                  <span className={`kind decision-${d.decision}`}>{d.decision}</span>
                  <span className="h-author">{d.user}</span>
                  <span className="muted" title={d.createdAt}>
                    {relativeTime(d.createdAt)}
                  </span>
                  <span className="badge">{d.roundId !== undefined ? `round ${d.roundId}` : `candidate ${d.candidateId}`}</span>
                </div>
                {d.reason && <div className="h-state muted" data-testid="review-reason">{d.reason}</div>}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
});
