import {
  answerContent,
  checkReasoning,
  composeReasoning,
  extractAUs,
  findHedges,
  hasValidFormat,
  normaliseAU,
  normaliseEmotion,
  sortAUs,
  thinkAUs,
} from '../../pipelines/facs';

describe('normalisation', () => {
  test.each([
    ['Happy', 'happiness'],
    ['happy', 'happiness'],
    ['angry', 'anger'],
    ['Sadness', 'sadness'],
    [' Surprised ', 'surprise'],
    ['fearful', 'fear'],
    ['disgusted', 'disgust'],
    ['Neutral', 'neutral'],
    ['contempt', 'contempt'],
  ])('emotion %s → %s', (raw, expected) => expect(normaliseEmotion(raw)).toBe(expected));

  test('unknown emotion words are not guessed', () => {
    expect(normaliseEmotion('bittersweet')).toBeNull();
    expect(normaliseEmotion('')).toBeNull();
  });

  test.each([
    ['AU04', 'AU4'],
    ['au4', 'AU4'],
    ['AU 4', 'AU4'],
    ['AU12', 'AU12'],
    ['12', 'AU12'],
  ])('AU %s → %s', (raw, expected) => expect(normaliseAU(raw)).toBe(expected));

  test('non-AU tokens are rejected', () => {
    for (const bad of ['AUX', 'A4', 'AU', 'AU123', 'brow']) expect(normaliseAU(bad)).toBeNull();
  });

  test('sortAUs orders by number and removes duplicates', () => {
    expect(sortAUs(['AU12', 'AU6', 'AU12', 'AU1'])).toEqual(['AU1', 'AU6', 'AU12']);
  });
});

describe('reasoning format', () => {
  const good = '<think>The cheeks are raised (AU6) and the lip corners are pulled up (AU12).</think><answer>happiness</answer>';

  test('format matches the Facial-R1 fullmatch rule', () => {
    expect(hasValidFormat(good)).toBe(true);
    expect(hasValidFormat(` ${good}`)).toBe(false);
    expect(hasValidFormat(`${good}\n`)).toBe(false);
    expect(hasValidFormat('<think>x</think>\n<answer>y</answer>')).toBe(true);
    expect(hasValidFormat('<answer>y</answer>')).toBe(false);
  });

  test('AUs are read from the first think block, upper-cased and unnormalised', () => {
    expect([...thinkAUs('<think>au6 and (AU06)</think><answer>x AU9</answer>')].sort()).toEqual(['AU06', 'AU6']);
    expect([...extractAUs(good)].sort()).toEqual(['AU12', 'AU6']);
  });

  test('the last answer counts', () => {
    expect(answerContent('<answer>fear</answer> <answer> anger </answer>')).toBe('anger');
  });

  test('hedges are found as whole words', () => {
    expect(findHedges('<think>There is no frown, maybe a smile; nothing else.</think><answer>x</answer>')).toEqual(['no', 'maybe']);
  });
});

describe('editor checks', () => {
  test('a mismatch is flagged and passes when fixed', () => {
    const text = '<think>The cheeks are raised (AU6).</think><answer>sadness</answer>';
    const failing = checkReasoning(text, 'happiness', ['AU6', 'AU12']);
    expect(failing.find((c) => c.id === 'aus')).toMatchObject({ ok: false, message: 'not named: AU12' });
    expect(failing.find((c) => c.id === 'answer')?.ok).toBe(false);
    const fixed = checkReasoning(composeReasoning('happiness', ['AU12', 'AU6']), 'happiness', ['AU6', 'AU12']);
    expect(fixed.every((c) => c.ok)).toBe(true);
  });

  test('composed reasoning names every AU and has no hedges', () => {
    const text = composeReasoning('fear', ['AU1', 'AU2', 'AU4', 'AU5', 'AU20', 'AU26']);
    expect(sortAUs(thinkAUs(text))).toEqual(['AU1', 'AU2', 'AU4', 'AU5', 'AU20', 'AU26']);
    expect(findHedges(text)).toEqual([]);
    expect(answerContent(text)).toBe('fear');
    expect(checkReasoning(composeReasoning('neutral', []), 'neutral', []).every((c) => c.ok)).toBe(true);
  });
});
