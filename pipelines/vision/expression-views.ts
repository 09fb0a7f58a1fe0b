/** The augmented views of a face whose expression features analysis can store (no TensorFlow here: the CLI reads it). */

/** One augmented view: mirrored or not, rotated (degrees), the face box scaled about its centre, then gain·v + bias (0–255). */
export interface ExpressionView {
  flip: boolean;
  degrees: number;
  scale: number;
  gain: number;
  bias: number;
}

/**
 * View 0 is the analysed face. The rest are the variations photos bring: a mirror (left and right sides swap), small
 * rotations and scale changes, brighter and darker, higher and lower contrast. Fixed, so a view index means the same
 * thing in every workspace.
 */
export const EXPRESSION_VIEWS: readonly ExpressionView[] = [
  { flip: false, degrees: 0, scale: 1, gain: 1, bias: 0 },
  { flip: true, degrees: 0, scale: 1, gain: 1, bias: 0 },
  { flip: false, degrees: 8, scale: 1.1, gain: 0.8, bias: 20 },
  { flip: true, degrees: -8, scale: 0.92, gain: 1.2, bias: -15 },
];

/**
 * Views analysis computes unless told otherwise: the face and its mirror, in one batch of the expression net
 * (decoding reads their mean, PolicyConfig.expressionDecodeViews; TRAINING.md §8). Each further view costs about
 * as much again as the expression net (TRAINING.md §6).
 */
export const DEFAULT_EXPRESSION_VIEWS = 2;
