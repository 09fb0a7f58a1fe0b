/** Keys a user names (import fields, split parts) become own data, never an object's prototype or a global one. */
import { parseFacialR1Line } from '../../pipelines/formats';
import { toFacialR1Line } from '../../pipelines/formats/facial-r1-export';
import { computeSplit, parseRatios, summarise } from '../../pipelines/splits';

const vocab = { emotions: new Set(['anger', 'happiness', 'neutral']) };

test('an imported line with "__proto__" and "constructor" fields keeps them as fields and writes them back on export', () => {
  const line = '{"id":"x","image":"a.png","labels":["happiness"],"description":"d","__proto__":{"polluted":1},"constructor":"c"}';
  const out = parseFacialR1Line(line, 1, '/data', vocab);
  expect(out.kind).toBe('record');
  if (out.kind !== 'record') return;
  const extra = out.record.meta.extra as Record<string, unknown>;
  expect(Object.getPrototypeOf(extra)).toBe(Object.prototype);
  expect(Object.hasOwn(extra, '__proto__')).toBe(true);
  expect(extra.constructor).toBe('c');
  const written = JSON.parse(
    toFacialR1Line({
      id: 'x', dataset: null, image: 'a.png', question: 'q', emotion: 'happiness', aus: [], description: 'd', subject: null, metaInfo: {},
      provenance: { revision_id: null, author: null, kind: null, source: null }, extra,
    }),
  );
  expect(Object.hasOwn(written, '__proto__')).toBe(true);
  expect(written.constructor).toBe('c');
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

test('split part names are refused when they could walk a prototype or name a hidden file; parts are counted in Maps', () => {
  expect(() => parseRatios('__proto__=0.5,test=0.5')).toThrow(/part name "__proto__"/);
  expect(() => parseRatios('..=0.5,test=0.5')).toThrow(/part name "\.\."/);
  expect(() => parseRatios(Array.from({ length: 11 }, (_, i) => `p${i}=1`).join(','))).toThrow(/at most 10 parts/);
  const items = ['a', 'b', 'c', 'd'].map((id) => ({ id, label: id === 'a' ? 'constructor' : 'happiness', subject: null }));
  const r = computeSplit(items, { ratios: parseRatios('constructor=0.5,valueOf=0.5'), stratify: true, group: false, seed: 1 });
  expect(r.parts['constructor'].n + r.parts['valueOf'].n).toBe(4);
  const s = summarise(items, new Map(items.map((i) => [i.id, 'constructor'])), ['constructor']);
  expect(s.parts['constructor']).toEqual({ n: 4, byEmotion: { constructor: 1, happiness: 3 } });
  expect(s.fractions).toEqual({ constructor: 1 });
});

test('a 10-part split over 10,000 records stays well under a second of synchronous work', () => {
  const items = Array.from({ length: 10_000 }, (_, i) => ({ id: `r${i}`, label: ['anger', 'happiness', 'neutral'][i % 3], subject: `s${i % 1000}` }));
  const ratios = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`p${i}`, 0.1]));
  const t0 = performance.now();
  const r = computeSplit(items, { ratios, stratify: true, group: true, seed: 1 });
  expect(performance.now() - t0).toBeLessThan(1500);
  expect(r.assignments.size).toBe(10_000);
  expect(() => computeSplit(items, { ratios: Object.fromEntries(Array.from({ length: 4000 }, (_, i) => [`p${i}`, 1])), stratify: true, group: true, seed: 1 })).toThrow(/at most 10 parts/);
});
