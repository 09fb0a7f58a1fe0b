/**
 * What one request may ask for, over the real HTTP server on loopback and through the built CLI (`npm run
 * build:node` first): training settings never reach Object.prototype, steps/epochs are bounded, analysis workers
 * are at most this machine's cores, and a split has at most 10 parts with short names.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HTTP_CALL_PREFIX } from '../../contract/transport';
import { startServer, type RunningServer } from '../../server';
import { fea, REPO_ROOT } from '../support/cli';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-limits-'));
const ws = path.join(tmp, 'ws');
const rendererDir = path.join(tmp, 'renderer');
const cores = os.availableParallelism();
let server: RunningServer;

async function call(method: string, input: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://127.0.0.1:${server.port}${HTTP_CALL_PREFIX}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof input === 'string' ? input : JSON.stringify(input),
  });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'cli', 'index.js'))) throw new Error('not built: run "npm run build:node" first');
  expect(fea(['init', ws, '--demo', '12', '--seed', '1', '--json']).code).toBe(0);
  expect(fea(['split', ws, '--name', 's', '--ratios', 'train=0.75,test=0.25', '--seed', '1', '--json']).code).toBe(0);
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>FEA Studio</title>');
  server = await startServer({ workspaceDir: ws, port: 0, rendererDir, heartbeatMs: 50 });
}, 120_000);

afterAll(async () => {
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('training settings cannot pollute prototypes', () => {
  const polluting = ['model.__proto__.polluted', '__proto__.polluted', 'sft.constructor.prototype.polluted', 'rewardWeights.__proto__.polluted'];

  test.each(polluting)('training.start with "%s" answers 400, and every method still answers', async (key) => {
    const res = await call('training.start', { stage: 'sft', split: 's', steps: 1, config: { [key]: 1 } });
    expect(res.status).toBe(400);
    expect(res.body.ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    for (const method of ['workspace.info', 'stats.get', 'runs.list']) {
      const ok = await call(method, {});
      expect([method, ok.status, ok.body.ok]).toEqual([method, 200, true]);
    }
    expect((await call('runs.list', {})).body.value.runs).toEqual([]);
  });

  test('a raw JSON __proto__ key is refused too', async () => {
    const res = await call('training.start', '{"stage":"sft","split":"s","steps":1,"config":{"__proto__":{"polluted":1}}}');
    expect(res.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await call('workspace.info', {})).status).toBe(200);
  });

  test('fea train --set model.__proto__.x=1 exits 2 with the setting named', () => {
    const r = fea(['train', ws, '--stage', 'sft', '--split', 's', '--steps', '1', '--set', 'model.__proto__.x=1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown training setting "model.__proto__.x"');
    const list = fea(['models', ws, '--json']);
    expect(list.json.models).toEqual([]);
  });
});

describe('bounded work per request', () => {
  test('training.start refuses steps and epochs over the limit, also through --set', async () => {
    for (const input of [
      { stage: 'sft', split: 's', steps: 1_000_000 },
      { stage: 'sft', split: 's', epochs: 1_000_000 },
      { stage: 'rl', split: 's', config: { steps: 1_000_000 } },
      { stage: 'sft', split: 's', config: { 'sft.epochs': 1e9 } },
    ]) {
      const res = await call('training.start', input);
      expect([JSON.stringify(input), res.status]).toEqual([JSON.stringify(input), 400]);
    }
    expect((await call('runs.list', {})).body.value.runs).toEqual([]);
  });

  test('fea train refuses --steps and --epochs over the limit', () => {
    const steps = fea(['train', ws, '--stage', 'sft', '--split', 's', '--steps', '1000000']);
    expect(steps.code).toBe(2);
    expect(steps.stderr).toContain('--steps: 1000000 is more than the limit of 100000');
    const epochs = fea(['train', ws, '--stage', 'sft', '--split', 's', '--epochs', '5000']);
    expect(epochs.code).toBe(2);
    expect(epochs.stderr).toContain('--epochs: 5000 is more than the limit of 1000');
  });

  test('analysis workers are at most the cores, over HTTP and in the CLI', async () => {
    const res = await call('analysis.start', { workers: cores + 1 });
    expect(res.status).toBe(400);
    const r = fea(['analyze', ws, '--workers', String(cores + 1)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`between 1 and ${cores}`);
  });

  test('a split has 1 to 10 parts with short names; 4,000 parts are refused at once', async () => {
    const parts = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, 1 / n]));
    expect((await call('splits.create', { name: 'ten', ratios: parts(10) })).status).toBe(200);
    const t0 = Date.now();
    for (const ratios of [parts(11), parts(4000), {}, { '..': 1, test: 1 }, { [`${'a'.repeat(33)}`]: 1 }, { '-x': 1 }, { 'a/b': 1 }]) {
      const res = await call('splits.create', { name: 'bad', ratios });
      expect([Object.keys(ratios).slice(0, 2), res.status]).toEqual([Object.keys(ratios).slice(0, 2), 400]);
    }
    expect(Date.now() - t0).toBeLessThan(2000);
    expect((await call('splits.list', {})).body.value.splits.map((s: { name: string }) => s.name).sort()).toEqual(['s', 'ten']);

    const eleven = Array.from({ length: 11 }, (_, i) => `p${i}=1`).join(',');
    const r = fea(['split', ws, '--name', 'cli', '--ratios', eleven]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('at most 10 parts');
    const proto = fea(['split', ws, '--name', 'cli', '--ratios', '__proto__=0.5,test=0.5']);
    expect(proto.code).toBe(2);
    expect(proto.stderr).toContain('part name "__proto__" must start with a letter or digit');
  });
});
