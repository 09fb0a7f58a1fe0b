/** The review view's command table and its pure helpers: default keys, reason keys, the next pending candidate, AU claims. */
import { REJECT_REASONS } from '../../pipelines/facs/vocabulary';
import type { CandidateSummary } from '../../contract/types';
import { REVIEW_COMMANDS, buildReviewKeyIndex, reasonForKey, runReviewCommand, type ReviewCommandHandlers } from '../../renderer/src/review/commands';
import { claimedAUs, reasoningParts } from '../../renderer/src/review/claims';
import { nextPending } from '../../renderer/src/review/useReviewQueue';
import { defaultRound } from '../../renderer/src/review/useRounds';
import type { RoundSummary } from '../../contract/types';

test('each decision is one key; undo is U or Ctrl+Z; J/K and the arrows move', () => {
  const index = buildReviewKeyIndex();
  expect(index.get('a')).toEqual({ type: 'accept' });
  expect(index.get('f')).toEqual({ type: 'fix' });
  expect(index.get('r')).toEqual({ type: 'reject' });
  expect(index.get('u')).toEqual({ type: 'undo' });
  expect(index.get('ctrl+z')).toEqual({ type: 'undo' });
  expect(index.get('meta+z')).toEqual({ type: 'undo' });
  expect([index.get('j'), index.get('arrowdown')]).toEqual([{ type: 'next' }, { type: 'next' }]);
  expect([index.get('k'), index.get('arrowup')]).toEqual([{ type: 'prev' }, { type: 'prev' }]);
  // No key is bound twice.
  const keys = Object.values(REVIEW_COMMANDS).flatMap((c) => c.keys);
  expect(new Set(keys).size).toBe(keys.length);
});

test('runReviewCommand calls the handler of the command type', () => {
  const calls: string[] = [];
  const handlers = Object.fromEntries(Object.keys(REVIEW_COMMANDS).map((t) => [t, () => calls.push(t)])) as unknown as ReviewCommandHandlers;
  runReviewCommand(handlers, { type: 'fix' });
  runReviewCommand(handlers, { type: 'undo' });
  expect(calls).toEqual(['fix', 'undo']);
});

test('number keys pick a reject reason from the short list; others pick none', () => {
  expect(reasonForKey('1')).toBe(REJECT_REASONS[0]);
  expect(reasonForKey(String(REJECT_REASONS.length))).toBe(REJECT_REASONS[REJECT_REASONS.length - 1]);
  expect(reasonForKey(String(REJECT_REASONS.length + 1))).toBeNull();
  expect(reasonForKey('0')).toBeNull();
  expect(reasonForKey('a')).toBeNull();
});

const row = (id: number, decision: CandidateSummary['decision']) => ({ id, decision }) as CandidateSummary;

test('after a decision the next pending candidate below is selected, wrapping to the top; none when all are decided', () => {
  const rows = [row(1, 'pending'), row(2, 'accepted'), row(3, 'rejected'), row(4, 'pending')];
  expect(nextPending(rows, 2)).toBe(4);
  expect(nextPending(rows, 4)).toBe(1);
  expect(nextPending([row(1, 'accepted'), row(2, 'fixed')], 1)).toBeNull();
  expect(nextPending(rows, 99)).toBe(1);
});

test('AU claims are split out of the reasoning, with or without parentheses', () => {
  const text = '<think>Cheeks raised (AU6) and lip corners pulled (AU12); AU6 again.</think><answer>happiness</answer>';
  const parts = reasoningParts(text);
  expect(parts.filter((p) => p.au).map((p) => [p.text, p.au])).toEqual([
    ['(AU6)', 'AU6'],
    ['(AU12)', 'AU12'],
    ['AU6', 'AU6'],
  ]);
  expect(parts.map((p) => p.text).join('')).toBe(text);
  expect(claimedAUs(text)).toEqual(['AU6', 'AU12']);
  expect(reasoningParts('no claims')).toEqual([{ text: 'no claims', au: null }]);
});

test('the round opened is the one asked for, else the newest in review, else the newest', () => {
  const rounds = [
    { id: 3, status: 'approved' },
    { id: 2, status: 'review' },
    { id: 1, status: 'review' },
  ] as RoundSummary[];
  expect(defaultRound(rounds, 1)).toBe(1);
  expect(defaultRound(rounds, 9)).toBe(2);
  expect(defaultRound([{ id: 4, status: 'approved' } as RoundSummary], null)).toBe(4);
  expect(defaultRound([], null)).toBeNull();
});
