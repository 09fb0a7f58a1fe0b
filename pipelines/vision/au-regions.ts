/** Image-space AU regions for the label view's overlay, built from the 68 landmarks. */
import { eyeCentres, dist, mean, type Pt } from './geometry';
import type { AUEstimates } from './au-estimates';

export interface AURegion {
  au: string;
  points: [number, number][];
  score: number;
  present: boolean;
}

/** Landmark indices of each region; an AU with two symmetric regions appears twice. */
const REGIONS: Readonly<Record<string, readonly (readonly number[])[]>> = {
  AU1: [[20, 21, 22, 23]],
  AU2: [[17, 18, 19], [24, 25, 26]],
  AU4: [[19, 20, 21, 22, 23, 24, 27]],
  AU5: [[36, 37, 38, 39, 40, 41], [42, 43, 44, 45, 46, 47]],
  AU6: [[36, 41, 40, 39, 31, 48, 3, 1], [45, 46, 47, 42, 35, 54, 13, 15]],
  AU7: [[36, 37, 38, 39, 40, 41], [42, 43, 44, 45, 46, 47]],
  AU12: [[48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59]],
  AU15: [[48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59]],
  AU20: [[48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59]],
  AU25: [[60, 61, 62, 63, 64, 65, 66, 67]],
  AU26: [[4, 5, 6, 7, 8, 9, 10, 11, 12, 54, 57, 48]],
  AU43: [[36, 37, 38, 39, 40, 41], [42, 43, 44, 45, 46, 47]],
};

/** Padding around each region, as a fraction of the inter-ocular distance. */
const PAD = 0.08;

function convexHull(points: Pt[]): Pt[] {
  const pts = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (pts.length < 3) return pts;
  const cross = (o: Pt, a: Pt, b: Pt) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Pt[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Pt[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
    upper.push(p);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

function padOutward(poly: Pt[], pad: number): Pt[] {
  if (poly.length < 3) {
    // Collinear points (a flat brow): a padded box around them instead.
    const xs = poly.map((p) => p[0]);
    const ys = poly.map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs) - pad, Math.max(...xs) + pad, Math.min(...ys) - pad, Math.max(...ys) + pad];
    const r = (v: number) => Math.round(v * 10) / 10;
    return [[r(x0), r(y0)], [r(x1), r(y0)], [r(x1), r(y1)], [r(x0), r(y1)]];
  }
  const c = mean(poly);
  return poly.map((p) => {
    const d = dist(p, c) || 1;
    const k = (d + pad) / d;
    return [Math.round((c[0] + (p[0] - c[0]) * k) * 10) / 10, Math.round((c[1] + (p[1] - c[1]) * k) * 10) / 10];
  });
}

/** One padded convex polygon per AU region (brows AU1/2/4, eyes AU5/7/43, cheeks AU6, mouth AU12/15/20/25, jaw AU26). */
export function auRegionsFromLandmarks(landmarks: [number, number][], auEstimates: AUEstimates): AURegion[] {
  if (landmarks.length !== 68) return [];
  const { right, left } = eyeCentres(landmarks);
  const pad = dist(right, left) * PAD;
  const out: AURegion[] = [];
  for (const [au, polys] of Object.entries(REGIONS)) {
    const est = auEstimates[au];
    if (!est) continue;
    for (const idx of polys) {
      out.push({ au, points: padOutward(convexHull(idx.map((i) => landmarks[i])), pad), score: est.score, present: est.present });
    }
  }
  return out;
}
