/**
 * The dataset lead's review of a synthesis round: pick a round, walk its queue (lowest agreement first) with the
 * keyboard, decide with one key each (accept, fix & accept, reject with a reason, undo), batch-accept the passing
 * ones, and approve (the service checks the lead role). The work is in the hooks; keys and buttons share one command table.
 */
import { useCallback, useMemo, useState } from 'react';
import './review.css';
import { useApi, useMediaUrl } from '../api/ApiContext';
import { Modal } from '../components/Modal';
import { useToast } from '../components/Toasts';
import { displayKey } from '../keymap/keys';
import { useSession, useUser } from '../session/SessionContext';
import { BatchAccept } from './BatchAccept';
import { CandidateFacts } from './CandidateFacts';
import { CandidateTable } from './CandidateTable';
import { REVIEW_COMMANDS, REVIEW_COMMAND_ORDER, buildReviewKeyIndex, runReviewCommand, type ReviewCommand, type ReviewCommandHandlers, type ReviewCommandType } from './commands';
import { Evidence } from './Evidence';
import { FixForm } from './FixForm';
import { QueueFilters } from './QueueFilters';
import { RejectPrompt } from './RejectPrompt';
import { useCandidate } from './useCandidate';
import { useReviewActions } from './useReviewActions';
import { useReviewKeys, type ReviewModal } from './useReviewKeys';
import { useReviewQueue, type ReviewFilter } from './useReviewQueue';
import { defaultRound, useRounds } from './useRounds';

const INDEX = buildReviewKeyIndex();
const keyHint = (type: ReviewCommandType) => displayKey(REVIEW_COMMANDS[type].keys[0]);

export function ReviewView() {
  const api = useApi();
  const mediaUrl = useMediaUrl();
  const { info, keymap } = useSession();
  const user = useUser();
  const toast = useToast();
  const { rounds, error: roundsError } = useRounds(api);
  const [wantedRound, setWantedRound] = useState<number | null>(null);
  const roundId = rounds ? defaultRound(rounds, wantedRound) : null;
  const round = rounds?.find((r) => r.id === roundId) ?? null;
  const [filter, setFilter] = useState<ReviewFilter>({});
  const queue = useReviewQueue(api, roundId, filter);
  const detail = useCandidate(api, queue.selectedId);
  const [modal, setModal] = useState<ReviewModal>(null);
  const closeModal = useCallback(() => setModal(null), []);
  const notify = useCallback((message: string, kind: 'info' | 'error' = 'info') => toast(message, kind), [toast]);
  const { select, reload, decided } = queue;
  const actions = useReviewActions({ api, userId: user.id, roundId, decided, reopened: select, reload, notify });
  const open = round?.status === 'review';
  // The approval just made, once the round list shows it (another round's stays hidden).
  const approval = actions.approval && actions.approval.snapshotId === round?.snapshotId ? actions.approval : null;

  const handlers: ReviewCommandHandlers = {
    accept: () => open && queue.selectedId !== null && void actions.accept(queue.selectedId),
    fix: () => open && detail && setModal('fix'),
    reject: () => open && queue.selectedId !== null && setModal('reject'),
    undo: () => open && void actions.undo(),
    next: () => queue.move(1),
    prev: () => queue.move(-1),
    help: () => setModal('help'),
  };
  const run = (command: ReviewCommand) => runReviewCommand(handlers, command);
  useReviewKeys({ index: INDEX, modal, hasCandidate: !!queue.selected, closeModal, run });

  const selectedId = queue.selectedId;
  const onReject = useCallback(
    (reason: string) => {
      if (selectedId === null) return;
      setModal(null);
      void actions.reject(selectedId, reason);
    },
    [actions, selectedId],
  );
  const counts = useMemo(() => round && `${round.inReview} in review · ${round.accepted} accepted · ${round.fixed} fixed · ${round.rejected} rejected · ${round.pending} pending`, [round]);

  return (
    <div className="review-view" data-testid="review-view" data-round-id={roundId ?? ''} data-selected-id={queue.selectedId ?? ''} data-ready={detail ? 'true' : 'false'}>
      <aside className="review-rounds" data-testid="round-list">
        <div className="section-title">Rounds</div>
        {roundsError && <div className="error-text">{roundsError}</div>}
        {rounds?.length === 0 && <div className="muted small-text">No rounds yet: run `fea synth` or start one from Training.</div>}
        <ul>
          {rounds?.map((r) => (
            <li key={r.id}>
              <button
                type="button"
                className={`round-item${r.id === roundId ? ' on' : ''}`}
                data-testid="round-item"
                data-round-id={r.id}
                data-status={r.status}
                tabIndex={-1}
                onClick={() => setWantedRound(r.id)}
              >
                <span className="round-name">Round {r.id}</span> <span className={`badge status-${r.status}`}>{r.status}</span>
                <span className="muted small-text">
                  {r.model === null ? 'face analysis' : `model ${r.model}`} · {r.kept} of {r.candidates} kept · {r.inReview} to review · {r.accepted + r.fixed} accepted · {r.rejected} rejected
                </span>
              </button>
            </li>
          ))}
        </ul>
      </aside>

      <section className="review-queue">
        <div className="review-bar">
          <span className="review-title">{round ? `Round ${round.id}` : 'No round'}</span>
          <span className="muted small-text" data-testid="round-counts">
            {counts}
          </span>
          <span className="grow" />
          <BatchAccept disabled={!open || actions.busy} count={actions.countPassing} run={actions.acceptPassing} onOpen={(o) => setModal(o ? 'batch' : null)} />
        </div>
        <QueueFilters emotions={info.emotions} filter={filter} onChange={setFilter} />
        <div className="muted small-text">{queue.loading ? 'loading…' : `${queue.total} candidate${queue.total === 1 ? '' : 's'}`}</div>
        <CandidateTable rows={queue.rows} selectedId={queue.selectedId} onSelect={select} />
        <div className="review-actions">
          {(['accept', 'fix', 'reject', 'undo'] as const).map((type) => (
            <button key={type} type="button" disabled={!open || (type !== 'undo' && !queue.selected)} tabIndex={-1} data-testid={`review-${type}`} onClick={() => run({ type })}>
              {REVIEW_COMMANDS[type].label} <kbd>{keyHint(type)}</kbd>
            </button>
          ))}
          <button type="button" className="small" tabIndex={-1} onClick={() => run({ type: 'help' })}>
            Keys <kbd>?</kbd>
          </button>
        </div>
        <div className="approve-panel" data-testid="approve-panel">
          <button type="button" className="primary" disabled={!open || actions.busy} data-testid="approve" tabIndex={-1} onClick={() => void actions.approve()}>
            Approve round
          </button>
          {actions.approveError && (
            <div className="error-text" data-testid="approve-error">
              {actions.approveError}
            </div>
          )}
          {approval?.snapshot ? (
            <div data-testid="approval" data-snapshot-id={approval.snapshotId}>
              Snapshot <b>#{approval.snapshotId}</b> {approval.snapshot.name}: {approval.snapshot.records} records · {approval.accepted} accepted · {approval.fixed} fixed · {approval.rejected} rejected
              <div className="muted small-text" data-testid="approval-lineage">
                lineage: round {approval.snapshot.lineage.round ?? '—'} · model {approval.snapshot.lineage.model ?? 'face analysis'} · reviewer {approval.snapshot.lineage.reviewer ?? '—'} ·{' '}
                {approval.snapshot.lineage.createdAt} · parent {approval.snapshot.parent ?? 'none'}
              </div>
            </div>
          ) : (
            round?.status === 'approved' && (
              <div data-testid="approval" data-snapshot-id={round.snapshotId ?? ''}>
                Approved by {round.approvedBy ?? '—'}: snapshot <b>#{round.snapshotId}</b>
              </div>
            )
          )}
        </div>
      </section>

      <section className="review-evidence">
        {detail ? (
          <>
            <Evidence detail={detail} src={mediaUrl(detail.imageKey)} />
            <CandidateFacts detail={detail} />
          </>
        ) : (
          <div className="muted">{queue.selectedId === null ? 'Pick a candidate.' : 'Loading…'}</div>
        )}
      </section>

      {modal === 'fix' && detail && (
        <FixForm
          detail={detail}
          emotions={info.emotions}
          aus={info.aus}
          keymap={keymap}
          onCancel={closeModal}
          onSave={(label) => {
            setModal(null);
            void actions.fix(detail.id, label);
          }}
        />
      )}
      {modal === 'reject' && <RejectPrompt onReject={onReject} onCancel={closeModal} />}
      {modal === 'help' && (
        <Modal title="Review keys" testId="review-help" confirmLabel="Close" onConfirm={closeModal} onCancel={closeModal}>
          <table className="key-help">
            <tbody>
              {REVIEW_COMMAND_ORDER.map((type) => (
                <tr key={type}>
                  <td>{REVIEW_COMMANDS[type].label}</td>
                  <td>{REVIEW_COMMANDS[type].keys.filter((k) => !k.startsWith('meta+')).map(displayKey).join(' / ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Modal>
      )}
    </div>
  );
}
