/**
 * `fea export` overwrites nothing without --force: not the source JSONL in the folder the data came from, not a
 * previous export (which --force removes first, so none of its files survive), not records.csv.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir, validLine, writeJsonl } from '../support/facial-r1';
import { REPO_ROOT, fea } from '../support/cli';

beforeAll(() => {
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'cli', 'index.js'))) throw new Error('the CLI is not built: run "npm run build:node" first');
});

/** Every file under dir with its bytes, to show a refused export left it exactly as it was. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const p = path.join(e.parentPath, e.name);
    if (e.isFile()) out[path.relative(dir, p)] = fs.readFileSync(p, 'base64');
  }
  return out;
}

describe('fea export and existing files', () => {
  const base = tempDir('fea-export-ow-');
  const data = path.join(base, 'data');
  const ws = path.join(base, 'ws');
  const source = path.join(data, 'ws.jsonl');

  beforeAll(() => {
    fs.mkdirSync(data);
    writeJsonl(source, Array.from({ length: 12 }, (_, i) => validLine(data, i, { labels: [i % 2 ? 'happiness' : 'sadness'], meta_info: { subject: `p${i % 4}` } })));
    expect(fea(['init', ws]).code).toBe(0);
    expect(fea(['import', ws, source, '--json']).json).toMatchObject({ imported: 12 });
    expect(fea(['split', ws, '--name', 'main', '--ratios', 'train=0.5,test=0.5', '--seed', '1']).code).toBe(0);
  }, 60_000);

  test('into the folder the data came from: the source JSONL is named and kept; --force writes', () => {
    const before = snapshot(data);
    const r = fea(['export', ws, '--format', 'facial-r1', '--out', data, '--json']);
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ error: { code: 'exists' } });
    expect(r.stderr).toContain(source);
    expect(r.stderr).toMatch(/--force/);
    expect(snapshot(data)).toEqual(before);

    const forced = fea(['export', ws, '--format', 'facial-r1', '--out', data, '--force', '--json']);
    expect(forced.code).toBe(0);
    expect(forced.json.records).toBe(12);
    expect(fs.existsSync(path.join(data, 'config.json'))).toBe(true);
  }, 60_000);

  test('into a folder holding an export: refused, and --force replaces it whole', () => {
    const out = path.join(base, 'out');
    expect(fea(['export', ws, '--format', 'facial-r1', '--out', out, '--split', 'main']).code).toBe(0);
    fs.writeFileSync(path.join(out, 'notes.txt'), 'mine');
    const before = snapshot(out);

    const again = fea(['export', ws, '--format', 'facial-r1', '--out', out, '--json']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(path.join(out, 'config.json'));
    expect(again.stderr).toMatch(/already holds an export/);
    expect(snapshot(out)).toEqual(before);

    const forced = fea(['export', ws, '--format', 'facial-r1', '--out', out, '--force', '--json']);
    expect(forced.code).toBe(0);
    // the previous export's JSONL are gone (not merged into the new registry); a file it never wrote stays
    const sheet = ['DATASHEET.md', 'datasheet-aus.svg', 'datasheet-emotions.svg', 'datasheet-provenance.svg', 'datasheet.json'];
    expect(fs.readdirSync(out).sort()).toEqual([...sheet, 'config.json', 'images', 'notes.txt', 'ws.jsonl'].sort());
    // the datasheet describes this export (all 12 records, no split), not the forced-over split export
    const ds = JSON.parse(fs.readFileSync(path.join(out, 'datasheet.json'), 'utf8')) as { format: string; records: number; split: unknown };
    expect(ds).toMatchObject({ format: 'facial-r1', records: 12, split: null });
    expect(forced.json.datasheet).toBe(path.join(out, 'DATASHEET.md'));
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')))).toEqual(['ws.jsonl']);
    expect(fs.readFileSync(path.join(out, 'notes.txt'), 'utf8')).toBe('mine');
    const lines = fs.readFileSync(path.join(out, 'ws.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { image: string });
    for (const l of lines) expect(fs.existsSync(path.join(out, 'images', l.image))).toBe(true);
  }, 60_000);

  test('csv: records.csv is not overwritten without --force', () => {
    const out = path.join(base, 'csv');
    expect(fea(['export', ws, '--format', 'csv', '--out', out]).code).toBe(0);
    const csv = path.join(out, 'records.csv');
    fs.writeFileSync(csv, 'edited by hand\n');
    const r = fea(['export', ws, '--format', 'csv', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(csv);
    expect(fs.readFileSync(csv, 'utf8')).toBe('edited by hand\n');
    expect(fea(['export', ws, '--format', 'csv', '--out', out, '--force']).code).toBe(0);
    expect(fs.readFileSync(csv, 'utf8').split('\r\n').length).toBeGreaterThan(12);
  }, 60_000);
});
