import { parseFacialR1Line, checkAU, checkLabel, isFacsAU, probeFast, UndecodableImage, toDescription, registryEntry } from '../../pipelines/formats';
import { makePng } from '../support/png';

const vocab = { emotions: new Set(['anger', 'disgust', 'fear', 'happiness', 'neutral', 'sadness', 'surprise']) };

describe('import normalisation', () => {
  test.each([
    ['Happy', 'happiness'],
    ['happy', 'happiness'],
    ['angry', 'anger'],
    ['Sadness', 'sadness'],
    ['SURPRISED', 'surprise'],
    ['fearful', 'fear'],
    ['contempt', 'contempt'],
  ])('label %s → %s', (raw, want) => {
    expect(checkLabel(raw, vocab)).toEqual({ ok: true, value: want, normalised: raw !== want });
  });

  test('labels outside the vocabulary are refused', () => {
    expect(checkLabel('bored', vocab)).toMatchObject({ ok: false });
    expect(checkLabel(3, vocab)).toMatchObject({ ok: false });
  });

  test.each([
    ['AU04', 'AU4'],
    ['au4', 'AU4'],
    ['AU 4', 'AU4'],
    ['AU12', 'AU12'],
    ['43', 'AU43'],
  ])('AU %s → %s', (raw, want) => {
    expect(checkAU(raw)).toEqual({ ok: true, value: want, normalised: raw !== want });
  });

  test('things that are not AUs are refused', () => {
    for (const bad of ['smile', 'AU', 'AU3', 'AU0', 'AU99', 'AU51', '', null]) expect(checkAU(bad)).toMatchObject({ ok: false });
    expect(isFacsAU('AU46')).toBe(true);
    expect(isFacsAU('AU40')).toBe(false);
  });

  test('a line is parsed with its normalisations listed, subject from meta_info and unknown keys kept', () => {
    const out = parseFacialR1Line(
      JSON.stringify({ id: 'x', dataset: 'RAF-DB', image: 'a/b.png', AUs: ['AU12', 'AU06'], labels: ['Happy', 'neutral'], description: 'd', meta_info: { subject: 's1', k: 1 }, accu_reward_method: 'default' }),
      7,
      '/data',
      vocab,
    );
    expect(out.kind).toBe('record');
    if (out.kind !== 'record') return;
    expect(out.record).toMatchObject({ line: 7, id: 'x', source: 'RAF-DB', emotion: 'happiness', aus: ['AU6', 'AU12'], subject: 's1', imagePath: '/data/a/b.png', reasoning: 'd' });
    expect(out.record.normalised).toEqual([
      { field: 'label', from: 'Happy', to: 'happiness' },
      { field: 'AU', from: 'AU06', to: 'AU6' },
    ]);
    expect(out.record.meta).toMatchObject({ meta_info: { subject: 's1', k: 1 }, extra: { accu_reward_method: 'default' }, extraLabels: ['neutral'] });
  });

  test('is_valid: false is skipped before any other check; blank lines are ignored', () => {
    expect(parseFacialR1Line('{"is_valid": false}', 1, '/', vocab)).toMatchObject({ kind: 'skipped' });
    expect(parseFacialR1Line('   ', 2, '/', vocab)).toEqual({ kind: 'blank' });
  });
});

describe('image probe', () => {
  test('reads PNG size from the header and detects truncation and corruption', () => {
    const png = makePng(1, 20, 12);
    expect(probeFast(png)).toEqual({ format: 'png', width: 20, height: 12, ext: 'png' });
    expect(() => probeFast(png.subarray(0, png.length - 12))).toThrow(UndecodableImage);
    const flipped = Buffer.from(png);
    flipped[60] ^= 0xff;
    expect(() => probeFast(flipped)).toThrow(/CRC|truncated/);
    expect(probeFast(Buffer.from('GIF89a....'))).toBeNull();
  });
});

describe('export formatting', () => {
  test('descriptions keep the think/answer form; plain or empty text with an emotion is wrapped', () => {
    const ok = '<think>Cheeks raised (AU6).</think><answer>happiness</answer>';
    expect(toDescription(ok, 'happiness')).toEqual({ text: ok, wrapped: false });
    expect(toDescription('', 'fear')).toEqual({ text: '<think></think><answer>fear</answer>', wrapped: true });
    expect(toDescription('brows up', 'Surprise')).toEqual({ text: '<think>brows up</think><answer>surprise</answer>', wrapped: true });
    expect(toDescription('AU-only note', null)).toEqual({ text: 'AU-only note', wrapped: false });
  });

  test('registry entries: every vocabulary emotion as a proportion, only occurring AUs', () => {
    const e = registryEntry([{ emotion: 'fear', aus: ['AU4', 'AU1'] }, { emotion: 'fear', aus: [] }, { emotion: null, aus: ['AU4'] }], ['anger', 'fear']);
    expect(e).toEqual({ emotions: { anger: 0, fear: 1 }, AUs: { AU1: 0.333333, AU4: 0.666667 } });
  });
});
