/**
 * Building blocks of the end-to-end tests and bench/ui (no jest globals here): a demo workspace made with
 * initWorkspace, server mode on a free loopback port (in-process, or `node bin/fea.js serve` as a child), Debian
 * Chromium through playwright-core, and waits for the app and the label view. Readiness is waited for, never slept for.
 * The jest fixture that puts them together per spec is ./e2e.ts.
 *
 * Needs `npm run build` (the renderer is served from dist/renderer; child mode runs dist/cli).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { packageRoot } from '../../pipelines/runtime/package-root';
import { initWorkspace } from '../../services/workspace/init';
import { startServer, type RunningServer } from '../../server';

/** The package root, from the sources (jest) or from dist/ (bench). */
export const ROOT = packageRoot(__dirname);

/** The browser globals the functions run inside the page use (this file compiles without the DOM lib). */
interface PageElement {
  getAttribute(name: string): string | null;
  childElementCount: number;
}
declare const document: { querySelector(selector: string): PageElement | null; getElementById(id: string): PageElement | null };
export const ARTIFACTS_DIR = path.join(ROOT, 'test-artifacts');
export const VIEWPORT = { width: 1300, height: 800 };
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
export const E2E_TIMEOUT_MS = 120_000;
export const LABEL_VIEW = '[data-testid="label-view"]';

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/**
 * A workspace with `demo` demo records, made by initWorkspace (services/workspace/init).
 * demo: 0 makes an empty workspace.
 */
export async function createWorkspace(dir: string, options: { demo: number; seed: number }): Promise<string> {
  await initWorkspace(dir, { demo: options.demo, seed: options.seed });
  return dir;
}

export interface ServerHandle {
  url: string;
  log: string[];
  /** The in-process server (for publishing events in tests); null in child mode. */
  inProcess: RunningServer | null;
  child: ChildProcess | null;
  stop(): Promise<void>;
}

/** Server mode on a free loopback port; resolves once it answers `GET /`. */
export async function startServerFor(workspaceDir: string, mode: 'in-process' | 'child' = 'in-process'): Promise<ServerHandle> {
  const log: string[] = [];
  const stamp = (line: string) => log.push(`${new Date().toISOString()} ${line}`);
  if (mode === 'in-process') {
    const server = await startServer({ workspaceDir, port: 0, log: stamp });
    await waitForHttp(server.url);
    return { url: server.url, log, inProcess: server, child: null, stop: () => server.close() };
  }
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'fea.js'), 'serve', workspaceDir, '--port', '0', '--json'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onExit = (code: number | null) => reject(new Error(`fea serve exited with ${code} before listening:\n${log.join('\n')}`));
    child.once('exit', onExit);
    child.stderr!.on('data', (d: Buffer) => d.toString().split('\n').filter(Boolean).forEach(stamp));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n');
      out = lines.pop() ?? '';
      for (const line of lines) {
        stamp(`stdout ${line}`);
        if (line.startsWith('{')) {
          child.off('exit', onExit);
          resolve((JSON.parse(line) as { url: string }).url);
        }
      }
    });
  });
  await waitForHttp(url);
  return {
    url,
    log,
    inProcess: null,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function waitForHttp(url: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 50)); // polling the socket, not waiting for the UI
  }
  throw new Error(`server at ${url} not ready after ${timeoutMs} ms: ${String(last)}`);
}

/** Opens the app and waits until React has rendered into #root. */
export async function gotoApp(page: Page, baseUrl: string, hash = ''): Promise<void> {
  const res = await page.goto(baseUrl + hash, { waitUntil: 'domcontentloaded' });
  if (res && !res.ok()) throw new Error(`GET ${baseUrl} answered ${res.status()}: ${(await res.text()).slice(0, 300)}`);
  await page.waitForFunction(() => (document.getElementById('root')?.childElementCount ?? 0) > 0);
}

/** Waits until the label view shows a record with its data and image; returns that record id. */
export async function waitForLabelView(page: Page, options: { id?: string; notId?: string; timeoutMs?: number } = {}): Promise<string> {
  const handle = await page.waitForFunction(
    ({ selector, id, notId }) => {
      const el = document.querySelector(selector);
      if (!el || el.getAttribute('data-ready') !== 'true') return null;
      const rid = el.getAttribute('data-record-id');
      if (!rid || (id && rid !== id) || (notId && rid === notId)) return null;
      return rid;
    },
    { selector: LABEL_VIEW, id: options.id ?? null, notId: options.notId ?? null },
    { timeout: options.timeoutMs ?? 15_000, polling: 'raf' },
  );
  return (await handle.jsonValue()) as string;
}

