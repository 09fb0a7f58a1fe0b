/**
 * JSON.stringify of many objects that share one shape and most of their text (the engine exports' ~1 KB prompt in
 * every line): the shape is stringified once with marker strings in the variable places, and each line is the
 * constant text between the markers with only the variable values stringified. The text is JSON.stringify's own, so
 * a line is byte-identical to JSON.stringify of the object (tests/unit/engine-lines.test.ts checks this on many records).
 */

const mark = (i: number) => `\u0000${i}\u0000`;
/** A marker as JSON.stringify writes it: a quoted string of escaped NULs around its number. */
const MARK_RE = /"\\u0000(\d+)\\u0000"/g;

/** Where a line's bytes go: constant parts as encoded once, variable parts as text. */
export interface LineSink {
  bytes(b: Uint8Array): void;
  text(s: string): void;
}

export class JsonTemplate<K extends string> {
  /** Constant text around the slots, pieces.length === order.length + 1; null when the shape would not split cleanly. */
  private readonly pieces: string[] | null = null;
  /** The pieces in UTF-8, for writing lines as bytes. */
  private readonly encoded: Buffer[] = [];
  private readonly order: K[] = [];

  constructor(
    private readonly build: (values: Record<K, unknown>) => unknown,
    keys: readonly K[],
  ) {
    const marks = Object.fromEntries(keys.map((k, i) => [k, mark(i)])) as Record<K, unknown>;
    const text = JSON.stringify(build(marks));
    const pieces: string[] = [];
    const seen = new Set<number>();
    let last = 0;
    for (const m of text.matchAll(MARK_RE)) {
      const i = Number(m[1]);
      if (i >= keys.length || seen.has(i)) return;
      seen.add(i);
      pieces.push(text.slice(last, m.index));
      this.order.push(keys[i]);
      last = m.index! + m[0].length;
    }
    // every slot exactly once, or the plain JSON.stringify path (a constant that held a NUL could fake a marker)
    if (seen.size !== keys.length) return;
    pieces.push(text.slice(last));
    this.pieces = pieces;
    this.encoded = pieces.map((p) => Buffer.from(p, 'utf8'));
  }

  /** Whether lines are built from the constant text (false: each is a plain JSON.stringify). */
  get compiled(): boolean {
    return this.pieces !== null;
  }

  /** JSON.stringify(build(values)); every slot value must be what stringify writes in place (a string, number or array). */
  line(values: Record<K, unknown>): string {
    const p = this.pieces;
    if (p === null) return JSON.stringify(this.build(values));
    let s = p[0];
    for (let i = 0; i < this.order.length; i++) s += JSON.stringify(values[this.order[i]]) + p[i + 1];
    return s;
  }

  /** The same line (with `end` after it) written to `sink`: the constant text as the bytes encoded once. */
  write(values: Record<K, unknown>, sink: LineSink, end: string): void {
    if (this.pieces === null) {
      sink.text(JSON.stringify(this.build(values)) + end);
      return;
    }
    const e = this.encoded;
    sink.bytes(e[0]);
    const n = this.order.length;
    for (let i = 0; i < n; i++) {
      sink.text(JSON.stringify(values[this.order[i]]));
      sink.bytes(e[i + 1]);
    }
    if (end !== '') sink.text(end);
  }
}
