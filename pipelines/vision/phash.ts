/** DCT perceptual hash (the pHash / imagehash recipe) for near-duplicate detection. */

const N = 32;
const K = 8;

let cosTable: Float64Array | null = null;
function cosines(): Float64Array {
  if (!cosTable) {
    cosTable = new Float64Array(K * N);
    for (let u = 0; u < K; u++) for (let x = 0; x < N; x++) cosTable[u * N + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * N));
  }
  return cosTable;
}

/**
 * 64-bit hash of a 32×32 grayscale image (row-major): the 8×8 lowest DCT-II frequencies,
 * each bit = coefficient above the median of those 64. Returns 16 hex digits.
 */
export function phashFromGray32(gray: ArrayLike<number>): string {
  if (gray.length !== N * N) throw new Error(`phash needs ${N}×${N} pixels, got ${gray.length}`);
  const c = cosines();
  // Separable DCT: rows first (only the K lowest frequencies are needed), then columns.
  const rows = new Float64Array(N * K);
  for (let y = 0; y < N; y++) {
    for (let u = 0; u < K; u++) {
      let s = 0;
      for (let x = 0; x < N; x++) s += gray[y * N + x] * c[u * N + x];
      rows[y * K + u] = s;
    }
  }
  const coeffs = new Float64Array(K * K);
  for (let v = 0; v < K; v++) {
    for (let u = 0; u < K; u++) {
      let s = 0;
      for (let y = 0; y < N; y++) s += rows[y * K + u] * c[v * N + y];
      coeffs[v * K + u] = s;
    }
  }
  const sorted = [...coeffs].sort((a, b) => a - b);
  const median = (sorted[31] + sorted[32]) / 2;
  let hex = '';
  for (let nib = 0; nib < 16; nib++) {
    let v = 0;
    for (let b = 0; b < 4; b++) v = (v << 1) | (coeffs[nib * 4 + b] > median ? 1 : 0);
    hex += v.toString(16);
  }
  return hex;
}

const POPCOUNT = Array.from({ length: 16 }, (_, i) => (i & 1) + ((i >> 1) & 1) + ((i >> 2) & 1) + ((i >> 3) & 1));

/** Number of differing bits between two hex hashes of equal length. Near-duplicates: ≤ 10 of 64. */
export function hammingDistance(a: string, b: string): number {
  if (a.length !== b.length) throw new Error(`hash lengths differ: ${a.length} vs ${b.length}`);
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    const x = parseInt(a[i], 16) ^ parseInt(b[i], 16);
    if (Number.isNaN(x)) throw new Error(`not a hex hash: ${a} / ${b}`);
    d += POPCOUNT[x];
  }
  return d;
}

export const NEAR_DUPLICATE_DISTANCE = 10;
