/** Above the image: previous/next, the record's id, status, draft state and where it comes from. */
import type { RecordDetail } from '../../../contract/types';
import type { DraftState } from './useDraftWriter';

const DRAFT_STATE_TEXT: Record<DraftState, string> = {
  idle: '',
  pending: 'editing…',
  saving: 'saving draft…',
  saved: 'draft saved',
  error: 'draft NOT saved',
};

interface Props {
  recordId: string | null;
  detail: RecordDetail | null;
  draftRestored: boolean;
  draftState: DraftState;
  onPrev(): void;
  onNext(): void;
  onDiscardDraft(): void;
}

export function RecordBar({ recordId, detail, draftRestored, draftState, onPrev, onNext, onDiscardDraft }: Props) {
  return (
    <div className="record-bar">
      <button type="button" className="icon" tabIndex={-1} title="Previous (←)" onClick={onPrev}>
        ‹
      </button>
      <span className="record-id" data-testid="record-id">
        {detail?.row.id ?? recordId ?? '…'}
      </span>
      <button type="button" className="icon" tabIndex={-1} title="Next (→)" onClick={onNext}>
        ›
      </button>
      {detail && <span className={`status status-${detail.row.status}`}>{detail.row.status}</span>}
      {draftRestored && (
        <span className="badge draft" data-testid="draft-restored" title="Your unsubmitted answer was restored">
          draft restored
          <button type="button" className="badge-action" tabIndex={-1} onClick={onDiscardDraft} data-testid="discard-draft" title="Discard the draft and show the current revision">
            ×
          </button>
        </span>
      )}
      <span className={`draft-state ${draftState}`} data-testid="draft-state" data-state={draftState}>
        {DRAFT_STATE_TEXT[draftState]}
      </span>
      {detail && <RecordMeta detail={detail} />}
    </div>
  );
}

function RecordMeta({ detail }: { detail: RecordDetail }) {
  const { row, image, splits } = detail;
  return (
    <span className="record-meta" title={`${detail.question}\n${image.fileName} · ${image.width}×${image.height} · sha256 ${image.sha256}`}>
      {[row.source, row.subject && `subject ${row.subject}`, ...splits.map((x) => `${x.name}:${x.part}`), `${image.fileName} · ${image.width}×${image.height}`].filter(Boolean).join(' · ')}
    </span>
  );
}
