/**
 * The end-to-end jest fixture (after Joplin's integration tests): per spec file a fresh temp workspace and server
 * mode (./browser.ts), one Chromium; per test a fresh browser context and page at 1300×800. Screenshots go to
 * test-artifacts/e2e/<spec>/; when an `e2e.test` fails, a screenshot, the server log and the browser console are
 * saved there and appended to the error.
 *
 *   import { useE2E } from '../support/e2e';
 *   import { LabelPage } from '../support/label-page';
 *   const e2e = useE2E({ demo: 12, seed: 7 });
 *   e2e.test('labels a record', async (ctx) => {
 *     const label = await LabelPage.open(ctx, { as: 'kim' });   // signed in, the label view fully shown
 *     await label.pickEmotion('happiness');
 *     await label.submitAndNext();
 *     expect(ctx.db().prepare('SELECT count(*) n FROM revisions').get()).toEqual({ n: 1 });
 *     const user = await ctx.api['users.upsert']({ name: 'kim', role: 'annotator' }); // the renderer's typed client
 *   });
 *
 * Needs `npm run build` (the renderer is served from dist/renderer; child mode runs dist/cli).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ApiClient } from '../../contract/api';
import { apiClient } from './api';
import { ARTIFACTS_DIR, E2E_TIMEOUT_MS, VIEWPORT, createWorkspace, gotoApp, launchChromium, startServerFor, waitForLabelView, type ServerHandle } from './browser';

export interface E2EOptions {
  /** Demo records in the workspace (0: an empty workspace). */
  demo?: number;
  seed?: number;
  /** 'child' runs `node bin/fea.js serve` (use it to test process kills); default in-process. */
  server?: 'in-process' | 'child';
  /** Builds the workspace itself (e.g. with `fea` commands) in `tmp`, returning its folder; `demo`/`seed` are then unused. */
  workspace?: (tmp: string) => string | Promise<string>;
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
  /** The renderer's typed client against this server: resolves to the output or throws ApiCallError. */
  api: ApiClient;
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
    workspaceDir = options.workspace
      ? await options.workspace(tmp)
      : await createWorkspace(path.join(tmp, 'workspace'), { demo: options.demo ?? 12, seed: options.seed ?? 1 });
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
      api: apiClient(url),
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
