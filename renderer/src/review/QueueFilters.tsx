/** The queue's filters: emotion, check outcome, agreement range, face found, hallucination flags. */
import { memo } from 'react';
import type { ReviewFilter } from './useReviewQueue';

interface Props {
  emotions: string[];
  filter: ReviewFilter;
  onChange(filter: ReviewFilter): void;
}

const num = (v: string): number | undefined => (v.trim() === '' || Number.isNaN(Number(v)) ? undefined : Math.min(1, Math.max(0, Number(v))));

export const QueueFilters = memo(function QueueFilters({ emotions, filter, onChange }: Props) {
  const set = (patch: Partial<ReviewFilter>) => {
    const next = { ...filter, ...patch };
    for (const k of Object.keys(next) as (keyof ReviewFilter)[]) if (next[k] === undefined) delete next[k];
    onChange(next);
  };
  return (
    <div className="review-filters" data-testid="review-filters">
      <select value={filter.emotion ?? ''} onChange={(e) => set({ emotion: e.target.value || undefined })} data-testid="filter-emotion" aria-label="Emotion">
        <option value="">any emotion</option>
        {emotions.map((e) => (
          <option key={e} value={e}>
            {e}
          </option>
        ))}
      </select>
      <select value={filter.outcome ?? ''} onChange={(e) => set({ outcome: (e.target.value || undefined) as ReviewFilter['outcome'] })} data-testid="filter-outcome" aria-label="Checks">
        <option value="">checks: any</option>
        <option value="pass">checks pass</option>
        <option value="fail">checks fail</option>
      </select>
      <label>
        agreement
        <input type="number" min={0} max={1} step={0.05} value={filter.minAgreement ?? ''} placeholder="0" onChange={(e) => set({ minAgreement: num(e.target.value) })} data-testid="filter-min-agreement" />
        –
        <input type="number" min={0} max={1} step={0.05} value={filter.maxAgreement ?? ''} placeholder="1" onChange={(e) => set({ maxAgreement: num(e.target.value) })} data-testid="filter-max-agreement" />
      </label>
      <select
        value={filter.faceFound === undefined ? '' : filter.faceFound ? 'yes' : 'no'}
        onChange={(e) => set({ faceFound: e.target.value === '' ? undefined : e.target.value === 'yes' })}
        data-testid="filter-face"
        aria-label="Face found"
      >
        <option value="">face: any</option>
        <option value="yes">face found</option>
        <option value="no">no face</option>
      </select>
      <label className="check">
        <input type="checkbox" checked={(filter.minFlags ?? 0) >= 1} onChange={(e) => set({ minFlags: e.target.checked ? 1 : undefined })} data-testid="filter-flags" />
        flagged (≥1)
      </label>
    </div>
  );
});
