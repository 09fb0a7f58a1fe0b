import type { ApiHandlers } from '../../contract/api';
import type { ServiceContext } from '../context';
import { iterationService } from './iterate';
import { acceptPassing, approveRound, candidateDetail, decide, reviewQueue, undoDecision } from './review';
import { synthesisService } from './rounds';
import { createSnapshotOnDemand, listSnapshots } from './snapshots';

export type SynthesisMethods =
  | 'synth.start'
  | 'rounds.list'
  | 'rounds.get'
  | 'rounds.resume'
  | 'rounds.stop'
  | 'review.queue'
  | 'review.candidate'
  | 'review.decide'
  | 'review.undo'
  | 'review.acceptPassing'
  | 'review.approve'
  | 'snapshots.list'
  | 'snapshots.create'
  | 'iterations.list'
  | 'iterations.advance';

export function synthesisHandlers(ctx: ServiceContext): Pick<ApiHandlers, SynthesisMethods> {
  const rounds = () => synthesisService(ctx);
  return {
    'synth.start': (i) => {
      const { roundId, jobId } = rounds().start({ ...i, split: i.split ?? null });
      return { roundId, jobId };
    },
    'rounds.list': () => ({ rounds: rounds().list() }),
    'rounds.get': ({ roundId }) => rounds().get(roundId),
    'rounds.resume': ({ roundId }) => {
      const { jobId } = rounds().resume(roundId);
      return { roundId, jobId };
    },
    'rounds.stop': ({ roundId }) => ({ stopped: rounds().stop(roundId) }),
    'review.queue': ({ roundId, filter, offset, limit }) => reviewQueue(ctx, { roundId, ...filter, offset, limit }),
    'review.candidate': ({ candidateId }) => candidateDetail(ctx, candidateId),
    'review.decide': (d) => decide(ctx, d),
    'review.undo': ({ roundId, userId }) => undoDecision(ctx, roundId, userId),
    'review.acceptPassing': ({ roundId, userId, minAgreement, dryRun }) => acceptPassing(ctx, roundId, userId, minAgreement, dryRun),
    'review.approve': ({ roundId, userId }) => approveRound(ctx, roundId, userId),
    'snapshots.list': () => ({ snapshots: listSnapshots(ctx) }),
    'snapshots.create': (i) => createSnapshotOnDemand(ctx, i),
    'iterations.list': () => ({ iterations: iterationService(ctx).list() }),
    'iterations.advance': ({ split, rounds: k, userId }) => {
      // the steps run as jobs (their progress shows in the job indicator); the call returns at once
      void iterationService(ctx)
        .advance(split, { rounds: k, config: { userId: userId ?? null } })
        .catch(() => undefined);
      return { started: true, split };
    },
  };
}
