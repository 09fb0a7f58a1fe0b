/** The dashboard's time per record reads in the unit that fits. */
import { fmtDuration } from '../../renderer/src/dashboard/duration';

test('labeling times: ms, seconds, minutes; none is a dash', () => {
  expect(fmtDuration(null)).toBe('–');
  expect(fmtDuration(840)).toBe('840 ms');
  expect(fmtDuration(8400)).toBe('8.4 s');
  expect(fmtDuration(42_400)).toBe('42 s');
  expect(fmtDuration(125_000)).toBe('2 min 05 s');
});
