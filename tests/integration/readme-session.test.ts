/**
 * The README's typical session, exactly as written (`npm run build:node` first): its commands are read from the
 * README's fenced block, so the two cannot drift. `npx fea` is this package's bin (what npx runs in the clone), `~` is
 * a temporary HOME, and FEA_PORT=0 lets `fea serve` pick a free port on a shared machine.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FEA_BIN, REPO_ROOT } from '../support/cli';

/** The lines of the ```sh block after "A typical session" in README.md. */
export function typicalSession(readme: string): string[] {
  const at = readme.indexOf('A typical session');
  if (at < 0) throw new Error('README.md has no "A typical session"');
  const m = /```sh\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!m) throw new Error('no ```sh block after "A typical session"');
  return m[1].split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

/** Splits a command line as a POSIX shell would for these lines: words, quotes, and a leading ~/ expanded. */
function words(line: string, home: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const w = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] !== undefined ? m[2] : m[3];
    out.push(m[3] !== undefined && (w === '~' || w.startsWith('~/')) ? home + w.slice(1) : w);
  }
  return out;
}

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-readme-'));
const env = { ...process.env, HOME: home, FEA_PORT: '0' };

afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

test("the README's typical session runs as written: every command succeeds, --json ends in one object, serve answers", async () => {
  const lines = typicalSession(fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8'));
  expect(lines.length).toBeGreaterThanOrEqual(5);
  const results: { args: string[]; json: any; stdout: string }[] = [];
  for (const line of lines) {
    const w = words(line, home);
    expect(w.slice(0, 2)).toEqual(['npx', 'fea']);
    const args = w.slice(2);
    // the workspace lies outside the clone: nothing of it can be committed
    for (const a of args.filter((x) => x.startsWith(home))) expect(path.relative(REPO_ROOT, a).startsWith('..')).toBe(true);
    if (args[0] === 'serve') {
      await checkServe(args);
      continue;
    }
    const started = Date.now();
    const r = spawnSync(process.execPath, [FEA_BIN, ...args], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 240_000 });
    const took = ((Date.now() - started) / 1000).toFixed(1);
    expect({ line, code: r.status, stderr: r.status === 0 ? '' : r.stderr }).toEqual({ line, code: 0, stderr: '' });
    let json: any = null;
    if (args.includes('--json')) {
      const last = r.stdout.trim().split('\n').pop()!;
      json = JSON.parse(last);
      expect({ line, error: json.error }).toEqual({ line, error: undefined });
    }
    results.push({ args, json, stdout: r.stdout });
    process.stdout.write(`README session: ${line} (${took} s)\n`);
  }
  // the eval of `--model latest` is the last model trained, on a non-empty test part
  const trains = results.filter((r) => r.args[0] === 'train');
  const evalRun = results.find((r) => r.args[0] === 'eval');
  if (trains.length && evalRun) {
    expect(evalRun.json.n).toBeGreaterThan(0);
    expect(evalRun.json.accuracy).toBe(trains[trains.length - 1].json.metrics.eval.accuracy);
  }
  const models = results.find((r) => r.args[0] === 'models' && !r.args.includes('--json'));
  if (models) expect(models.stdout.split('\n')[0].split('\t').slice(0, 3)).toEqual(['id', 'name', 'kind']);
}, 600_000);

/** Starts `fea serve` as written, waits for its URL, loads the app, then stops it as Ctrl+C would. */
async function checkServe(args: string[]): Promise<void> {
  const child = spawn(process.execPath, [FEA_BIN, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 30_000;
    let url: string | null = null;
    while (!url && Date.now() < deadline) {
      url = /https?:\/\/\S+/.exec(out)?.[0] ?? null;
      if (!url) await new Promise((r) => setTimeout(r, 100));
    }
    expect(url).not.toBeNull();
    const res = await fetch(url!);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('FEA Studio');
  } finally {
    child.kill('SIGINT');
  }
  expect(await exited).toBe(0);
}
