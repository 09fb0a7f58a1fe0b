/**
 * A candidate's evidence: the image with the analysis' AU regions, and the reasoning with every AU claim
 * highlighted; hovering or focusing a claim lights its region up. Claims the estimator scores absent are flagged.
 */
import { memo, useMemo, useState } from 'react';
import type { CandidateDetail } from '../../../contract/types';
import { reasoningParts } from './claims';

interface Props {
  detail: CandidateDetail;
  src: string;
}

export const Evidence = memo(function Evidence({ detail, src }: Props) {
  const [lit, setLit] = useState<string | null>(null);
  const parts = useMemo(() => reasoningParts(detail.output), [detail.output]);
  const flagged = new Set(detail.flaggedAUs);
  const w = detail.imageSize.width || 1;
  const h = detail.imageSize.height || 1;
  return (
    <div className="evidence">
      <div className="evidence-image" style={{ aspectRatio: `${w} / ${h}` }} data-testid="evidence-image">
        <img src={src} alt={detail.recordId} draggable={false} />
        <svg viewBox={`0 0 ${w} ${h}`} preserveAspectRatio="xMidYMid meet">
          {detail.box && <rect className="ev-box" x={detail.box.x} y={detail.box.y} width={detail.box.width} height={detail.box.height} />}
          {detail.auRegions.map((r, i) => (
            <polygon
              key={`${r.au}-${i}`}
              className={`ev-region${lit === r.au ? ' lit' : ''}${r.present ? ' present' : ''}`}
              data-testid="au-region"
              data-au={r.au}
              data-lit={lit === r.au ? 'true' : 'false'}
              points={r.points.map((p) => p.join(',')).join(' ')}
            />
          ))}
        </svg>
      </div>
      <div className="evidence-reasoning" data-testid="evidence-reasoning">
        {parts.map((p, i) =>
          p.au ? (
            <mark
              key={i}
              tabIndex={0}
              className={`claim${flagged.has(p.au) ? ' flagged' : ''}${lit === p.au ? ' lit' : ''}`}
              data-testid="claim"
              data-au={p.au}
              data-flagged={flagged.has(p.au) ? 'true' : 'false'}
              title={
                flagged.has(p.au)
                  ? `${p.au}: possible hallucination (the geometric estimator scores it absent)`
                  : `${p.au}${detail.auEstimates[p.au] ? ` · estimate ${detail.auEstimates[p.au].score.toFixed(2)}` : ''}`
              }
              onMouseEnter={() => setLit(p.au)}
              onMouseLeave={() => setLit(null)}
              onFocus={() => setLit(p.au)}
              onBlur={() => setLit(null)}
            >
              {p.text}
              {flagged.has(p.au) && <span className="flag-mark">⚠</span>}
            </mark>
          ) : (
            <span key={i}>{p.text}</span>
          ),
        )}
      </div>
    </div>
  );
});
