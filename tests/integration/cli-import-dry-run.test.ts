/**
 * `fea import --dry-run` is the Import view's preview from the CLI (the same importDataset, run dry): the report
 * says what would be imported, per emotion, with each bad line's field, and the workspace is left as it was.
 * Runs the built CLI (`npm run build:node` first).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { fea } from '../support/cli';
import { tempDir } from '../support/facial-r1';
import { writeJsonlInput } from '../support/import-inputs';

jest.setTimeout(120_000);

test('--dry-run reports what would be imported and writes nothing; without it the same counts are imported', () => {
  const tmp = tempDir('fea-cli-dry-');
  try {
    const ws = path.join(tmp, 'ws');
    expect(fea(['init', ws, '--json']).code).toBe(0);
    const input = writeJsonlInput(path.join(tmp, 'in'));
    const dry = fea(['import', ws, input.file, '--dry-run', '--allow-errors', '--json']);
    expect(dry.code).toBe(0);
    const report = dry.json as { dryRun: boolean; imported: number; byEmotion: Record<string, number>; errors: { line: number; field?: string }[] };
    expect(report).toMatchObject({ dryRun: true, imported: input.expected.imported, byEmotion: input.expected.byEmotion });
    expect(report.errors.map((e) => [e.line, e.field])).toEqual(input.expected.errors.map((e) => [e.line, e.field]));
    const db = new Database(path.join(ws, 'fea.sqlite'), { readonly: true });
    expect(db.prepare('SELECT COUNT(*) n FROM records').get()).toEqual({ n: 0 });
    db.close();
    expect(fs.readdirSync(path.join(ws, 'media')).filter((f) => f !== 'crops')).toEqual([]);

    const failed = fea(['import', ws, input.file, '--dry-run', '--json']);
    expect(failed.code).toBe(1); // bad lines fail a dry run as they fail the import

    const real = fea(['import', ws, input.file, '--allow-errors', '--json']);
    expect(real.json).toMatchObject({ dryRun: false, imported: report.imported, byEmotion: report.byEmotion });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
