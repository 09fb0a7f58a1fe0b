import { AU_RULES, ESTIMATED_AUS, POPULATION_REFERENCE, estimateAUs, presentAUs } from '../../pipelines/vision/au-estimates';
import type { Pt } from '../../pipelines/vision/geometry';
import { edit, move, neutralFace, toImage } from '../support/landmark-faces';

/** Present AUs of a face-frame landmark set placed in an image at `iod` pixels between the eyes. */
const present = (face: Pt[], iod = 80) => presentAUs(estimateAUs(toImage(face, iod)));
const at = (moves: Record<number, [number, number]>) => edit(neutralFace(), moves);

const INNER_BROWS = [20, 21, 22, 23];
const OUTER_BROWS = [17, 18, 25, 26];
const UPPER_LIDS = [37, 38, 43, 44];
const LOWER_LIDS = [40, 41, 46, 47];
const LOWER_INNER_LIP = [65, 66, 67];
const smile = { 48: [-0.1, -0.07], 54: [0.1, -0.07] } as Record<number, [number, number]>;
const slightSmile = { 48: [-0.02, -0.01], 54: [0.02, -0.01] } as Record<number, [number, number]>;
const squint = (d: number) => move(LOWER_LIDS, [0, -d]);
const jawDrop = (d: number) => move([5, 6, 7, 8, 9, 10, 11, 55, 56, 57, 58, 59, ...LOWER_INNER_LIP], [0, d]);
const shutEyes = { ...move(UPPER_LIDS, [0, 0.045]), ...move(LOWER_LIDS, [0, -0.035]) };

/** Each rule: a movement that makes its AU present and a smaller one (or a confound) that does not. */
const CASES: { au: string; fires: Record<number, [number, number]>; exactly?: string[]; not: Record<number, [number, number]> }[] = [
  { au: 'AU1', fires: move(INNER_BROWS, [0, -0.12]), exactly: ['AU1'], not: move(INNER_BROWS, [0, -0.04]) },
  { au: 'AU2', fires: move(OUTER_BROWS, [0, -0.1]), exactly: ['AU2'], not: move(OUTER_BROWS, [0, -0.03]) },
  // a smile's cheeks drag the brow landmarks down a little: with a broad smile that is not AU4
  { au: 'AU4', fires: move(INNER_BROWS, [0, 0.05]), exactly: ['AU4'], not: { ...smile, ...move(INNER_BROWS, [0, 0.02]) } },
  { au: 'AU5', fires: move(UPPER_LIDS, [0, -0.03]), exactly: ['AU5'], not: move(UPPER_LIDS, [0, -0.005]) },
  // AU6 needs the smile and some narrowing: a smile alone is not AU6
  { au: 'AU6', fires: { ...smile, ...squint(0.008) }, not: smile },
  // narrowing without a smile is AU7; with a broad smile it is the smile's
  { au: 'AU7', fires: squint(0.008), exactly: ['AU7'], not: { ...smile, ...squint(0.008) } },
  { au: 'AU12', fires: smile, not: slightSmile },
  { au: 'AU15', fires: { 48: [0, 0.1], 54: [0, 0.1] }, exactly: ['AU15'], not: { 48: [0, 0.04], 54: [0, 0.04] } },
  // stretched flat lips are AU20; stretched and lifted is a smile
  { au: 'AU20', fires: { 48: [-0.08, 0], 54: [0.08, 0] }, not: { 48: [-0.08, -0.05], 54: [0.08, -0.05] } },
  { au: 'AU25', fires: move(LOWER_INNER_LIP, [0, 0.05]), exactly: ['AU25'], not: move(LOWER_INNER_LIP, [0, 0.015]) },
  { au: 'AU26', fires: jawDrop(0.12), not: jawDrop(0.05) },
  { au: 'AU43', fires: shutEyes, not: squint(0.008) },
];

describe('AU rules on fixed landmark sets (geometric-au/4)', () => {
  it('reads the neutral template as neutral, every score low', () => {
    expect(present(neutralFace())).toEqual([]);
    const est = estimateAUs(toImage(neutralFace()));
    expect(Object.keys(est).sort()).toEqual([...ESTIMATED_AUS].sort());
    for (const e of Object.values(est)) expect(e.score).toBeLessThan(0.1);
  });

  it('covers every estimated AU with a case', () => {
    expect(CASES.map((c) => c.au).sort()).toEqual([...ESTIMATED_AUS].sort());
  });

  it.each(CASES)('$au fires on its movement and not on the smaller one or the confound', ({ au, fires, exactly, not }) => {
    const on = present(at(fires));
    expect(on).toContain(au);
    if (exactly) expect(on).toEqual(exactly);
    expect(present(at(not))).not.toContain(au);
  });

  it('the smile that makes AU12 makes neither AU15 nor AU20, and a raised outer brow alone is not AU4', () => {
    const aus = present(at(smile));
    expect(aus).toContain('AU12');
    expect(aus).not.toContain('AU15');
    expect(aus).not.toContain('AU20');
    expect(present(at(move(OUTER_BROWS, [0, -0.15])))).not.toContain('AU4');
  });

  it('scores 0.5 at the threshold and rises with the movement', () => {
    const lift = (d: number) => estimateAUs(toImage(at(move(INNER_BROWS, [0, -d])))).AU1.score;
    expect(lift(0.04)).toBeLessThan(0.5);
    expect(lift(0.08)).toBeCloseTo(0.5, 1);
    expect(lift(0.12)).toBeGreaterThan(0.75);
    expect(lift(0.16)).toBeGreaterThan(0.9);
  });

  it('has positive thresholds and a reference for every measure a rule reads', () => {
    for (const au of ESTIMATED_AUS) expect(AU_RULES[au].threshold).toBeGreaterThan(0);
    for (const v of Object.values(POPULATION_REFERENCE)) expect(Number.isFinite(v)).toBe(true);
  });
});

describe('scale invariance: the same landmarks at ×0.25 and ×4 give the same AUs', () => {
  const faces: [string, Pt[]][] = [
    ['neutral', neutralFace()],
    ...CASES.flatMap((c): [string, Pt[]][] => [
      [`${c.au} fires`, at(c.fires)],
      [`${c.au} not`, at(c.not)],
    ]),
  ];

  it.each(faces)('%s', (_name, face) => {
    const base = estimateAUs(toImage(face, 72, 0.1, 300, 200));
    // ×0.25: a 48-px crop's inter-ocular distance (18 px); ×4: a studio portrait's (288 px)
    for (const k of [0.25, 4]) {
      const scaled = estimateAUs(toImage(face, 72 * k, 0.1, 300 * k, 200 * k));
      expect(presentAUs(scaled)).toEqual(presentAUs(base));
      for (const au of ESTIMATED_AUS) expect(scaled[au].score).toBeCloseTo(base[au].score, 3);
    }
  });
});
