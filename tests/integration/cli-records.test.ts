/** Runs the built CLI (`npm run build:node` first) the way scripts do, checking JSON output and exit codes. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir, writeMixedFixture } from '../support/facial-r1';
import { fea as runFea } from '../support/cli';

const ROOT = path.resolve(__dirname, '..', '..');

const fea = (...args: string[]) => runFea(args);

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'commands', 'label.js'))) throw new Error('the CLI is not built: run "npm run build:node" first');
});

describe('fea CLI (foundation commands)', () => {
  const base = tempDir('fea-cli-');
  const ws = path.join(base, 'ws');

  test('init --demo, import, records, label, split, stats, export', () => {
    const init = fea('init', ws, '--demo', '12', '--seed', '5', '--json');
    expect(init.code).toBe(0);
    expect(init.json).toMatchObject({ records: 12, demo: 12, seed: 5 });
    expect(fea('init', ws).code).not.toBe(0);

    const data = tempDir('fea-cli-data-');
    const { file, expected } = writeMixedFixture(data);
    const imp = fea('import', ws, file, '--json');
    // lines failed: the import exits 1 (what went through stays imported) and its report carries the error
    expect(imp.code).toBe(1);
    expect(imp.json.error).toMatchObject({ code: 'import_errors', message: expect.stringMatching(/line\(s\) of .* failed to import/) });
    expect(imp.json).toMatchObject({ imported: expected.imported, skipped: expected.skipped, duplicates: 0, weak: expected.weak, normalised: expected.normalised });
    expect(imp.json.errors.map((e: { line: number }) => e.line)).toEqual(expected.errors.map((e) => e.line));
    const again = fea('import', ws, file, '--allow-errors', '--json');
    expect(again).toMatchObject({ code: 0, json: { imported: 0, duplicates: expected.imported } });
    expect(again.json.error).toBeUndefined();

    const weak = fea('records', ws, '--status', 'weak', '--json');
    expect(weak.code).toBe(0);
    expect(weak.json.records.map((r: { id: string }) => r.id)).toEqual(['rec-00011', 'rec-00012']);
    for (const r of weak.json.records) {
      expect(Object.keys(r)).toEqual(expect.arrayContaining(['id', 'status', 'emotion', 'aus', 'subject', 'image']));
      expect(path.isAbsolute(r.image) && fs.existsSync(r.image)).toBe(true);
    }

    const lab = fea('label', ws, 'rec-00011', '--aus', 'AU6,au12', '--user', 'dana', '--create-user', '--json');
    expect(lab.code).toBe(0);
    expect(lab.json).toMatchObject({ recordId: 'rec-00011', status: 'labeled' });
    expect(typeof lab.json.revisionId).toBe('number');
    const re = fea('label', ws, 'rec-00011', '--reasoning', '<think>(AU6) (AU12)</think><answer>happiness</answer>', '--user', 'dana', '--json');
    expect(re.json.revisionId).toBeGreaterThan(lab.json.revisionId);
    const after = fea('records', ws, '--status', 'labeled', '--limit', '1000', '--json').json.records.find((r: { id: string }) => r.id === 'rec-00011');
    expect(after).toMatchObject({ emotion: 'happiness', aus: ['AU6', 'AU12'] });

    const split = fea('split', ws, '--name', 'main', '--ratios', 'train=0.8,test=0.2', '--stratify', 'emotion', '--group', 'subject', '--seed', '3', '--json');
    expect(split.code).toBe(0);
    expect(Object.keys(split.json.parts).sort()).toEqual(['test', 'train']);
    expect(split.json.sharedSubjects).toBe(0);
    expect(typeof split.json.maxStratDeviation).toBe('number');
    expect(split.json.parts.train.n + split.json.parts.test.n).toBe(12 + 5);
    const split2 = fea('split', ws, '--name', 'again', '--ratios', 'train=0.8,test=0.2', '--seed', '3', '--json');
    expect(split2.json.parts).toEqual(split.json.parts);

    const stats = fea('stats', ws, '--json');
    expect(stats.code).toBe(0);
    expect(stats.json).toMatchObject({ records: 18, labeled: 12 + 5, weak: 1, unlabeled: 0 });
    expect(Object.keys(stats.json)).toEqual(expect.arrayContaining(['records', 'images', 'labeled', 'weak', 'unlabeled', 'byEmotion', 'byAU']));

    const out = path.join(base, 'export');
    const exp = fea('export', ws, '--format', 'facial-r1', '--out', out, '--split', 'main', '--json');
    expect(exp.code).toBe(0);
    expect(exp.json.records).toBe(17);
    expect(fs.readdirSync(out).sort()).toEqual(['DATASHEET.md', 'config.json', 'datasheet-aus.svg', 'datasheet-emotions.svg', 'datasheet-provenance.svg', 'datasheet.json', 'images', 'main-test.jsonl', 'main-train.jsonl']);
  }, 60_000);

  test('usage errors: clear message, non-zero exit', () => {
    const cases: [string[], RegExp][] = [
      [['label', ws, 'rec-00001', '--emotion', 'happy'], /--user/],
      [['label', ws, 'rec-00001', '--aus', 'AU4,smile', '--user', 'x'], /not an AU/],
      [['label', ws, 'no-such-record', '--emotion', 'happy', '--user', 'x'], /does not exist/],
      [['import', ws, '/tmp', '--format', 'csv'], /--format/],
      [['export', ws, '--format', 'facial-r1'], /--out/],
      [['split', ws, '--name', 'x', '--ratios', 'train=abc'], /--ratios/],
      [['stats', path.join(base, 'not-a-workspace'), '--json'], /not an FEA Studio workspace/],
    ];
    for (const [args, msg] of cases) {
      const r = fea(...args);
      expect({ args, code: r.code === 0 ? 0 : 'nonzero' }).toEqual({ args, code: 'nonzero' });
      expect(r.stderr).toMatch(msg);
    }
  }, 60_000);
});
