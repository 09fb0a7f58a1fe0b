/**
 * Face-frame geometry from the 68 iBUG landmarks (0-based indices):
 * jaw 0–16 (8 = chin), brows 17–21 (subject's right, 17 outer → 21 inner) and 22–26 (22 inner → 26 outer),
 * nose 27–35 (33 = nose base), eyes 36–41 (36 outer, 39 inner corner) and 42–47 (42 inner, 45 outer),
 * outer lips 48–59 (48/54 corners, 51 upper-lip top, 57 lower-lip bottom), inner lips 60–67 (62 upper, 66 lower centre).
 */
export type Pt = [number, number];

/** Scale-, translation- and roll-free measurements, in inter-ocular distances (IOD) or ratios. */
export interface FaceGeometry {
  /** Inter-ocular distance in image pixels (eye centre to eye centre). */
  iod: number;
  /** Roll of the eye line, radians. */
  roll: number;
  /** Inner brow (20,21 / 22,23) height above the inner eye corners (39 / 42), IOD. */
  innerBrow: number;
  /** Outer brow (17,18 / 25,26) height above the outer eye corners (36 / 45), IOD. */
  outerBrow: number;
  /** Horizontal gap between the inner brow ends (21, 22), IOD. */
  browGap: number;
  /** Eye aspect ratio: lid-to-lid height over corner-to-corner width, mean of both eyes. */
  eyeOpen: number;
  /** Upper lid (37,38 / 43,44) height above the corner line, over eye width. */
  upperLid: number;
  /** Lower lid (40,41 / 46,47) depth below the corner line, over eye width. */
  lowerLid: number;
  /** Lip-corner (48, 54) height above the upper inner-lip centre (62), IOD; negative = corners lower. */
  cornerLift: number;
  /** Lip-corner height above the mean of the lip centres (51, 57), IOD. */
  cornerVsCentre: number;
  /** Distance between the lip corners (48–54), IOD. */
  mouthWidth: number;
  /** Gap between the inner lips (62–66), IOD. */
  lipGap: number;
  /** Nose base (33) to chin (8), IOD. */
  jaw: number;
  /** Inner brow ends (21, 22) above the top of the nose bridge (27), IOD: falls when the brows are drawn down. */
  browBridge: number;
  /** Gap between the inner lips, mean over the three pairs 61–67, 62–66, 63–65 (less noisy than 62–66 alone), IOD. */
  innerLipGap: number;
  /** Lower inner-lip centre (66) below the nose base (33), IOD: grows as the jaw drops. */
  mouthDrop: number;
}

export const GEOMETRY_KEYS = [
  'innerBrow', 'outerBrow', 'browGap', 'eyeOpen', 'upperLid', 'lowerLid',
  'cornerLift', 'cornerVsCentre', 'mouthWidth', 'lipGap', 'jaw', 'browBridge', 'innerLipGap', 'mouthDrop',
] as const;
export type GeometryKey = (typeof GEOMETRY_KEYS)[number];

export function mean(points: Pt[]): Pt {
  let x = 0;
  let y = 0;
  for (const p of points) {
    x += p[0];
    y += p[1];
  }
  return [x / points.length, y / points.length];
}

export function dist(a: Pt, b: Pt): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

export function eyeCentres(lm: Pt[]): { right: Pt; left: Pt } {
  // "right" is the subject's right eye, on the image's left.
  return { right: mean(lm.slice(36, 42)), left: mean(lm.slice(42, 48)) };
}

/** Maps image points into the face frame: origin between the eyes, x along the eye line, y down, unit = IOD. */
export function toFaceFrame(lm: Pt[]): { points: Pt[]; iod: number; roll: number } {
  if (lm.length !== 68) throw new Error(`expected 68 landmarks, got ${lm.length}`);
  const { right, left } = eyeCentres(lm);
  const iod = dist(right, left);
  if (!(iod > 0)) throw new Error('degenerate landmarks: eyes coincide');
  const roll = Math.atan2(left[1] - right[1], left[0] - right[0]);
  const cos = Math.cos(-roll);
  const sin = Math.sin(-roll);
  const o = mean([right, left]);
  const points = lm.map(([x, y]): Pt => {
    const dx = x - o[0];
    const dy = y - o[1];
    return [(dx * cos - dy * sin) / iod, (dx * sin + dy * cos) / iod];
  });
  return { points, iod, roll };
}

export function faceGeometry(lm: Pt[]): FaceGeometry {
  const { points: p, iod, roll } = toFaceFrame(lm);
  const y = (i: number) => p[i][1];
  const avg = (...v: number[]) => v.reduce((s, a) => s + a, 0) / v.length;
  const eyeW = (a: number, b: number) => dist(p[a], p[b]);
  const ear = (o: number, u1: number, u2: number, i: number, l1: number, l2: number) =>
    (dist(p[u1], p[l2]) + dist(p[u2], p[l1])) / (2 * eyeW(o, i));
  const cornerLine = (a: number, b: number) => avg(y(a), y(b));
  return {
    iod,
    roll,
    innerBrow: avg(y(39) - avg(y(20), y(21)), y(42) - avg(y(22), y(23))),
    outerBrow: avg(y(36) - avg(y(17), y(18)), y(45) - avg(y(25), y(26))),
    browGap: p[22][0] - p[21][0],
    eyeOpen: avg(ear(36, 37, 38, 39, 40, 41), ear(42, 43, 44, 45, 46, 47)),
    upperLid: avg(
      (cornerLine(36, 39) - avg(y(37), y(38))) / eyeW(36, 39),
      (cornerLine(42, 45) - avg(y(43), y(44))) / eyeW(42, 45),
    ),
    lowerLid: avg(
      (avg(y(40), y(41)) - cornerLine(36, 39)) / eyeW(36, 39),
      (avg(y(46), y(47)) - cornerLine(42, 45)) / eyeW(42, 45),
    ),
    cornerLift: y(62) - avg(y(48), y(54)),
    cornerVsCentre: avg(y(51), y(57)) - avg(y(48), y(54)),
    mouthWidth: dist(p[48], p[54]),
    lipGap: Math.max(0, y(66) - y(62)),
    jaw: y(8) - y(33),
    browBridge: y(27) - avg(y(21), y(22)),
    innerLipGap: Math.max(0, avg(y(65), y(66), y(67)) - avg(y(61), y(62), y(63))),
    mouthDrop: y(66) - y(33),
  };
}
