import { accuracyReward, auReward, facialR1Reward, formatReward, predictedAUsForReward, pyStrip } from '../../pipelines/rewards';

const SAD_GT = { emotion: 'sadness', aus: ['AU1', 'AU4', 'AU15', 'AU17'] };
const SAD =
  '<think>The brows are lowered and drawn together (AU4), the lip corners are pulled down (AU15) and the chin is raised (AU17); ' +
  'together these indicate sadness.</think>\n<answer>sadness</answer>';

describe('Facial-R1 rewards: worked cases of spec §4', () => {
  test('case 1: three of four GT AUs, correct answer, newline between tags', () => {
    const r = facialR1Reward(SAD, SAD_GT);
    expect(r.format).toBe(1);
    expect(r.accuracy).toBe(1);
    expect(r.au).toBeCloseTo(2 * (6 / 7) - 1, 12);
    expect(r.au).toBeCloseTo(0.714286, 6);
    expect(r.total).toBeCloseTo(2.714286, 6);
  });

  test('case 2: a leading space breaks the format only', () => {
    const r = facialR1Reward(` ${SAD}`, SAD_GT);
    expect(r).toEqual({ format: 0, accuracy: 1, au: expect.closeTo(0.714286, 6), total: expect.closeTo(1.714286, 6) });
  });

  test('case 3: no AU in <think> and a capitalised answer', () => {
    const r = facialR1Reward('<think>The face looks downcast and heavy; together this indicates sadness.</think><answer>Sadness</answer>', SAD_GT);
    expect(r).toEqual({ format: 1, accuracy: 0, au: -1, total: 0 });
  });

  test('case 4: empty GT AU set gives R_AU = 0 whatever is named', () => {
    const r = facialR1Reward('<think>The brows are lowered (AU4); this indicates anger.</think><answer>anger</answer>', { emotion: 'anger', aus: [] });
    expect(r).toEqual({ format: 1, accuracy: 1, au: 0, total: 2 });
  });

  test('case 5: zero-padded AU06 counts as a false positive', () => {
    const r = facialR1Reward(
      '<think>The cheeks are raised (AU06) and the lip corners are pulled up (AU12).</think><answer>happiness</answer>',
      { emotion: 'happiness', aus: ['AU6', 'AU12'] },
    );
    expect(r.format).toBe(1);
    expect(r.accuracy).toBe(1);
    expect(r.au).toBeCloseTo(0, 12);
    expect(r.total).toBeCloseTo(2, 12);
  });
});

describe('formatReward = re.fullmatch(r"<think>.*?</think>\\s*<answer>.*?</answer>", s, re.DOTALL)', () => {
  test.each([
    ['<think>a</think><answer>b</answer>', 1],
    ['<think></think><answer></answer>', 1],
    ['<think>a\nb</think> \n\t <answer>b\nc</answer>', 1],
    ['<think>a</think><answer>b</answer>\n', 0], // Python's fullmatch has no "$ before a final newline"
    ['<think>a</think><answer>b</answer> ', 0],
    ['\n<think>a</think><answer>b</answer>', 0],
    ['<think>a</think>x<answer>b</answer>', 0],
    ['<think>a</think><answer>b</answer><answer>c</answer>', 1], // lazy .*? still extends to reach the end
    ['<think>a</think>\u001c<answer>b</answer>', 1], // Python whitespace, not JS whitespace
    ['<think>a</think>\ufeff<answer>b</answer>', 0], // JS whitespace, not Python whitespace
    ['<THINK>a</THINK><answer>b</answer>', 0],
    ['<think>a<answer>b</answer>', 0],
  ])('%j → %d', (text, expected) => {
    expect(formatReward(text)).toBe(expected);
  });
});

describe('accuracyReward', () => {
  test('uses the last <answer>, stripped', () => {
    expect(accuracyReward('<answer>anger</answer> <answer>  fear \n</answer>', 'fear')).toBe(1);
    expect(accuracyReward('<answer>fear</answer><answer>anger</answer>', 'fear')).toBe(0);
  });
  test('exact and case-sensitive', () => {
    expect(accuracyReward('<think>x</think><answer>happy</answer>', 'happiness')).toBe(0);
    expect(accuracyReward('<think>x</think><answer>happiness.</answer>', 'happiness')).toBe(0);
  });
  test('empty GT → 0.5', () => {
    expect(accuracyReward('<answer>fear</answer>', null)).toBe(0.5);
    expect(accuracyReward('<answer>fear</answer>', '')).toBe(0.5);
    expect(accuracyReward('<answer>fear</answer>', '  ')).toBe(0.5);
  });
  test('without an <answer> pair the whole completion is compared, as the reference code does', () => {
    expect(accuracyReward('  fear\n', 'fear')).toBe(1);
    expect(accuracyReward('<think>x</think> fear', 'fear')).toBe(0);
  });
});

describe('auReward', () => {
  test('only the first <think> counts; AUs elsewhere do not', () => {
    const text = '<think>(AU6)</think><think>(AU12)</think><answer>AU12</answer>';
    expect([...predictedAUsForReward(text)]).toEqual(['AU6']);
    expect(auReward(text, ['AU6', 'AU12'])).toBeCloseTo(2 * (2 / 3) - 1, 12);
  });
  test('lower-case mentions are upper-cased; GT is upper-cased too', () => {
    expect(auReward('<think>au6 and Au12</think><answer>happiness</answer>', ['au6', 'AU12'])).toBe(1);
  });
  test('no <think> → P = ∅ → −1', () => {
    expect(auReward('<answer>happiness</answer> AU6', ['AU6'])).toBe(-1);
  });
  test('disjoint sets → −1; a negated mention still counts', () => {
    expect(auReward('<think>no AU9 here</think>', ['AU6'])).toBe(-1);
    expect(auReward('<think>AU6, no AU9</think>', ['AU6'])).toBeCloseTo(2 * (2 / 3) - 1, 12);
  });
  test('duplicates count once', () => {
    expect(auReward('<think>AU6 AU6 AU6</think>', ['AU6'])).toBe(1);
  });
});

describe('weights', () => {
  test('weighted total, components unweighted', () => {
    const r = facialR1Reward(SAD, SAD_GT, { format: 0.5, accuracy: 2, au: 0 });
    expect(r.format).toBe(1);
    expect(r.au).toBeCloseTo(5 / 7, 12);
    expect(r.total).toBeCloseTo(0.5 + 2, 12);
  });
});

test('pyStrip strips Python whitespace only', () => {
  expect(pyStrip('\u001c\u0085 a b \t\n')).toBe('a b');
  expect(pyStrip('\ufeffa')).toBe('\ufeffa');
});
