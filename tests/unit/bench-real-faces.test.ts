import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { accuracyAndMacroF1, sampleTree, sftSettings } from '../../bench/real-faces';

describe('bench/real-faces helpers', () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-real-faces-'));
    const sizes: Record<string, number> = { angry: 30, happy: 60, neutral: 10 };
    for (const [folder, n] of Object.entries(sizes)) {
      fs.mkdirSync(path.join(root, folder));
      for (let i = 0; i < n; i++) fs.writeFileSync(path.join(root, folder, `s${i % 5}_${i}.jpg`), '');
      fs.writeFileSync(path.join(root, folder, 'notes.txt'), '');
    }
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('samples each emotion folder in proportion, the same for the same seed, images only', () => {
    const all = sampleTree(root, 0, '1', null);
    expect(all).toHaveLength(100);
    const some = sampleTree(root, 20, '1', null);
    const per = (xs: { folder: string }[], f: string) => xs.filter((x) => x.folder === f).length;
    expect([per(some, 'angry'), per(some, 'happy'), per(some, 'neutral')]).toEqual([6, 12, 2]);
    expect(sampleTree(root, 20, '1', null)).toEqual(some);
    expect(sampleTree(root, 20, '2', null)).not.toEqual(some);
    expect(some.every((x) => x.file.endsWith('.jpg'))).toBe(true);
    expect(new Set(sampleTree(root, 0, '1', ['happy']).map((x) => x.folder))).toEqual(new Set(['happy']));
    expect(() => sampleTree(root, 0, '1', ['contempt'])).toThrow(/no emotion subfolders named contempt/);
  });

  it('trains with classBalance=none unless the run sets its own, keeping every --set it was given', () => {
    expect(sftSettings([])).toEqual(['classBalance=none']);
    expect(sftSettings(['epochs=5'])).toEqual(['classBalance=none', 'epochs=5']);
    expect(sftSettings(['classBalance=loss', 'lr=0.001'])).toEqual(['classBalance=loss', 'lr=0.001']);
  });

  it('scores accuracy and macro-F1 over the true labels', () => {
    const r = accuracyAndMacroF1([
      { truth: 'a', predicted: 'a' },
      { truth: 'a', predicted: 'b' },
      { truth: 'b', predicted: 'b' },
      { truth: 'b', predicted: 'b' },
    ]);
    expect(r.accuracy).toBe(0.75);
    // F1(a) = 2/3, F1(b) = 0.8
    expect(r.macroF1).toBeCloseTo((2 / 3 + 0.8) / 2, 3);
    expect(accuracyAndMacroF1([])).toEqual({ n: 0, accuracy: 0, macroF1: 0 });
  });
});
