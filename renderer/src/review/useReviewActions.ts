/**
 * The lead's actions on a round: accept, fix & accept, reject, undo, batch accept (count first), approve. Each sends
 * one contract call; the service's error message is what the user sees (approval by a non-lead is refused there).
 */
import { useCallback, useState } from 'react';
import type { ApiClient, Input } from '../../../contract/api';
import type { CandidateSummary, SnapshotSummary } from '../../../contract/types';

export type FixLabel = NonNullable<Input<'review.decide'>['fix']>;

type ReviewApi = Pick<
  ApiClient,
  'review.decide' | 'review.undo' | 'review.acceptPassing' | 'review.approve' | 'snapshots.list'
>;

export interface Approval {
  snapshotId: number;
  accepted: number;
  fixed: number;
  rejected: number;
  pending: number;
  snapshot: SnapshotSummary | null;
}

interface Options {
  api: ReviewApi;
  userId: number;
  roundId: number | null;
  /** A decision came back: its row is updated and the next pending candidate selected. */
  decided(candidate: CandidateSummary): void;
  /** An undo reopened this candidate: it is selected. */
  reopened(candidateId: number): void;
  reload(): void;
  notify(message: string, kind?: 'info' | 'error'): void;
}

export interface ReviewActions {
  busy: boolean;
  accept(candidateId: number): Promise<void>;
  fix(candidateId: number, label: FixLabel): Promise<boolean>;
  reject(candidateId: number, reason: string): Promise<boolean>;
  undo(): Promise<void>;
  /** How many pending candidates pass at or above the threshold (nothing is accepted). */
  countPassing(minAgreement: number): Promise<number | null>;
  acceptPassing(minAgreement: number): Promise<number | null>;
  approve(): Promise<void>;
  approval: Approval | null;
  approveError: string | null;
}

export function useReviewActions({ api, userId, roundId, decided, reopened, reload, notify }: Options): ReviewActions {
  const [busy, setBusy] = useState(false);
  const [approval, setApproval] = useState<Approval | null>(null);
  const [approveError, setApproveError] = useState<string | null>(null);

  const guarded = useCallback(
    async <T,>(work: () => Promise<T>): Promise<T | null> => {
      setBusy(true);
      try {
        return await work();
      } catch (e) {
        notify((e as Error).message, 'error');
        return null;
      } finally {
        setBusy(false);
      }
    },
    [notify],
  );

  const decide = useCallback(
    async (input: Omit<Input<'review.decide'>, 'userId'>): Promise<boolean> => {
      const r = await guarded(() => api['review.decide']({ ...input, userId }));
      if (!r) return false;
      decided(r.candidate);
      return true;
    },
    [api, userId, guarded, decided],
  );

  const accept = useCallback(async (candidateId: number) => void (await decide({ candidateId, decision: 'accept' })), [decide]);
  const fix = useCallback((candidateId: number, label: FixLabel) => decide({ candidateId, decision: 'fix', fix: label }), [decide]);
  const reject = useCallback((candidateId: number, reason: string) => decide({ candidateId, decision: 'reject', reason }), [decide]);

  const undo = useCallback(async () => {
    if (roundId === null) return;
    const r = await guarded(() => api['review.undo']({ roundId, userId }));
    if (!r) return;
    if (r.candidateId === null) notify('Nothing to undo');
    else {
      reload();
      reopened(r.candidateId);
    }
  }, [api, roundId, userId, guarded, notify, reload, reopened]);

  const countPassing = useCallback(
    async (minAgreement: number) => {
      if (roundId === null) return null;
      const r = await guarded(() => api['review.acceptPassing']({ roundId, userId, minAgreement, dryRun: true }));
      return r?.count ?? null;
    },
    [api, roundId, userId, guarded],
  );

  const acceptPassing = useCallback(
    async (minAgreement: number) => {
      if (roundId === null) return null;
      const r = await guarded(() => api['review.acceptPassing']({ roundId, userId, minAgreement, dryRun: false }));
      if (r) reload();
      return r?.accepted ?? null;
    },
    [api, roundId, userId, guarded, reload],
  );

  const approve = useCallback(async () => {
    if (roundId === null) return;
    setApproveError(null);
    setBusy(true);
    try {
      const r = await api['review.approve']({ roundId, userId });
      const { snapshots } = await api['snapshots.list']({});
      setApproval({ snapshotId: r.snapshotId, accepted: r.accepted, fixed: r.fixed, rejected: r.rejected, pending: r.pending, snapshot: snapshots.find((s) => s.id === r.snapshotId) ?? null });
      reload();
    } catch (e) {
      setApproveError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }, [api, roundId, userId, reload]);

  return { busy, accept, fix, reject, undo, countPassing, acceptPassing, approve, approval, approveError };
}
