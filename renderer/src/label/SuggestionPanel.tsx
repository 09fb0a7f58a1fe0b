/** The model's suggestion beside the form; one key accepts it. */
import { memo } from 'react';
import type { Suggestion } from '../../../contract/types';
import { Kbd } from '../components/Kbd';

interface Props {
  suggestion: Suggestion | null;
  accepted: boolean;
  acceptKey: string;
  onAccept(): void;
}

export const SuggestionPanel = memo(function SuggestionPanel({ suggestion, accepted, acceptKey, onAccept }: Props) {
  if (!suggestion) {
    return (
      <section className="side-section" data-testid="suggestion-panel" data-empty="true">
        <div className="section-title">Model suggestion</div>
        <div className="muted small-text">No prediction for this record.</div>
      </section>
    );
  }
  const present = suggestion.aus.filter((a) => a.present).sort((a, b) => b.score - a.score);
  const absent = suggestion.aus.filter((a) => !a.present).sort((a, b) => b.score - a.score).slice(0, 4);
  return (
    <section className="side-section suggestion" data-testid="suggestion-panel" data-prediction-id={suggestion.predictionId}>
      <div className="section-title">
        Model suggestion <span className="muted" title="model">{suggestion.model}</span>
      </div>
      <div className="sugg-emotion">
        <span className="sugg-label">{suggestion.emotion ?? '—'}</span>
        {suggestion.emotionScore !== null && <ScoreBar score={suggestion.emotionScore} />}
      </div>
      <div className="sugg-aus">
        {present.map((a) => (
          <span key={a.au} className="sugg-au present" title={`score ${a.score.toFixed(2)}`}>
            {a.au} <small>{a.score.toFixed(2)}</small>
          </span>
        ))}
        {absent.map((a) => (
          <span key={a.au} className="sugg-au" title={`score ${a.score.toFixed(2)} (below threshold)`}>
            {a.au} <small>{a.score.toFixed(2)}</small>
          </span>
        ))}
      </div>
      {suggestion.reasoning && <div className="sugg-reasoning">{suggestion.reasoning}</div>}
      <button type="button" className={accepted ? 'small' : 'small primary'} tabIndex={-1} onClick={onAccept} data-testid="accept-suggestion">
        {accepted ? 'Accepted — edit freely' : 'Accept into form'} <Kbd k={acceptKey} />
      </button>
    </section>
  );
});

function ScoreBar({ score }: { score: number }) {
  return (
    <span className="scorebar" title={score.toFixed(3)}>
      <span style={{ width: `${Math.round(score * 100)}%` }} />
      <em>{score.toFixed(2)}</em>
    </span>
  );
}
