import { checkReasoning } from '../../pipelines/facs/reasoning';
import { draftReasoning, supportingAUs } from '../../pipelines/vision/draft-reasoning';
import { mapExpressions, topEmotion } from '../../pipelines/vision/expressions';
import { hammingDistance, phashFromGray32 } from '../../pipelines/vision/phash';

describe('expression mapping', () => {
  it("maps face-api's classes to the vocabulary; contempt gets none", () => {
    const raw = { neutral: 0.1, happy: 0.5, sad: 0.05, angry: 0.05, fearful: 0.1, disgusted: 0.1, surprised: 0.1 };
    const mapped = mapExpressions(raw);
    expect(Object.keys(mapped).sort()).toEqual(['anger', 'disgust', 'fear', 'happiness', 'neutral', 'sadness', 'surprise']);
    expect(mapped.happiness).toBe(0.5);
    expect(mapped).not.toHaveProperty('contempt');
    expect(topEmotion(mapped)).toEqual({ emotion: 'happiness', score: 0.5 });
    expect(Object.keys(mapExpressions(raw, ['happiness', 'sadness', 'contempt'])).sort()).toEqual(['happiness', 'sadness']);
    expect(topEmotion({})).toBeNull();
  });
});

describe('draft reasoning', () => {
  const cases: [string | null, string[]][] = [
    ['happiness', ['AU6', 'AU12', 'AU25']],
    ['sadness', []],
    ['neutral', []],
    ['surprise', ['AU12']],
    ['sadness', ['AU15', 'AU1', 'AU4']],
    [null, ['AU43']],
  ];
  it.each(cases)('%s with %j passes every editor check', (emotion, aus) => {
    const text = draftReasoning(emotion, aus);
    const checks = checkReasoning(text, emotion ?? 'neutral', aus);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
  });
  it('names the prototype AUs as the evidence', () => {
    expect(supportingAUs('happiness', ['AU25', 'AU12', 'AU6'])).toEqual(['AU6', 'AU12']);
    expect(draftReasoning('happiness', ['AU6', 'AU12', 'AU25'])).toContain('AU6 and AU12 are the full prototype of happiness');
  });
});

describe('perceptual hash', () => {
  const img = (f: (x: number, y: number) => number) => Array.from({ length: 1024 }, (_, i) => f(i % 32, Math.floor(i / 32)));
  const blob = (x: number, y: number, cx: number, cy: number, r: number) => Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * r * r));
  // Non-separable content (a separable image has only one row and column of DCT energy, the rest is rounding noise).
  const base = img((x, y) => 40 + 150 * blob(x, y, 10, 12, 5) + 90 * blob(x, y, 22, 20, 7) - 30 * blob(x, y, 24, 6, 3));
  it('is 16 hex digits, stable under brightness and small noise, different for other content', () => {
    const h = phashFromGray32(base);
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    const brighter = phashFromGray32(base.map((v) => v * 0.8 + 20));
    expect(hammingDistance(h, brighter)).toBeLessThanOrEqual(2);
    let seed = 7;
    const noisy = phashFromGray32(base.map((v) => v + (((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5) * 12));
    expect(hammingDistance(h, noisy)).toBeLessThanOrEqual(10);
    const other = phashFromGray32(img((x, y) => 40 + 150 * blob(x, y, 24, 8, 6) + 90 * blob(x, y, 6, 24, 4)));
    expect(hammingDistance(h, other)).toBeGreaterThan(16);
  });
  it('counts differing bits', () => {
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('00000000000000f1', '0000000000000001')).toBe(4);
    expect(() => hammingDistance('00', '000')).toThrow(/lengths differ/);
    expect(() => phashFromGray32([1, 2, 3])).toThrow(/32×32/);
  });
});
