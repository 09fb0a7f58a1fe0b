/**
 * Near-duplicate search over 64-bit perceptual hashes without comparing every pair: multi-index hashing
 * (Norouzi, Punjani & Fleet). The 64 bits are cut into m = threshold + 1 disjoint substrings; two hashes at
 * Hamming distance ≤ threshold agree exactly on at least one substring (pigeonhole), so only hashes sharing a
 * substring bucket are candidates, and each candidate is verified by its full distance.
 */

/** 64-bit hashes as two 32-bit halves (hi = the first 8 hex digits). */
export interface Hashes64 {
  hi: Uint32Array;
  lo: Uint32Array;
}

export interface NearPair {
  /** Indices into the hashes, a < b. */
  a: number;
  b: number;
  distance: number;
}

export interface NearPairsResult {
  pairs: NearPair[];
  /** Pairs whose full distance was computed (brute force: n(n−1)/2). */
  candidates: number;
}

const HEX64 = /^[0-9a-fA-F]{16}$/;

export function isHash64(hex: string): boolean {
  return HEX64.test(hex);
}

/** Packs 16-hex-digit hashes; throws naming the first bad one. */
export function packHashes(hexes: readonly string[]): Hashes64 {
  const hi = new Uint32Array(hexes.length);
  const lo = new Uint32Array(hexes.length);
  hexes.forEach((h, i) => {
    if (!HEX64.test(h)) throw new Error(`hash ${i} "${h.slice(0, 20)}" is not 16 hex digits`);
    hi[i] = parseInt(h.slice(0, 8), 16) >>> 0;
    lo[i] = parseInt(h.slice(8), 16) >>> 0;
  });
  return { hi, lo };
}

export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export function hamming64(h: Hashes64, i: number, j: number): number {
  return popcount32((h.hi[i] ^ h.hi[j]) >>> 0) + popcount32((h.lo[i] ^ h.lo[j]) >>> 0);
}

/** Bits [start, start + width) of the 64-bit value, counted from the most significant; width ≤ 32. */
function bits(hi: number, lo: number, start: number, width: number): number {
  const end = start + width;
  let v = 0;
  if (start < 32) {
    const take = Math.min(end, 32) - start;
    v = (hi >>> (32 - start - take)) & (take === 32 ? 0xffffffff : (1 << take) - 1);
    v >>>= 0;
  }
  if (end > 32) {
    const from = Math.max(start, 32) - 32;
    const take = end - 32 - from;
    const part = (lo >>> (32 - from - take)) & (take === 32 ? 0xffffffff : (1 << take) - 1);
    v = v * 2 ** take + (part >>> 0);
  }
  return v;
}

/** Substring widths: 64 bits cut into m nearly equal pieces. */
export function substringWidths(m: number): number[] {
  if (!Number.isInteger(m) || m < 1 || m > 64) throw new Error(`substrings must be 1–64, got ${m}`);
  return Array.from({ length: m }, (_, i) => Math.floor(64 / m) + (i < 64 % m ? 1 : 0));
}

/** Every pair at distance ≤ threshold by comparing all pairs (the reference the index is tested against). */
export function bruteForceNearPairs(h: Hashes64, threshold: number): NearPairsResult {
  const n = h.hi.length;
  const pairs: NearPair[] = [];
  for (let a = 0; a < n; a++) {
    const ha = h.hi[a];
    const la = h.lo[a];
    for (let b = a + 1; b < n; b++) {
      const d = popcount32((ha ^ h.hi[b]) >>> 0) + popcount32((la ^ h.lo[b]) >>> 0);
      if (d <= threshold) pairs.push({ a, b, distance: d });
    }
  }
  return { pairs, candidates: (n * (n - 1)) / 2 };
}

/**
 * Every pair at distance ≤ threshold, through m = threshold + 1 exact-match substring indexes. Each index is one
 * sort of (substring value, index) packed into a float64 (values ≤ 32 bits, indices < 2^21), so buckets are runs
 * of equal values. A pair sharing several substrings is verified once: in the first substring it shares.
 */
export function nearPairs(h: Hashes64, threshold: number): NearPairsResult {
  if (!Number.isInteger(threshold) || threshold < 0 || threshold > 63) throw new Error(`threshold must be 0–63, got ${threshold}`);
  const n = h.hi.length;
  if (n > 2 ** 21) throw new Error(`at most ${2 ** 21} hashes, got ${n}`);
  if (threshold === 0) return exactPairs(h);
  const widths = substringWidths(threshold + 1);
  const keys = widths.map(() => new Uint32Array(n));
  let start = 0;
  widths.forEach((w, s) => {
    for (let i = 0; i < n; i++) keys[s][i] = bits(h.hi[i], h.lo[i], start, w);
    start += w;
  });
  const pairs: NearPair[] = [];
  let candidates = 0;
  const packed = new Float64Array(n);
  const SHIFT = 2 ** 21;
  for (let s = 0; s < widths.length; s++) {
    const k = keys[s];
    for (let i = 0; i < n; i++) packed[i] = k[i] * SHIFT + i;
    packed.sort();
    let runStart = 0;
    while (runStart < n) {
      const key = Math.floor(packed[runStart] / SHIFT);
      let runEnd = runStart + 1;
      while (runEnd < n && Math.floor(packed[runEnd] / SHIFT) === key) runEnd++;
      for (let x = runStart; x < runEnd; x++) {
        const a0 = packed[x] - key * SHIFT;
        for (let y = x + 1; y < runEnd; y++) {
          const b0 = packed[y] - key * SHIFT;
          let seen = false;
          for (let e = 0; e < s && !seen; e++) seen = keys[e][a0] === keys[e][b0];
          if (seen) continue;
          candidates++;
          const d = hamming64(h, a0, b0);
          if (d <= threshold) pairs.push(a0 < b0 ? { a: a0, b: b0, distance: d } : { a: b0, b: a0, distance: d });
        }
      }
      runStart = runEnd;
    }
  }
  return { pairs, candidates };
}

/** Threshold 0: one substring of 64 bits, i.e. equal hashes. */
function exactPairs(h: Hashes64): NearPairsResult {
  const byHash = new Map<string, number[]>();
  for (let i = 0; i < h.hi.length; i++) {
    const key = `${h.hi[i]}:${h.lo[i]}`;
    const list = byHash.get(key);
    if (list) list.push(i);
    else byHash.set(key, [i]);
  }
  const pairs: NearPair[] = [];
  let candidates = 0;
  for (const list of byHash.values()) {
    for (let x = 0; x < list.length; x++) for (let y = x + 1; y < list.length; y++) {
      candidates++;
      pairs.push({ a: list[x], b: list[y], distance: 0 });
    }
  }
  return { pairs, candidates };
}
