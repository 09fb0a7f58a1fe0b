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
 * Every pair at distance ≤ threshold, through m = threshold + 1 exact-match substring indexes. Each index orders
 * the hashes by one substring (a counting sort for substrings up to 20 bits), so buckets are runs of equal values,
 * and copies the hashes into that order so verifying a bucket reads memory in sequence. A pair sharing several
 * substrings is counted once: in the first substring it shares (checked only for the rare pairs that pass).
 */
export function nearPairs(h: Hashes64, threshold: number): NearPairsResult {
  if (!Number.isInteger(threshold) || threshold < 0 || threshold > 63) throw new Error(`threshold must be 0–63, got ${threshold}`);
  const n = h.hi.length;
  if (n > 2 ** 21) throw new Error(`at most ${2 ** 21} hashes, got ${n}`);
  if (threshold === 0) return exactPairs(h);
  const widths = substringWidths(threshold + 1);
  const starts = widths.map((_, s) => widths.slice(0, s).reduce((a, b) => a + b, 0));
  const pairs: NearPair[] = [];
  let candidates = 0;
  const keys = new Uint32Array(n);
  const order = new Uint32Array(n);
  const sHi = new Uint32Array(n);
  const sLo = new Uint32Array(n);
  const firstShared = (i: number, j: number): number => {
    for (let e = 0; e < widths.length; e++) if (bits(h.hi[i], h.lo[i], starts[e], widths[e]) === bits(h.hi[j], h.lo[j], starts[e], widths[e])) return e;
    return -1;
  };
  for (let s = 0; s < widths.length; s++) {
    for (let i = 0; i < n; i++) keys[i] = bits(h.hi[i], h.lo[i], starts[s], widths[s]);
    sortByKey(keys, order, widths[s]);
    for (let x = 0; x < n; x++) {
      sHi[x] = h.hi[order[x]];
      sLo[x] = h.lo[order[x]];
    }
    let runStart = 0;
    while (runStart < n) {
      const key = keys[order[runStart]];
      let runEnd = runStart + 1;
      while (runEnd < n && keys[order[runEnd]] === key) runEnd++;
      for (let x = runStart; x < runEnd; x++) {
        const hx = sHi[x];
        const lx = sLo[x];
        for (let y = x + 1; y < runEnd; y++) {
          candidates++;
          const d = popcount32((hx ^ sHi[y]) >>> 0) + popcount32((lx ^ sLo[y]) >>> 0);
          if (d > threshold) continue;
          const i = order[x];
          const j = order[y];
          if (firstShared(i, j) !== s) continue;
          pairs.push(i < j ? { a: i, b: j, distance: d } : { a: j, b: i, distance: d });
        }
      }
      runStart = runEnd;
    }
  }
  return { pairs, candidates };
}

/** order := 0..n−1 sorted by keys (stable). Counting sort for narrow keys, else one float64 sort of key·2^21 + index. */
function sortByKey(keys: Uint32Array, order: Uint32Array, width: number): void {
  const n = keys.length;
  if (width <= 20) {
    const offsets = new Uint32Array(2 ** width + 1);
    for (let i = 0; i < n; i++) offsets[keys[i] + 1]++;
    for (let k = 1; k < offsets.length; k++) offsets[k] += offsets[k - 1];
    for (let i = 0; i < n; i++) order[offsets[keys[i]]++] = i;
    return;
  }
  const SHIFT = 2 ** 21;
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = keys[i] * SHIFT + i;
  packed.sort();
  for (let x = 0; x < n; x++) order[x] = packed[x] % SHIFT;
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
