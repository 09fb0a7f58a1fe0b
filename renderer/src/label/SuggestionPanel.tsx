/**
 * The model's suggestion beside the form, with how far to trust it: its score for this record and its source's
 * measured agreement with the human labels. One key accepts it (replacing the form), another merges its AUs in.
 */
import { memo } from 'react';
import type { Suggestion, SuggestionTrust } from '../../../contract/types';
import { Kbd } from '../components/Kbd';
import { trustText } from './trustText';

interface Props {
  suggestion: Suggestion | null;
  trust: SuggestionTrust | null;
  accepted: boolean;
  acceptKey: string;
  mergeKey: string;
  onAccept(): void;
  onMerge(): void;
}

export const SuggestionPanel = memo(function SuggestionPanel({ suggestion, trust, accepted, acceptKey, mergeKey, onAccept, onMerge }: Props) {
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
      <div className="sugg-trust small-text" data-testid="suggestion-trust">
        {suggestion.emotionScore !== null && (
          <div data-testid="suggestion-score" data-score={suggestion.emotionScore}>
            Score for this record: {suggestion.emotionScore.toFixed(2)} <span className="muted">(top-emotion probability)</span>
          </div>
        )}
        {trust && (
          <div
            data-testid="suggestion-accuracy"
            data-records={trust.records}
            data-emotion-accuracy={trust.emotion?.accuracy ?? ''}
            data-au-f1={trust.aus?.f1 ?? ''}
            title="The suggestion source against the current human labels (AU F1 pooled over all AU decisions)"
          >
            {trustText(trust)}
          </div>
        )}
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
      <div className="sugg-actions">
        <button type="button" className={accepted ? 'small' : 'small primary'} tabIndex={-1} onClick={onAccept} data-testid="accept-suggestion" title="Replaces the form">
          {accepted ? 'Accepted — edit freely' : 'Accept into form'} <Kbd k={acceptKey} />
        </button>
        <button type="button" className="small" tabIndex={-1} onClick={onMerge} data-testid="merge-suggestion" title="Adds its AUs to the form's; keeps the form's AUs, marks, emotion and reasoning">
          Merge AUs <Kbd k={mergeKey} />
        </button>
      </div>
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
