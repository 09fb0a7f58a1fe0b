/** Face-analysis coverage (with faces found per dataset source), the records annotators skipped (with their reasons and a way to them) and time per record. */
import type { WorkspaceStats } from '../../../contract/types';
import { fmtInt, fmtPct } from '../charts/format';
import { countOf } from '../components/plural';
import { fmtDuration } from './duration';
import { FacesBySource } from './FacesBySource';
import { openSkippedQueue } from './skippedQueue';

/** Reasons listed on a tile; the rest are summed up. */
const MAX_REASONS = 3;

function ReasonList({ reasons, testId }: { reasons: { reason: string; records: number }[]; testId: string }) {
  if (reasons.length === 0) return null;
  const shown = reasons.slice(0, MAX_REASONS);
  const rest = reasons.slice(MAX_REASONS).reduce((n, r) => n + r.records, 0);
  return (
    <ul className="db-reasons" data-testid={testId}>
      {shown.map((r) => (
        <li key={r.reason} title={r.reason}>
          <span className="db-reasons__n">{fmtInt(r.records)}</span> {r.reason || '(no reason given)'}
        </li>
      ))}
      {rest > 0 ? <li className="dt-muted">{countOf(rest, 'more')}</li> : null}
    </ul>
  );
}

export function WorkTiles({ stats }: { stats: WorkspaceStats }) {
  const { analysis, skipped, labelTime } = stats;
  const coverage = analysis.records > 0 ? analysis.analyzed / analysis.records : 0;
  return (
    <div className="db-tiles db-tiles--work" data-testid="work-tiles">
      <div className="db-tile db-tile--wide" data-testid="tile-coverage" title="Records whose image the face analysis has read (fea analyze, or Analyse in the header)">
        <div className="db-tile__label">Face analysis</div>
        <div className="db-tile__value">
          <span data-testid="coverage-analyzed">{fmtInt(analysis.analyzed)}</span>
          <span className="db-tile__of"> / {fmtInt(analysis.records)}</span>
        </div>
        <div className="db-tile__foot">
          {fmtPct(coverage)} of records analysed · <span data-testid="coverage-faces">{fmtInt(analysis.facesFound)}</span> with a face found
          {analysis.analyzed > 0 ? ` (${fmtPct(analysis.facesFound / analysis.analyzed)})` : ''}
        </div>
        <div className="db-meter" aria-hidden>
          <span style={{ width: `${100 * coverage}%` }} />
        </div>
        <FacesBySource facesBySource={analysis.facesBySource} />
        {analysis.notAnalysable.length > 0 ? (
          <>
            <div className="db-tile__foot">not analysable:</div>
            <ReasonList reasons={analysis.notAnalysable} testId="coverage-reasons" />
          </>
        ) : null}
      </div>
      <div className="db-tile db-tile--wide" data-testid="tile-skipped" title="Records an annotator skipped in the label view, by the reason given">
        <div className="db-tile__label">Skipped</div>
        <div className="db-tile__value" data-testid="count-skipped">
          {fmtInt(skipped.records)}
        </div>
        {skipped.records > 0 ? (
          <>
            <ReasonList reasons={skipped.reasons} testId="skipped-reasons" />
            <button type="button" className="dt-btn dt-btn--small db-tile__action" onClick={openSkippedQueue} data-testid="open-skipped-queue">
              Open in queue
            </button>
          </>
        ) : (
          <div className="db-tile__foot">no record skipped</div>
        )}
      </div>
      <div className="db-tile" data-testid="tile-label-time" title="Median time a record was on screen in the label view before its label was submitted">
        <div className="db-tile__label">Time per record</div>
        <div className="db-tile__value" data-testid="label-time">
          {fmtDuration(labelTime.medianMs)}
        </div>
        <div className="db-tile__foot">{labelTime.submissions > 0 ? `median of ${countOf(labelTime.submissions, 'submission')}` : 'no timed submission yet'}</div>
      </div>
    </div>
  );
}
