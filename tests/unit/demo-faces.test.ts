import sharp from 'sharp';
import { DEFAULT_AUS, DEFAULT_EMOTIONS, checkReasoning, sortAUs } from '../../pipelines/facs';
import { generateDemoFaces, planDemoFaces } from '../../fixtures/demo/generate';
import { RENDERED_AUS, auRegion, mulberry32, renderFace, sampleIdentity, unitsToPixels } from '../../fixtures/demo';

jest.setTimeout(30_000);

/** Mean absolute grey-level change (0–255) inside the AU's region at 64 px, at the weakest sampled intensity. */
const MIN_REGION_DIFF = 3.5;
/** …and some pixel there changes by at least this much. */
const MIN_PIXEL_DIFF = 30;

const CORE: Record<string, string[]> = {
  anger: ['AU4', 'AU7', 'AU23'],
  disgust: ['AU9', 'AU10'],
  fear: ['AU1', 'AU2', 'AU4', 'AU20'],
  happiness: ['AU6', 'AU12'],
  neutral: [],
  sadness: ['AU1', 'AU4', 'AU15'],
  surprise: ['AU1', 'AU2'],
};

async function grey64(png: Buffer): Promise<Uint8Array> {
  const { data } = await sharp(png).resize(64, 64).greyscale().raw().toBuffer({ resolveWithObject: true });
  return new Uint8Array(data);
}

describe('demo faces', () => {
  test('the same seed gives the same bytes and labels; another seed gives other faces', async () => {
    const a = await generateDemoFaces({ n: 21, seed: 7 });
    const b = await generateDemoFaces({ n: 21, seed: 7 });
    const c = await generateDemoFaces({ n: 21, seed: 8 });
    expect(a.map((f) => f.id)).toEqual(Array.from({ length: 21 }, (_, i) => `demo-${String(i + 1).padStart(6, '0')}`));
    for (let i = 0; i < a.length; i++) {
      expect(Buffer.compare(a[i].png, b[i].png)).toBe(0);
      expect({ ...a[i], png: null }).toEqual({ ...b[i], png: null });
    }
    const samePng = a.filter((f, i) => Buffer.compare(f.png, c[i].png) === 0).length;
    expect(samePng).toBe(0);
    expect(a.map((f) => f.emotion + f.aus.join()).join()).not.toEqual(c.map((f) => f.emotion + f.aus.join()).join());
  });

  test('PNGs have the requested size', async () => {
    const [face] = await generateDemoFaces({ n: 1, seed: 1, size: 96 });
    const meta = await sharp(face.png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 96, 96]);
    expect(face.fileName).toBe('demo-000001.png');
  });

  test('labels are consistent: vocabulary, sorted AUs, core AUs, reasoning passes the Facial-R1 checks', () => {
    const specs = planDemoFaces(700, 3);
    const counts: Record<string, number> = {};
    let withNoise = 0;
    const problems: string[] = [];
    const fail = (s: { id: string }, why: string) => problems.push(`${s.id}: ${why}`);
    for (const s of specs) {
      if (!(DEFAULT_EMOTIONS as readonly string[]).includes(s.emotion)) fail(s, `emotion ${s.emotion}`);
      counts[s.emotion] = (counts[s.emotion] ?? 0) + 1;
      if (s.aus.join() !== sortAUs(s.aus).join()) fail(s, 'AUs not sorted');
      for (const au of s.aus) if (!DEFAULT_AUS.includes(au) || !(RENDERED_AUS as readonly string[]).includes(au)) fail(s, `AU ${au}`);
      if (Object.keys(s.intensities).join() !== s.aus.join()) fail(s, 'label AUs differ from rendered AUs');
      for (const au of CORE[s.emotion]) if (!s.aus.includes(au)) fail(s, `core ${au} missing`);
      if (s.emotion === 'neutral' && s.aus.length) withNoise++;
      if ((s.emotion === 'fear' || s.emotion === 'surprise') && !s.aus.some((au) => au === 'AU25' || au === 'AU26')) fail(s, 'mouth closed');
      for (const c of checkReasoning(s.reasoning, s.emotion, s.aus)) if (!c.ok) fail(s, c.message);
    }
    expect(problems).toEqual([]);
    for (const e of DEFAULT_EMOTIONS) expect(counts[e]).toBe(100);
    expect(withNoise).toBeGreaterThan(0);
    expect(withNoise).toBeLessThan(40);
    // Templates vary, but the vocabulary stays small enough for a word-level tokenizer.
    const words = new Set(specs.flatMap((s) => s.reasoning.toLowerCase().match(/[a-z]+|au\d+/g) ?? []));
    expect(new Set(specs.map((s) => s.reasoning.replace(/\(AU\d+\)/g, '').split(/[;,] /)[1])).size).toBeGreaterThan(1);
    expect(words.size).toBeLessThan(120);
  });

  test('several images per subject', () => {
    const specs = planDemoFaces(300, 11);
    const bySubject = new Map<string, number>();
    for (const s of specs) bySubject.set(s.identity.subject, (bySubject.get(s.identity.subject) ?? 0) + 1);
    const sizes = [...bySubject.values()];
    expect(sizes.slice(0, -1).every((k) => k >= 4 && k <= 8)).toBe(true);
    expect(bySubject.size).toBeGreaterThan(300 / 8);
    // Images of one subject show several emotions.
    const first = specs.filter((s) => s.identity.subject === specs[0].identity.subject);
    expect(new Set(first.map((s) => s.emotion)).size).toBeGreaterThan(1);
  });

  test('every AU is a visible deformation at 64 px', async () => {
    const diffs: { seed: number; au: string; diff: number; max: number }[] = [];
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const identity = sampleIdentity(mulberry32(seed), 'test');
      const plain = await grey64(await renderFace(identity, {}, 128));
      for (const au of RENDERED_AUS) {
        const moved = await grey64(await renderFace(identity, { [au]: 0.6 }, 128));
        const box = unitsToPixels(auRegion(identity, au), 64);
        let sum = 0, count = 0, max = 0;
        for (let y = Math.max(0, Math.floor(box.y0)); y < Math.min(64, Math.ceil(box.y1)); y++) {
          for (let x = Math.max(0, Math.floor(box.x0)); x < Math.min(64, Math.ceil(box.x1)); x++) {
            const d = Math.abs(moved[y * 64 + x] - plain[y * 64 + x]);
            sum += d;
            max = Math.max(max, d);
            count++;
          }
        }
        diffs.push({ seed, au, diff: Math.round((sum / count) * 100) / 100, max });
      }
    }
    if (process.env.DEMO_DEBUG) console.log(diffs.map((d) => `${d.seed} ${d.au} ${d.diff} ${d.max}`).join('\n'));
    expect(diffs.filter((d) => d.diff < MIN_REGION_DIFF || d.max < MIN_PIXEL_DIFF)).toEqual([]);
  });
});
