import type { IterationSummary } from '../../contract/types';
import { provenanceRows, rateRows } from '../../renderer/src/iterations/useIterations';

const it = (number: number, patch: Partial<IterationSummary>): IterationSummary => ({
  id: number,
  split: 'main',
  number,
  roundsTotal: 2,
  step: 'done',
  snapshotId: number,
  sftRunId: null,
  rlRunId: null,
  roundId: number,
  nextSnapshotId: null,
  error: null,
  createdAt: '',
  updatedAt: '',
  datasetSize: 0,
  provenance: [],
  round: null,
  test: null,
  ...patch,
});

test('provenance mix per iteration: kinds and synthesis rounds become stacked columns', () => {
  const { rows, keys } = provenanceRows([
    it(1, { provenance: [{ kind: 'import', round: null, n: 10 }] }),
    it(2, { provenance: [{ kind: 'import', round: null, n: 10 }, { kind: 'synthesis', round: 1, n: 4 }, { kind: 'human', round: null, n: 1 }] }),
  ]);
  expect(keys).toEqual(['human', 'import', 'synthesis r1']);
  expect(rows).toEqual([{ iteration: '#1', import: 10 }, { iteration: '#2', import: 10, 'synthesis r1': 4, human: 1 }]);
});

test('kept and accepted rates per emotion, one column pair per iteration', () => {
  const { rows, emotions } = rateRows([
    it(1, { round: { byEmotion: { anger: { input: 4, kept: 2, keptRate: 0.5, accepted: 1, acceptedRate: 0.25 } } } }),
    it(2, { round: { byEmotion: { anger: { input: 2, kept: 2, keptRate: 1, accepted: 2, acceptedRate: 1 }, fear: { input: 1, kept: 0, keptRate: 0, accepted: 0, acceptedRate: 0 } } } }),
  ]);
  expect(emotions).toEqual(['anger', 'fear']);
  expect(rows[0]).toEqual({ emotion: 'anger', 'kept #1': 0.5, 'accepted #1': 0.25, 'kept #2': 1, 'accepted #2': 1 });
  expect(rows[1]).toEqual({ emotion: 'fear', 'kept #2': 0, 'accepted #2': 0 });
});
