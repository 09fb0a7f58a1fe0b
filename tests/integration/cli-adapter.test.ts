/**
 * The CLI as an adapter over the handlers (`npm run build:node` first): one error mapping (exit code, and with
 * --json an {error} object as the last line), `fea label` creating users through the workspace service, and
 * `fea records` paging past the contract's 1000-row limit.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openWorkspace } from '../../db/open';
import { insertImage, insertRecord, listAudit, listUsers } from '../../db/repositories';
import { usersUpsert } from '../../services/workspace/info';
import { tempDir } from '../support/facial-r1';
import { fea as runFea } from '../support/cli';

const ROOT = path.resolve(__dirname, '..', '..');

const fea = (...args: string[]) => runFea(args);

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'workspace.js'))) throw new Error('the CLI is not built: run "npm run build:node" first');
});

describe('fea as an adapter over the handlers', () => {
  const ws = path.join(tempDir('fea-cli-adapter-'), 'ws');
  const N = 1003;

  beforeAll(() => {
    const w = openWorkspace(ws, { create: true });
    try {
      w.db.transaction(() => {
        for (let i = 0; i < N; i++) {
          const img = insertImage(w.db, { sha256: crypto.createHash('sha256').update(String(i)).digest('hex'), ext: 'png', width: 1, height: 1, originalName: `${i}.png` });
          insertRecord(w.db, { id: `r${String(i).padStart(5, '0')}`, imageId: img.id });
        }
      })();
      usersUpsert(w.db, 'lee', 'lead');
    } finally {
      w.close();
    }
  });

  test('failures: one mapping of error codes to exit codes; with --json the last line is {error: {code, message}}', () => {
    const cases: [string[], number, string, RegExp][] = [
      [['label', ws, 'nope', '--emotion', 'happiness', '--user', 'x', '--json'], 1, 'not_found', /Record nope does not exist/],
      [['label', ws, 'r00001', '--emotion', 'blah', '--user', 'x', '--json'], 2, 'invalid_label', /not in this workspace's vocabulary/],
      [['records', ws, '--limit', '0', '--json'], 2, 'usage', /--limit/],
      [['export', ws, '--json'], 2, 'usage', /--format/],
      [['stats', path.join(ws, 'missing'), '--json'], 1, 'workspace', /not an FEA Studio workspace/],
      [['split', ws, '--name', 's', '--ratios', 'a=1', '--json'], 1, 'empty', /No records with an emotion label/],
    ];
    for (const [args, exitCode, code, message] of cases) {
      const r = fea(...args);
      expect({ args, code: r.code, error: r.json?.error?.code }).toEqual({ args, code: exitCode, error: code });
      expect(r.json.error.message).toMatch(message);
      expect(r.stderr).toMatch(message);
    }
    // without --json nothing is printed on stdout
    expect(fea('label', ws, 'nope', '--emotion', 'happiness', '--user', 'x').stdout).toBe('');
  }, 60_000);

  test('label: a new user (--create-user) is created and audited as users.upsert does; an existing one keeps its role; a refused label creates nobody', () => {
    expect(fea('label', ws, 'r00002', '--emotion', 'blah', '--user', 'ghost').code).toBe(2);
    expect(fea('label', ws, 'r00001', '--emotion', 'happiness', '--aus', 'AU6,AU12', '--user', 'dana', '--create-user', '--json')).toMatchObject({ code: 0, json: { recordId: 'r00001', status: 'labeled' } });
    expect(fea('label', ws, 'r00002', '--emotion', 'fear', '--user', 'lee', '--json').code).toBe(0);
    const w = openWorkspace(ws);
    try {
      const users = new Map(listUsers(w.db).map((u) => [u.name, u.role]));
      expect(users.get('dana')).toBe('annotator');
      expect(users.get('lee')).toBe('lead');
      expect(users.has('ghost')).toBe(false);
      const userAudit = listAudit(w.db, { entity: 'user' }).filter((e) => e.detail && (e.detail as { name?: string }).name === 'dana');
      expect(userAudit).toHaveLength(1);
      expect(userAudit[0]).toMatchObject({ actor: 'cli', action: 'user', detail: { name: 'dana', role: 'annotator', created: true } });
      expect(listAudit(w.db, { entity: 'record', entityId: 'r00001' })).toEqual([expect.objectContaining({ actor: 'dana', action: 'label' })]);
    } finally {
      w.close();
    }
  }, 60_000);

  test('records: --limit beyond one page of the contract takes several', () => {
    const all = fea('records', ws, '--limit', '5000', '--json');
    // (all of a 200 kB answer arrives: the process exits once stdout is flushed; no slow-query lines from a batch command)
    expect({ code: all.code, stderr: all.stderr }).toEqual({ code: 0, stderr: '' });
    expect(all.json.total).toBe(N);
    expect(all.json.records).toHaveLength(N);
    expect(new Set(all.json.records.map((r: { id: string }) => r.id)).size).toBe(N);
    const tail = fea('records', ws, '--offset', '999', '--limit', '3', '--json');
    expect(tail.json.records.map((r: { id: string }) => r.id)).toEqual(['r00999', 'r01000', 'r01001']);
  }, 60_000);
});
