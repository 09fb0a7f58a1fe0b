/**
 * How many parts a split may have and what a part may be called. Part names become file names on export and keys
 * of summaries, so they are short words that cannot be `.`/`..`, hidden files or flags; the part count bounds the
 * assignment loop (groups × parts × labels) that runs in one request.
 */
export const MAX_SPLIT_PARTS = 10;
export const MAX_PART_NAME_LENGTH = 32;
export const PART_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Why a part name is refused, or null when it is fine. */
export function partNameProblem(name: string): string | null {
  if (name.length > MAX_PART_NAME_LENGTH) return `part name "${name.slice(0, MAX_PART_NAME_LENGTH)}…" is longer than ${MAX_PART_NAME_LENGTH} characters`;
  if (!PART_NAME_PATTERN.test(name)) return `part name "${name}" must start with a letter or digit and hold only letters, digits, "_", "." and "-"`;
  return null;
}

/** Throws when the parts are too many or one is badly named. */
export function checkPartNames(names: readonly string[]): void {
  if (names.length > MAX_SPLIT_PARTS) throw new Error(`a split has at most ${MAX_SPLIT_PARTS} parts, got ${names.length}`);
  for (const n of names) {
    const problem = partNameProblem(n);
    if (problem) throw new Error(problem);
  }
}

/** Ratios are fractions of the records: they must add up to 1 (within this), never silently rescaled. */
export const RATIO_SUM_TOLERANCE = 1e-6;

/** Why a set of ratios is refused for its sum, or null when it adds up to 1. */
export function ratioSumProblem(ratios: Readonly<Record<string, number>>): string | null {
  const values = Object.values(ratios);
  const sum = values.reduce((s, v) => s + v, 0);
  if (Math.abs(sum - 1) <= RATIO_SUM_TOLERANCE) return null;
  return `ratios must add up to 1, these add up to ${Number(sum.toPrecision(12))} (${Object.entries(ratios).map(([p, v]) => `${p}=${v}`).join(' + ')})`;
}

/**
 * pHash distance (of 64 bits) at or below which two images count as near-duplicates. Chosen from bench/near-dup.ts:
 * see pipelines/splits/LEAKAGE.md for the measurements.
 */
export const DEFAULT_NEAR_DUP_THRESHOLD = 4;
/**
 * Above this the multi-index hash's substrings are 4 bits or fewer, so its candidates approach all pairs (at 100k
 * hashes it is only 4.6× faster than brute force at 10: LEAKAGE.md), and chains of distinct faces would swamp --fix.
 */
export const MAX_NEAR_DUP_THRESHOLD = 12;
