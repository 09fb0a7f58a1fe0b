/**
 * Seeded randomness for training: initialisation, shuffling, augmentation, condition dropout and sampling.
 * The state is four uint32 words, so checkpoints can save it and a resumed run draws the same numbers.
 */
export class Rng {
  private s: Uint32Array;

  constructor(seed: number | number[]) {
    this.s = new Uint32Array(4);
    if (Array.isArray(seed)) {
      this.s.set(seed.map((x) => x >>> 0));
    } else {
      // splitmix32 expands one seed into four well-mixed words
      let x = seed >>> 0;
      for (let i = 0; i < 4; i++) {
        x = (x + 0x9e3779b9) >>> 0;
        let z = x;
        z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
        z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
        this.s[i] = (z ^ (z >>> 16)) >>> 0;
      }
    }
    if (this.s.every((w) => w === 0)) this.s[0] = 1;
  }

  /** sfc32: uniform in [0, 1). */
  next(): number {
    const s = this.s;
    const t = (((s[0] + s[1]) >>> 0) + s[3]) >>> 0;
    s[3] = (s[3] + 1) >>> 0;
    s[0] = s[1] ^ (s[1] >>> 9);
    s[1] = (s[2] + (s[2] << 3)) >>> 0;
    s[2] = ((s[2] << 21) | (s[2] >>> 11)) >>> 0;
    s[2] = (s[2] + t) >>> 0;
    return t / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  normal(): number {
    const u = Math.max(this.next(), 1e-12);
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  /** Index drawn from unnormalised non-negative weights. */
  categorical(weights: ArrayLike<number>, offset = 0, length = weights.length - offset): number {
    let total = 0;
    for (let i = 0; i < length; i++) total += weights[offset + i];
    let r = this.next() * total;
    for (let i = 0; i < length; i++) {
      r -= weights[offset + i];
      if (r < 0) return i;
    }
    return length - 1;
  }

  getState(): number[] {
    return Array.from(this.s);
  }

  setState(state: number[]): void {
    this.s = Uint32Array.from(state.map((x) => x >>> 0));
  }
}
