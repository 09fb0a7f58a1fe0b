/**
 * Geometric AU estimates from 68 landmarks. These are estimates, not an AU detector: see AU-ESTIMATES.md
 * for each formula, the landmarks it reads and how the thresholds were set.
 */
import { faceGeometry, type FaceGeometry, type Pt } from './geometry';

export const GEOMETRIC_AU_VERSION = 'geometric-au/4';

export interface AUEstimate {
  score: number;
  present: boolean;
}
export type AUEstimates = Record<string, AUEstimate>;

export const ESTIMATED_AUS = ['AU1', 'AU2', 'AU4', 'AU5', 'AU6', 'AU7', 'AU12', 'AU15', 'AU20', 'AU25', 'AU26', 'AU43'] as const;

/**
 * Population reference: medians of the neutral faces of the tune half of a FER2013 sample (48-px in-the-wild
 * crops, AU-ESTIMATES.md §7). Used when the subject has no neutral image, at every face size: the landmark net
 * reads the same face alike at 48 px and at photo size (§3), so one reference and one threshold per AU serve both.
 */
export const POPULATION_REFERENCE: Readonly<Reference> = {
  innerBrow: 0.354,
  outerBrow: 0.304,
  browGap: 0.562,
  eyeOpen: 0.306,
  upperLid: 0.169,
  lowerLid: 0.138,
  cornerLift: -0.013,
  cornerVsCentre: 0.042,
  mouthWidth: 0.781,
  lipGap: 0.049,
  jaw: 0.927,
  browBridge: 0.336,
  innerLipGap: 0.042,
  mouthDrop: 0.355,
};

export type Reference = Omit<FaceGeometry, 'iod' | 'roll'>;

interface Rule {
  /** The raw measure: larger = more of the AU. */
  raw: (g: FaceGeometry, r: Reference, baseline: boolean) => number;
  /** raw at which the AU counts as present (score 0.5), against the population reference (chosen on real photos). */
  threshold: number;
  /**
   * The same against the subject's own neutral image, where the between-person spread is gone (measured on
   * the synthetic demo faces, see AU-ESTIMATES.md §5). Defaults to `threshold`.
   */
  subjectThreshold?: number;
}

const pos = (v: number) => Math.max(0, v);
const smile = (g: FaceGeometry, r: Reference) => g.mouthWidth - r.mouthWidth + 0.5 * (g.cornerVsCentre - r.cornerVsCentre);
const SMILE_THRESHOLD = 0.07;
const narrowing = (g: FaceGeometry, r: Reference) => r.lowerLid - g.lowerLid + 0.5 * (r.eyeOpen - g.eyeOpen);
/**
 * Brows drawn down: inner brows nearer the nose bridge and lower over the inner eye corners; a V slant (outer ends
 * higher) adds up to as much again as the inner ends dropped (a raised outer brow alone is AU2, not AU4); a lower
 * lid pushed up by a smile's cheeks, which drags the brow landmarks down with it, counts against.
 */
const browLowering = (g: FaceGeometry, r: Reference) => {
  const innerDrop = r.innerBrow - g.innerBrow;
  return (
    2 * (r.browBridge - g.browBridge) + innerDrop + Math.min(g.outerBrow - r.outerBrow, pos(innerDrop)) + 1.5 * (g.lowerLid - r.lowerLid) -
    pos(smile(g, r) - SMILE_THRESHOLD)
  );
};

export const AU_RULES: Readonly<Record<(typeof ESTIMATED_AUS)[number], Rule>> = {
  AU1: { raw: (g, r) => g.innerBrow - r.innerBrow, threshold: 0.08, subjectThreshold: 0.04 },
  AU2: { raw: (g, r) => g.outerBrow - r.outerBrow, threshold: 0.05, subjectThreshold: 0.025 },
  AU4: { raw: browLowering, threshold: 0.03 },
  AU5: { raw: (g, r) => g.upperLid - r.upperLid, threshold: 0.04 },
  // The smile's share is capped: AU6 needs some eye narrowing of its own.
  AU6: { raw: (g, r) => narrowing(g, r) + 0.5 * Math.min(smile(g, r) - SMILE_THRESHOLD, 0.04), threshold: 0.03 },
  AU7: { raw: (g, r) => narrowing(g, r) - 0.5 * pos(smile(g, r) - SMILE_THRESHOLD), threshold: 0.035 },
  AU12: { raw: (g, r) => smile(g, r), threshold: SMILE_THRESHOLD },
  AU15: { raw: (g, r) => r.cornerVsCentre - g.cornerVsCentre - pos(smile(g, r)), threshold: 0.065, subjectThreshold: 0.02 },
  AU20: { raw: (g, r) => g.mouthWidth - r.mouthWidth - 5 * pos(g.cornerVsCentre - r.cornerVsCentre), threshold: 0.08, subjectThreshold: 0.04 },
  AU25: { raw: (g, r) => g.innerLipGap - r.innerLipGap, threshold: 0.025 },
  // The nose-to-chin length varies a lot between people, so it only counts against the subject's own baseline.
  AU26: { raw: (g, r, baseline) => Math.max(g.mouthDrop - r.mouthDrop, baseline ? 1.5 * (g.jaw - r.jaw) : -Infinity), threshold: 0.07 },
  AU43: { raw: (g, r) => (r.eyeOpen - g.eyeOpen) / r.eyeOpen, threshold: 0.6 },
};

const SLOPE = 3;

function logistic(raw: number, threshold: number): number {
  // Score 0.5 at the threshold, ≈0.05 at raw = 0: the scale is a third of the threshold.
  const scale = Math.abs(threshold) / SLOPE;
  const s = 1 / (1 + Math.exp(-(raw - threshold) / scale));
  return Math.round(s * 1000) / 1000;
}

/** Reference geometry from a subject's neutral image, to pass back as `baseline`. */
export function baselineFromLandmarks(landmarks: Pt[]): Reference {
  const { iod: _iod, roll: _roll, ...rest } = faceGeometry(landmarks);
  return rest;
}

/**
 * AU estimates for one face; `baseline` is the same subject's neutral geometry when known. Every measure is in
 * inter-ocular distances or ratios, so the estimates do not depend on the face's size in pixels.
 */
export function estimateAUs(landmarks: Pt[], baseline?: Reference | null): AUEstimates {
  const g = faceGeometry(landmarks);
  const ref = baseline ?? POPULATION_REFERENCE;
  const out: AUEstimates = {};
  for (const au of ESTIMATED_AUS) {
    const rule = AU_RULES[au];
    const raw = rule.raw(g, ref, !!baseline);
    const threshold = baseline ? (rule.subjectThreshold ?? rule.threshold) : rule.threshold;
    const score = Number.isFinite(raw) ? logistic(raw, threshold) : 0;
    out[au] = { score, present: Number.isFinite(raw) && raw >= threshold };
  }
  return out;
}

/** Present AUs, in AU-number order. */
export function presentAUs(estimates: AUEstimates): string[] {
  return Object.entries(estimates)
    .filter(([, e]) => e.present)
    .map(([au]) => au)
    .sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)));
}
