/**
 * The engines' own readers on our exports: a small workspace is exported in every engine format and
 * tests/python (pytest, with pyarrow and datasets pinned in tests/python/requirements.txt) loads each export the
 * way LLaMA-Factory, TRL, verl and EasyR1 do. The virtual environment is made at the repository root (.venv,
 * git-ignored) the first time; the app itself never needs Python.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_EMOTIONS, OPTIONAL_EMOTIONS } from '../../pipelines/facs/vocabulary';
import { fea, REPO_ROOT } from '../support/cli';
import { tempDir } from '../support/facial-r1';

const VENV = path.join(REPO_ROOT, '.venv');
const PYTHON = path.join(VENV, 'bin', 'python');
const REQUIREMENTS = path.join(REPO_ROOT, 'tests', 'python', 'requirements.txt');
const FIXTURES = path.join(REPO_ROOT, 'fixtures', 'datasets');
const FORMATS = ['llama-factory', 'trl', 'verl', 'easyr1'] as const;

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, timeout = 600_000) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, timeout, cwd: REPO_ROOT });
  return { code: r.status ?? -1, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** The venv, made and filled on first use; reinstalled when the pinned requirements are not all importable. */
function ensureVenv(): void {
  const ready = () => fs.existsSync(PYTHON) && run(PYTHON, ['-c', 'import pyarrow, datasets, pytest, PIL']).code === 0;
  if (ready()) return;
  if (!fs.existsSync(PYTHON)) {
    const made = run('python3', ['-m', 'venv', VENV]);
    if (made.code !== 0) throw new Error(`python3 -m venv .venv failed:\n${made.out}`);
  }
  const pip = run(path.join(VENV, 'bin', 'pip'), ['install', '--disable-pip-version-check', '-q', '-r', REQUIREMENTS]);
  if (pip.code !== 0) throw new Error(`pip install -r tests/python/requirements.txt failed:\n${pip.out}`);
}

test('every engine export loads with the engine readers: fields, image paths, counts per part', () => {
  ensureVenv();
  const ws = path.join(tempDir(), 'ws');
  expect(fea(['init', ws, '--json']).code).toBe(0);
  expect(fea(['import', ws, path.join(FIXTURES, 'au-csv', 'aus.csv'), '--format', 'au-csv', '--json']).json).toMatchObject({ imported: 4 });
  expect(fea(['import', ws, path.join(FIXTURES, 'rafdb', 'basic'), '--format', 'rafdb', '--json']).json).toMatchObject({ imported: 6 });
  const split = fea(['split', ws, '--name', 'mix', '--ratios', 'train=0.6,test=0.4', '--group', 'none', '--json']);
  expect(split.code).toBe(0);
  const parts = Object.fromEntries(Object.entries(split.json.parts as Record<string, { n: number }>).map(([p, s]) => [p, s.n]));
  expect(Object.values(parts).reduce((a, b) => a + b, 0)).toBe(9); // every record with an emotion

  const root = tempDir();
  const env: NodeJS.ProcessEnv = { ...process.env, HF_DATASETS_CACHE: path.join(root, 'hf-cache'), HF_HUB_OFFLINE: '1', PYTHONDONTWRITEBYTECODE: '1' };
  for (const format of FORMATS) {
    const out = path.join(root, format);
    const r = fea(['export', ws, '--format', format, '--out', out, '--split', 'mix', '--json']);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ format, records: 9, cancelled: false });
    env[`FEA_EXPORT_${format.replace('-', '_').toUpperCase()}`] = out;
  }
  env.FEA_EXPECTED = JSON.stringify({ split: 'mix', parts, emotions: [...DEFAULT_EMOTIONS, ...OPTIONAL_EMOTIONS] });
  const py = run(PYTHON, ['-m', 'pytest', 'tests/python', '-q', '-p', 'no:cacheprovider'], env);
  if (py.code !== 0) throw new Error(py.out);
  expect(py.out).toMatch(/\b4 passed\b/);
  expect(py.out).not.toMatch(/skipped|failed/);
}, 900_000);
