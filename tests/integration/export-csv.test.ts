/** `fea export --format csv`: the reasoning and its author, image paths relative to the CSV, and --split; read back by Python's csv module. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fea } from '../support/cli';

jest.setTimeout(120_000);

function readCsv(file: string): Record<string, string>[] {
  const r = spawnSync('python3', ['-c', 'import csv, json, sys; print(json.dumps(list(csv.DictReader(open(sys.argv[1], newline="")))))', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

test('rows carry the reasoning and its author, images resolve from the CSV, and --split picks the split', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-csv-'));
  const ws = path.join(dir, 'ws');
  const ok = (args: string[]) => {
    const r = fea(args);
    if (r.code !== 0) throw new Error(`fea ${args.join(' ')}: ${r.stderr}`);
    return r.json;
  };
  ok(['init', ws, '--demo', '12', '--seed', '2', '--json']);
  ok(['split', ws, '--name', 'first', '--ratios', 'train=0.5,test=0.5', '--seed', '1', '--json']);
  ok(['split', ws, '--name', 'second', '--ratios', 'a=1', '--seed', '1', '--json']);
  const reasoning = '<think>The lip corners are pulled up (AU12), and the cheeks are raised (AU6); together, "happiness".</think><answer>happiness</answer>';
  ok(['label', ws, 'demo-000003', '--emotion', 'happiness', '--aus', 'AU6,AU12', '--reasoning', reasoning, '--user', 'dana', '--create-user', '--json']);

  const out = path.join(dir, 'tables', 'nested');
  const r = ok(['export', ws, '--format', 'csv', '--split', 'first', '--out', out, '--json']);
  expect(r).toMatchObject({ rows: 12, split: 'first' });
  const rows = readCsv(path.join(out, 'records.csv'));
  expect(rows).toHaveLength(12);
  for (const row of rows) {
    expect(fs.existsSync(path.resolve(out, row.image))).toBe(true);
    expect(row.split_name).toBe('first');
    expect(['train', 'test']).toContain(row.split);
  }
  const labeled = rows.find((x) => x.id === 'demo-000003')!;
  expect(labeled).toMatchObject({ reasoning, author: 'dana', revision_kind: 'human', emotion: 'happiness', aus: 'AU6 AU12' });
  expect(rows.find((x) => x.id === 'demo-000001')).toMatchObject({ author: 'system', revision_kind: 'import' });
  // Its datasheet beside it counts the labeled rows per part of the same split.
  const sheet = JSON.parse(fs.readFileSync(path.join(out, 'datasheet.json'), 'utf8')) as { format: string; records: number; parts: Record<string, { n: number }>; split: { name: string } };
  expect(sheet).toMatchObject({ format: 'csv', split: { name: 'first' } });
  expect(sheet.records).toBe(rows.filter((x) => x.emotion !== '').length);
  for (const part of ['train', 'test']) expect(sheet.parts[part].n).toBe(rows.filter((x) => x.split === part && x.emotion !== '').length);
  expect(fs.readFileSync(r.datasheet, 'utf8')).toContain('records of split `first`');

  const newest = ok(['export', ws, '--format', 'csv', '--out', path.join(dir, 'newest'), '--json']);
  expect(newest.split).toBe('second');
  expect(readCsv(path.join(dir, 'newest', 'records.csv')).every((x) => x.split === 'a')).toBe(true);

  const missing = fea(['export', ws, '--format', 'csv', '--split', 'nope', '--out', path.join(dir, 'x'), '--json']);
  expect(missing.code).toBe(2);
  expect(missing.json.error.message).toContain('No split named "nope"');
});
