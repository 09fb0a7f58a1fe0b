/** The round's queue as a virtual list: one row per in-review candidate, lowest agreement first. */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import type { CandidateSummary } from '../../../contract/types';

const ROW_HEIGHT = 34;

interface Props {
  rows: CandidateSummary[];
  selectedId: number | null;
  onSelect(id: number): void;
}

export const CandidateTable = memo(function CandidateTable({ rows, selectedId, onSelect }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const selectedIndex = rows.findIndex((r) => r.id === selectedId);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);
  return (
    <div className="cand-table" data-testid="candidate-table">
      <div className="cand-row cand-head">
        <span>#</span>
        <span>record</span>
        <span>emotion</span>
        <span>agree</span>
        <span>tries</span>
        <span>method</span>
        <span>checks</span>
        <span>flags</span>
        <span>decision</span>
      </div>
      <div className="cand-scroll" ref={scrollRef}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const r = rows[item.index];
            return (
              <div
                key={r.id}
                className={`cand-row${r.id === selectedId ? ' selected' : ''} decision-${r.decision}`}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                data-testid="candidate-row"
                data-candidate-id={r.id}
                data-record-id={r.recordId}
                data-decision={r.decision}
                data-flags={r.hallucinations}
                data-emotion={r.emotion ?? ''}
                data-selected={r.id === selectedId ? 'true' : 'false'}
                onClick={() => onSelect(r.id)}
              >
                <span>{r.id}</span>
                <span className="ellipsis">{r.recordId}</span>
                <span>{r.emotion ?? '—'}</span>
                <span>{r.agreement.toFixed(2)}</span>
                <span>{r.tries}</span>
                <span>{r.method}</span>
                <span className={r.passed ? 'ok' : 'fail'}>{r.passed ? 'pass' : 'fail'}</span>
                <span className={r.hallucinations ? 'fail' : 'muted'}>{r.hallucinations || ''}</span>
                <span className={`decision-${r.decision}`}>{r.decision}</span>
              </div>
            );
          })}
        </div>
      </div>
      {rows.length === 0 && <div className="muted empty-note">No candidates match.</div>}
    </div>
  );
});
