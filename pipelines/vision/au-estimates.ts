/**
 * Geometric AU estimates from 68 landmarks. These are estimates, not an AU detector: see AU-ESTIMATES.md
 * for each formula, the landmarks it reads and how the thresholds were set.
 */
import { faceGeometry, type FaceGeometry, type Pt } from './geometry';

export const GEOMETRIC_AU_VERSION = 'geometric-au/3';

export interface AUEstimate {
  score: number;
  present: boolean;
}
export type AUEstimates = Record<string, AUEstimate>;

export const ESTIMATED_AUS = ['AU1', 'AU2', 'AU4', 'AU5', 'AU6', 'AU7', 'AU12', 'AU15', 'AU20', 'AU25', 'AU26', 'AU43'] as const;

/**
 * Population reference: medians over the frontal-ish faces of face-api's demo photos that its expression net
 * calls neutral or has no strong expression for. Used when the subject has no neutral image.
 */
export const POPULATION_REFERENCE: Readonly<Omit<FaceGeometry, 'iod' | 'roll'>> = {
  innerBrow: 0.36,
  outerBrow: 0.31,
  browGap: 0.55,
  eyeOpen: 0.32,
  upperLid: 0.18,
  lowerLid: 0.145,
  cornerLift: 0.03,
  cornerVsCentre: 0.08,
  mouthWidth: 0.8,
  lipGap: 0.05,
  jaw: 1.0,
};

export type Reference = Omit<FaceGeometry, 'iod' | 'roll'>;

/**
 * Small faces (inter-ocular distance under `maxIod` image pixels: 48-px crops have 15–22) read differently: the
 * landmark net pulls them towards its mean shape, so their neutral geometry and the size of a visible movement differ
 * from those of photos. Without a subject baseline they are measured against this reference (medians of the neutral
 * faces of a FER2013 sample, 48×48 in-the-wild crops) with these thresholds (chosen on that sample, checked on another
 * half of it: AU-ESTIMATES.md §7). Other AUs keep their thresholds.
 */
export const LOW_RES = {
  maxIod: 32,
  reference: {
    innerBrow: 0.34,
    outerBrow: 0.295,
    browGap: 0.559,
    eyeOpen: 0.309,
    upperLid: 0.17,
    lowerLid: 0.14,
    cornerLift: -0.012,
    cornerVsCentre: 0.048,
    mouthWidth: 0.776,
    lipGap: 0.056,
    jaw: 0.923,
  } satisfies Reference as Readonly<Reference>,
  thresholds: { AU4: 0.04, AU12: 0.07, AU25: 0.04 } as Readonly<Partial<Record<(typeof ESTIMATED_AUS)[number], number>>>,
} as const;

interface Rule {
  /** The raw measure: larger = more of the AU. */
  raw: (g: FaceGeometry, r: Reference, baseline: boolean) => number;
  /** raw at which the AU counts as present (score 0.5), against the population reference. */
  threshold: number;
  /**
   * The same against the subject's own neutral image, where the between-person spread is gone (measured on
   * the synthetic demo faces, see AU-ESTIMATES.md §5). Defaults to `threshold`.
   */
  subjectThreshold?: number;
}

const pos = (v: number) => Math.max(0, v);
const smile = (g: FaceGeometry, r: Reference) => g.mouthWidth - r.mouthWidth + 0.5 * (g.cornerVsCentre - r.cornerVsCentre);
const SMILE_THRESHOLD = 0.09;
const narrowing = (g: FaceGeometry, r: Reference) => r.lowerLid - g.lowerLid + 0.5 * (r.eyeOpen - g.eyeOpen);

export const AU_RULES: Readonly<Record<(typeof ESTIMATED_AUS)[number], Rule>> = {
  AU1: { raw: (g, r) => g.innerBrow - r.innerBrow, threshold: 0.08, subjectThreshold: 0.04 },
  AU2: { raw: (g, r) => g.outerBrow - r.outerBrow, threshold: 0.07, subjectThreshold: 0.025 },
  AU4: { raw: (g, r) => r.innerBrow - g.innerBrow + 0.5 * (r.browGap - g.browGap), threshold: 0.07 },
  AU5: { raw: (g, r) => g.upperLid - r.upperLid, threshold: 0.06 },
  // The smile's share is capped below the threshold: AU6 needs some eye narrowing of its own.
  AU6: { raw: (g, r) => narrowing(g, r) + 0.5 * Math.min(smile(g, r) - SMILE_THRESHOLD, 0.04), threshold: 0.03 },
  AU7: { raw: (g, r) => narrowing(g, r) - 0.5 * pos(smile(g, r) - SMILE_THRESHOLD), threshold: 0.05 },
  AU12: { raw: (g, r) => smile(g, r), threshold: SMILE_THRESHOLD },
  AU15: { raw: (g, r) => r.cornerVsCentre - g.cornerVsCentre - pos(smile(g, r)), threshold: 0.07, subjectThreshold: 0.02 },
  AU20: { raw: (g, r) => g.mouthWidth - r.mouthWidth - 3 * pos(g.cornerVsCentre - r.cornerVsCentre), threshold: 0.1, subjectThreshold: 0.04 },
  AU25: { raw: (g, r) => g.lipGap - r.lipGap, threshold: 0.07 },
  // The nose-to-chin length varies a lot between people, so it only counts against the subject's own baseline.
  AU26: { raw: (g, r, baseline) => Math.max(g.lipGap - r.lipGap, baseline ? 1.5 * (g.jaw - r.jaw) : -Infinity), threshold: 0.2 },
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
 * AU estimates for one face; `baseline` is the same subject's neutral geometry when known. Landmarks in the
 * image's own pixels: the face's size there picks the population reference (see LOW_RES).
 */
export function estimateAUs(landmarks: Pt[], baseline?: Reference | null): AUEstimates {
  const g = faceGeometry(landmarks);
  const lowRes = !baseline && g.iod < LOW_RES.maxIod;
  const ref = baseline ?? (lowRes ? LOW_RES.reference : POPULATION_REFERENCE);
  const out: AUEstimates = {};
  for (const au of ESTIMATED_AUS) {
    const rule = AU_RULES[au];
    const raw = rule.raw(g, ref, !!baseline);
    const threshold = baseline ? (rule.subjectThreshold ?? rule.threshold) : ((lowRes ? LOW_RES.thresholds[au] : undefined) ?? rule.threshold);
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
