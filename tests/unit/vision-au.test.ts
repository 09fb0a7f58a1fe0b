import { estimateAUs, presentAUs, baselineFromLandmarks, ESTIMATED_AUS } from '../../pipelines/vision/au-estimates';
import { auRegionsFromLandmarks } from '../../pipelines/vision/au-regions';
import { faceGeometry, type Pt } from '../../pipelines/vision/geometry';
import { edit, neutralFace, toImage } from '../support/landmark-faces';

const present = (face: Pt[], baseline?: Pt[]) =>
  presentAUs(estimateAUs(toImage(face), baseline ? baselineFromLandmarks(toImage(baseline)) : null));

describe('geometric AU estimates', () => {
  it('reads the template face as neutral against the population reference', () => {
    expect(faceGeometry(toImage(neutralFace())).iod).toBeCloseTo(80, 0);
    expect(present(neutralFace())).toEqual([]);
    const est = estimateAUs(toImage(neutralFace()));
    expect(Object.keys(est).sort()).toEqual([...ESTIMATED_AUS].sort());
    for (const e of Object.values(est)) expect(e.score).toBeLessThan(0.1);
  });

  it('is invariant to face size, position and head roll', () => {
    const face = edit(neutralFace(), { 48: [-0.1, -0.06], 54: [0.1, -0.06] });
    const a = estimateAUs(toImage(face, 80, 0));
    const b = estimateAUs(toImage(face, 230, 0.35, 600, 400));
    for (const au of ESTIMATED_AUS) expect(b[au].score).toBeCloseTo(a[au].score, 2);
  });

  it('smile: lip corners out and up → AU12, not AU15/AU20', () => {
    const aus = present(edit(neutralFace(), { 48: [-0.1, -0.07], 54: [0.1, -0.07] }));
    expect(aus).toContain('AU12');
    expect(aus).not.toContain('AU15');
    expect(aus).not.toContain('AU20');
  });

  it('smile with narrowed eyes → AU6 too (Duchenne)', () => {
    const squint: Record<number, [number, number]> = { 40: [0, -0.02], 41: [0, -0.02], 46: [0, -0.02], 47: [0, -0.02] };
    const aus = present(edit(neutralFace(), { 48: [-0.1, -0.07], 54: [0.1, -0.07], ...squint }));
    expect(aus).toEqual(expect.arrayContaining(['AU6', 'AU12']));
    expect(aus).not.toContain('AU7');
  });

  it('lip corners down → AU15; stretched flat lips → AU20', () => {
    expect(present(edit(neutralFace(), { 48: [0, 0.1], 54: [0, 0.1] }))).toEqual(['AU15']);
    expect(present(edit(neutralFace(), { 48: [-0.08, 0], 54: [0.08, 0] }))).toContain('AU20');
  });

  it('inner brows up → AU1; outer brows up → AU2; brows down and together → AU4', () => {
    const up = -0.12;
    expect(present(edit(neutralFace(), { 20: [0, up], 21: [0, up], 22: [0, up], 23: [0, up] }))).toEqual(['AU1']);
    expect(present(edit(neutralFace(), { 17: [0, up], 18: [0, up], 25: [0, up], 26: [0, up] }))).toEqual(['AU2']);
    const aus = present(edit(neutralFace(), { 20: [0.03, 0.07], 21: [0.05, 0.07], 22: [-0.05, 0.07], 23: [-0.03, 0.07] }));
    expect(aus).toEqual(['AU4']);
  });

  it('eyes: lids wide → AU5; closed → AU43', () => {
    expect(present(edit(neutralFace(), { 37: [0, -0.03], 38: [0, -0.03], 43: [0, -0.03], 44: [0, -0.03] }))).toEqual(['AU5']);
    const shut: Record<number, [number, number]> = {};
    for (const i of [37, 38, 43, 44]) shut[i] = [0, 0.05];
    for (const i of [40, 41, 46, 47]) shut[i] = [0, -0.035];
    expect(present(edit(neutralFace(), shut))).toContain('AU43');
  });

  it('mouth: lips apart → AU25; jaw dropped → AU25 + AU26', () => {
    // geometric-au/4: the lower lip's drop below the nose base is AU26 from 0.07 IOD, so lips apart by 0.05 only
    expect(present(edit(neutralFace(), { 65: [0, 0.05], 66: [0, 0.05], 67: [0, 0.05] }))).toEqual(['AU25']);
    const drop: Record<number, [number, number]> = {};
    for (const i of [55, 56, 57, 58, 59, 65, 66, 67, 5, 6, 7, 8, 9, 10, 11]) drop[i] = [0, 0.3];
    expect(present(edit(neutralFace(), drop))).toEqual(expect.arrayContaining(['AU25', 'AU26']));
  });

  it("measures against the subject's neutral baseline when given one", () => {
    const highBrows = edit(neutralFace(), { 20: [0, -0.12], 21: [0, -0.12], 22: [0, -0.12], 23: [0, -0.12] });
    expect(present(highBrows)).toEqual(['AU1']);
    // The same face is this subject's rest position: nothing is raised relative to it.
    expect(present(highBrows, highBrows)).toEqual([]);
    // Against that baseline a smile still reads as AU12.
    expect(present(edit(highBrows, { 48: [-0.1, -0.07], 54: [0.1, -0.07] }), highBrows)).toEqual(['AU12']);
  });

  it('gives AU regions in image pixels for the overlay', () => {
    const lm = toImage(edit(neutralFace(), { 48: [-0.1, -0.07], 54: [0.1, -0.07] })) as [number, number][];
    const regions = auRegionsFromLandmarks(lm, estimateAUs(lm));
    const aus = new Set(regions.map((r) => r.au));
    for (const au of ESTIMATED_AUS) expect(aus.has(au)).toBe(true);
    const mouth = regions.find((r) => r.au === 'AU12')!;
    expect(mouth.present).toBe(true);
    const brow = regions.find((r) => r.au === 'AU1')!;
    const eye = regions.find((r) => r.au === 'AU5')!;
    const meanY = (pts: [number, number][]) => pts.reduce((s, p) => s + p[1], 0) / pts.length;
    expect(meanY(brow.points)).toBeLessThan(meanY(eye.points));
    expect(meanY(eye.points)).toBeLessThan(meanY(mouth.points));
    for (const r of regions) expect(r.points.length).toBeGreaterThanOrEqual(3);
    expect(auRegionsFromLandmarks([], {})).toEqual([]);
  });
});
