/** The fast engine lines are byte for byte JSON.stringify of the record objects (engine-records.ts), for many records. */
import { EngineLineEncoder, easyR1Record, llamaFactoryRecord, trlGrpoRecord, trlSftRecord, type EngineLineKind, type EngineRecord } from '../../pipelines/formats/engine-records';
import { JsonTemplate, type LineSink } from '../../pipelines/formats/json-template';
import { facialR1Prompt } from '../../pipelines/formats/prompt';

const OBJECTS: Record<EngineLineKind, (r: EngineRecord) => unknown> = {
  'llama-factory': llamaFactoryRecord,
  'trl-sft': trlSftRecord,
  'trl-grpo': trlGrpoRecord,
  easyr1: easyR1Record,
};

/** A small seeded generator (mulberry32), so a failure names a record that can be made again. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['', 'a', ' ', '"', '\\', '\n', '\t', '\u0000', '\u001f', '\u2028', 'é', 'Ünïcode ✓', '😀', '\ud800', '\udfff', '</think>', '<think>', '<answer>x</answer>', '<image>', '{"k":1}', 'AU12'];
const AUS = ['AU1', 'AU2', 'AU4', 'AU6', 'AU12', 'AU25', 'AU43', 'AUx'];
const EMOTIONS = ['anger', 'happiness', 'Neutral', 'fear "quoted"', 'ünïcode'];

function text(next: () => number, max: number): string {
  let s = '';
  const n = Math.floor(next() * max);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(next() * PIECES.length)];
  return s;
}

function records(n: number): EngineRecord[] {
  const next = rng(14);
  const prompts = [facialR1Prompt('What is the emotion of this face?', ['anger', 'happiness']), facialR1Prompt('Wie fühlt sich "die Person"? \\ ✓', EMOTIONS), text(next, 20), ''];
  const out: EngineRecord[] = [];
  for (let i = 0; i < n; i++) {
    const emotion = EMOTIONS[Math.floor(next() * EMOTIONS.length)];
    const aus = next() < 0.3 ? [] : AUS.filter(() => next() < 0.3);
    const kind = next();
    // empty, blank, well-formed, plain text and odd reasoning
    const reasoning = kind < 0.3 ? '' : kind < 0.4 ? '  \n' : kind < 0.6 ? `<think>${text(next, 6)} (AU6)</think><answer>${emotion}</answer>` : text(next, 12);
    out.push({ id: `r${i}${text(next, 2)}`, source: next() < 0.2 ? null : text(next, 3), prompt: prompts[i % prompts.length], emotion, aus, reasoning, image: `images/${text(next, 3)}/${i}.png`, part: 'train', index: i });
  }
  return out;
}

/** Collects what a line writes, as the export file gets it. */
class Bytes implements LineSink {
  parts: Buffer[] = [];
  bytes(b: Uint8Array): void {
    this.parts.push(Buffer.from(b));
  }
  text(s: string): void {
    this.parts.push(Buffer.from(s, 'utf8'));
  }
  take(): Buffer {
    const b = Buffer.concat(this.parts);
    this.parts = [];
    return b;
  }
}

test.each(Object.keys(OBJECTS) as EngineLineKind[])('%s: 5,000 lines, as text and as bytes, each JSON.stringify of its record object', (kind) => {
  const encoder = new EngineLineEncoder(kind);
  const sink = new Bytes();
  for (const r of records(5000)) {
    const plain = JSON.stringify(OBJECTS[kind](r));
    const fast = encoder.line(r);
    if (fast !== plain) throw new Error(`${kind}, record ${r.index}:\n${fast}\n!==\n${plain}`);
    encoder.write(r, sink, '\n');
    const bytes = sink.take();
    if (!bytes.equals(Buffer.from(`${plain}\n`, 'utf8'))) throw new Error(`${kind}, record ${r.index} as bytes:\n${bytes.toString('utf8')}\n!==\n${plain}`);
  }
});

test('a template whose constant text holds its own marker falls back to JSON.stringify, still identical', () => {
  const fake = '\u00000\u0000'; // what the first marker looks like before quoting
  const t = new JsonTemplate<'a' | 'b'>((v) => ({ c: fake, a: v.a, d: [`"${fake}"`], b: v.b }), ['a', 'b']);
  expect(t.compiled).toBe(false);
  for (const v of [{ a: 'x', b: ['AU1'] }, { a: '"\u0000', b: [] }]) expect(t.line(v)).toBe(JSON.stringify({ c: fake, a: v.a, d: [`"${fake}"`], b: v.b }));
});

test('slots may be any JSON value: numbers, arrays, nested quotes', () => {
  const t = new JsonTemplate<'n' | 's' | 'l'>((v) => ({ p: 'constant ✓ "q"', n: v.n, inner: { s: v.s, l: v.l } }), ['n', 's', 'l']);
  const v = { n: 3.5, s: 'a"b\\c', l: ['x', 'y"'] };
  expect(t.compiled).toBe(true);
  expect(t.line(v)).toBe(JSON.stringify({ p: 'constant ✓ "q"', n: v.n, inner: { s: v.s, l: v.l } }));
});
