/**
 * End-to-end fixtures (after Joplin's integration tests): per test file a fresh temp workspace made with
 * initWorkspace(dir, {demo, seed}) and server mode on a free loopback port (in-process, or `node bin/fea.js serve`
 * as a child); Debian Chromium through playwright-core; per test a fresh browser context and page at 1300×800.
 * Readiness is waited for, never slept for. Screenshots go to test-artifacts/e2e/<spec>/; when an `e2e.test`
 * fails, a screenshot, the server log and the browser console are saved there and appended to the error.
 *
 *   import { useE2E } from './harness';
 *   const e2e = useE2E({ demo: 12, seed: 7 });
 *   e2e.test('labels a record', async ({ page, gotoApp, labelView, db, screenshot }) => {
 *     await gotoApp();
 *     const id = await labelView();                       // waits for data-testid=label-view, data-ready=true
 *     await page.keyboard.press('Control+Enter');
 *     await labelView({ notId: id });                      // the next record, fully shown
 *     expect(db().prepare('SELECT count(*) n FROM revisions').get()).toEqual({ n: 1 });
 *     await screenshot('label-view');
 *   });
 *
 * Needs `npm run build` (the renderer is served from dist/renderer; child mode runs dist/cli).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { ApiResult } from '../../contract/api';
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

// ---------------------------------------------------------------------------------------------------------------
// Building blocks (also used by bench/ui.ts): no jest globals here.

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

/** Calls the typed API over HTTP from Node (test setup and read-back). */
export async function callApi<T = unknown>(baseUrl: string, method: string, input: unknown = {}): Promise<ApiResult<T>> {
  const res = await fetch(`${baseUrl}api/call/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
  return (await res.json()) as ApiResult<T>;
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

// ---------------------------------------------------------------------------------------------------------------
// Jest fixtures.

export interface E2EOptions {
  /** Demo records in the workspace (0: an empty workspace). */
  demo?: number;
  seed?: number;
  /** 'child' runs `node bin/fea.js serve` (use it to test process kills); default in-process. */
  server?: 'in-process' | 'child';
}

export interface E2EContext {
  workspaceDir: string;
  url: string;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  server: ServerHandle;
  /** Browser console messages and page errors of the current test. */
  consoleLog: string[];
  pageErrors: string[];
  gotoApp(hash?: string): Promise<void>;
  labelView(options?: { id?: string; notId?: string; timeoutMs?: number }): Promise<string>;
  screenshot(name: string): Promise<string>;
  /** The workspace DB, read-only (opened once per file, closed after it). */
  db(): Database.Database;
  api<T = unknown>(method: string, input?: unknown): Promise<ApiResult<T>>;
  artifactsDir: string;
}

export interface E2ESuite {
  (): E2EContext;
  /** A test that receives the context and, on failure, saves a screenshot and attaches the server log. */
  test(name: string, fn: (ctx: E2EContext) => Promise<void>, timeoutMs?: number): void;
}

const slug = (s: string) => s.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').slice(0, 80).toLowerCase();

export function useE2E(options: E2EOptions = {}): E2ESuite {
  jest.setTimeout(E2E_TIMEOUT_MS);
  const specPath = expect.getState().testPath ?? 'spec';
  const artifactsDir = path.join(ARTIFACTS_DIR, 'e2e', slug(path.basename(specPath).replace(/\.test\.ts$/, '')));
  let tmp = '';
  let workspaceDir = '';
  let server: ServerHandle | null = null;
  let browser: Browser | null = null;
  let context: BrowserContext | null = null;
  let page: Page | null = null;
  let database: Database.Database | null = null;
  let consoleLog: string[] = [];
  let pageErrors: string[] = [];

  beforeAll(async () => {
    fs.rmSync(artifactsDir, { recursive: true, force: true }); // no stale FAILED-* files from an earlier run
    fs.mkdirSync(artifactsDir, { recursive: true });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-e2e-'));
    workspaceDir = await createWorkspace(path.join(tmp, 'workspace'), { demo: options.demo ?? 12, seed: options.seed ?? 1 });
    [server, browser] = await Promise.all([startServerFor(workspaceDir, options.server), launchChromium()]);
  });

  beforeEach(async () => {
    consoleLog = [];
    pageErrors = [];
    context = await browser!.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    page = await context.newPage();
    page.on('console', (m) => consoleLog.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => pageErrors.push(e.stack ?? e.message));
  });

  afterEach(async () => {
    await context?.close().catch(() => undefined);
    context = null;
    page = null;
  });

  afterAll(async () => {
    database?.close();
    database = null;
    await browser?.close().catch(() => undefined);
    if (server) {
      fs.writeFileSync(path.join(artifactsDir, 'server.log'), `${server.log.join('\n')}\n`);
      await server.stop();
    }
    if (tmp && !process.env.FEA_E2E_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const current = (): E2EContext => {
    if (!server || !browser || !context || !page) throw new Error('e2e context used outside a test');
    const p = page;
    const url = server.url;
    return {
      workspaceDir,
      url,
      browser,
      context,
      page: p,
      server,
      consoleLog,
      pageErrors,
      artifactsDir,
      gotoApp: (hash) => gotoApp(p, url, hash),
      labelView: (o) => waitForLabelView(p, o),
      async screenshot(name) {
        const file = path.join(artifactsDir, `${slug(name)}.png`);
        await p.screenshot({ path: file, fullPage: false });
        return file;
      },
      db() {
        database ??= new Database(path.join(workspaceDir, 'fea.sqlite'), { readonly: true, fileMustExist: true });
        return database;
      },
      api: (method, input) => callApi(url, method, input),
    };
  };

  const suite = current as E2ESuite;
  suite.test = (name, fn, timeoutMs) => {
    test(
      name,
      async () => {
        const ctx = current();
        try {
          await fn(ctx);
        } catch (err) {
          const base = path.join(artifactsDir, `FAILED-${slug(name)}`);
          const shot = await ctx.page.screenshot({ path: `${base}.png` }).then(() => `${base}.png`, () => '(no screenshot)');
          const logText = [
            `--- server log ---`,
            ...ctx.server.log,
            `--- browser console ---`,
            ...ctx.consoleLog,
            `--- page errors ---`,
            ...ctx.pageErrors,
          ].join('\n');
          fs.writeFileSync(`${base}.log`, `${logText}\n`);
          if (err instanceof Error) {
            err.message += `\n\nscreenshot: ${shot}\nlog: ${base}.log\n--- server log (last 40 lines) ---\n${ctx.server.log.slice(-40).join('\n')}\n--- browser console (last 20) ---\n${ctx.consoleLog.slice(-20).join('\n')}\n--- page errors ---\n${ctx.pageErrors.join('\n')}`;
            // jest prints the stack, which captured the old message.
            const frames = (err.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));
            err.stack = [`${err.name}: ${err.message}`, ...frames].join('\n');
          }
          throw err;
        }
      },
      timeoutMs,
    );
  };
  return suite;
}
