/** Pure helpers for a finished run's result line: before → after values and which way they moved. */

export type Direction = 'up' | 'down' | 'same';

/** Which way `to` moved from `from`, judged on the values as shown (`digits` decimals): a change hidden by rounding is 'same'. */
export function direction(from: number, to: number, digits = 3): Direction {
  const a = Number(from.toFixed(digits));
  const b = Number(to.toFixed(digits));
  return b > a ? 'up' : b < a ? 'down' : 'same';
}

/** Fixed decimals, '–' for a missing value. */
export function fixed(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits);
}

/** Where the "model" label sits beside the selected step's line: left of it in the right half of the axis, so it is not clipped. */
export function markerLabelSide(step: number, firstStep: number, lastStep: number): 'insideTopLeft' | 'insideTopRight' {
  return lastStep > firstStep && (step - firstStep) / (lastStep - firstStep) > 0.5 ? 'insideTopRight' : 'insideTopLeft';
}
