/** What the lead decides on besides the image: checks, agreement, tries and attempts, reward, target and where it came from, decision history. */
import { memo } from 'react';
import type { CandidateDetail } from '../../../contract/types';
import { relativeTime } from '../label/time';

const pct = (x: number) => `${Math.round(x * 100)}%`;

export const CandidateFacts = memo(function CandidateFacts({ detail }: { detail: CandidateDetail }) {
  const t = detail.target;
  return (
    <div className="candidate-facts" data-testid="candidate-facts">
      <section className="side-section">
        <div className="section-title">
          Candidate #{detail.id} <span className="muted">{detail.recordId}</span>
        </div>
        <dl className="facts">
          <dt>Decision</dt>
          <dd data-testid="fact-decision" className={`decision-${detail.decision}`}>{detail.decision}</dd>
          <dt>Emotion</dt>
          <dd>{detail.emotion ?? '—'}</dd>
          <dt>AUs</dt>
          <dd>{detail.aus.join(' ') || 'none'}</dd>
          <dt>Agreement</dt>
          <dd data-testid="fact-agreement">{pct(detail.agreement)}</dd>
          <dt>Method</dt>
          <dd>{detail.method}</dd>
          <dt>Tries</dt>
          <dd data-testid="fact-tries">{detail.tries}</dd>
          <dt>Face</dt>
          <dd>{detail.faceFound ? 'found' : 'not found'}</dd>
          <dt>Flags</dt>
          <dd>{detail.hallucinations ? `${detail.hallucinations} possible hallucination${detail.hallucinations === 1 ? '' : 's'}: ${detail.flaggedAUs.join(' ')}` : 'none'}</dd>
          {t && (
            <>
              <dt>Target</dt>
              <dd data-testid="fact-target">
                {t.emotion ?? '—'} <span className="muted">(emotion from {t.emotionFrom})</span> · {t.aus.join(' ') || 'no AUs'}{' '}
                <span className="muted">(AUs from {t.ausFrom})</span>
              </dd>
            </>
          )}
          {detail.reward && (
            <>
              <dt>Reward</dt>
              <dd data-testid="fact-reward">
                total {detail.reward.total.toFixed(2)} <span className="muted">= format {detail.reward.format.toFixed(2)} · accuracy {detail.reward.accuracy.toFixed(2)} · AU {detail.reward.au.toFixed(2)}</span>
              </dd>
            </>
          )}
        </dl>
      </section>
      <section className="side-section">
        <div className="section-title">Checks</div>
        <ul className="checks" data-testid="candidate-checks">
          {detail.checks.map((c) => (
            <li key={c.id} className={c.pass ? 'ok' : 'fail'} data-check={c.id} data-pass={c.pass ? 'true' : 'false'}>
              <span className="check-icon">{c.pass ? '✓' : '✗'}</span>
              <span className="check-msg">
                {c.id}: {c.detail}
              </span>
            </li>
          ))}
          {detail.checks.length === 0 && <li className="muted">No checks recorded.</li>}
        </ul>
      </section>
      {detail.attempts.length > 0 && (
        <section className="side-section">
          <div className="section-title">
            Attempts <span className="muted">{detail.attempts.length}</span>
          </div>
          <ol className="attempts">
            {detail.attempts.map((a, i) => (
              <li key={i}>
                <div className="attempt-output">{a.output}</div>
                {a.errors.length > 0 && <div className="fail small-text">{a.errors.join('; ')}</div>}
                {a.feedback && <div className="muted small-text">feedback: {a.feedback}</div>}
              </li>
            ))}
          </ol>
        </section>
      )}
      <section className="side-section">
        <div className="section-title">Decision history</div>
        <ol className="history" data-testid="candidate-history">
          {[...detail.history].reverse().map((d) => (
            <li key={d.id} data-decision={d.decision}>
              <span className={`kind decision-${d.decision}`}>{d.decision}</span> <span className="h-author">{d.user}</span>{' '}
              <span className="muted" title={d.createdAt}>
                {relativeTime(d.createdAt)}
              </span>
              {d.reason && <div className="muted small-text">{d.reason}</div>}
            </li>
          ))}
          {detail.history.length === 0 && <li className="muted">No decisions yet.</li>}
        </ol>
      </section>
    </div>
  );
});
