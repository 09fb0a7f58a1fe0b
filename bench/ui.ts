/**
 * bench/ui: time from submit (Ctrl+Enter in the label view) to the next record fully shown (its id and its image),
 * on a workspace of 100,000 records, in Debian Chromium against server mode. Prints one JSON object:
 *   {records, samples, p50Ms, p95Ms, targetP95Ms: 100, …}
 *
 *   npm run build && npm run bench:ui [-- --records 100000 --samples 200 --warmup 5 --images 300 --server child|in-process --rebuild]
 *
 * The workspace is cached in bench/out/ui-<records>/: `--images` demo faces made by initWorkspace, then records
 * that reuse those images inserted through the records repository in one transaction.
 * Timing is taken inside the page: from the Ctrl+Enter keydown to the DOM mutation that marks the label view
 * `data-ready="true"` with a new `data-record-id` (the UI sets it once the record's data and image are shown);
 * `paintP95Ms` adds the next animation frame. `roundTripP95Ms` is the same interval seen from Node (playwright overhead included).
 * `criticalPath` lists the requests made inside that window (median start offset and duration per call).
 * The server's log (one line per API call with its duration) is saved to test-artifacts/bench/ui-server.log.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openWorkspace } from '../db/open';
import { countRecords, insertRecord } from '../db/repositories/records';
import { isWorkspace } from '../services/workspace/user-data';
import {
  LABEL_VIEW,
  ROOT,
  VIEWPORT,
  createWorkspace,
  gotoApp,
  launchChromium,
  startServerFor,
  waitForLabelView,
} from '../tests/support/browser';
import { callMethod, nodeTransport } from '../tests/support/api-transport';
import { percentile } from './stats';

/** The browser globals the functions run inside the page use (bench/ compiles without the DOM lib). */
interface PageElement {
  getAttribute(name: string): string | null;
}
declare const document: {
  documentElement: unknown;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
};
declare const window: { addEventListener(type: 'keydown', fn: (e: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }) => void, capture: boolean): void };
declare const localStorage: { setItem(key: string, value: string): void };
declare function requestAnimationFrame(fn: () => void): number;
declare const performance: {
  now(): number;
  setResourceTimingBufferSize(n: number): void;
  getEntriesByType(type: 'resource'): { name: string; startTime: number; duration: number }[];
};
declare class MutationObserver {
  constructor(fn: () => void);
  observe(target: unknown, options: { subtree: boolean; childList: boolean; attributes: boolean; attributeFilter: string[] }): void;
}

interface Args {
  records: number;
  samples: number;
  warmup: number;
  images: number;
  server: 'in-process' | 'child';
  rebuild: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { records: 100_000, samples: 200, warmup: 5, images: 300, server: 'child', rebuild: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--records') args.records = Number(value());
    else if (flag === '--samples') args.samples = Number(value());
    else if (flag === '--warmup') args.warmup = Number(value());
    else if (flag === '--images') args.images = Number(value());
    else if (flag === '--server') args.server = value() === 'in-process' ? 'in-process' : 'child';
    else if (flag === '--rebuild') args.rebuild = true;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return args;
}

const progress = (line: string) => process.stderr.write(`[bench:ui] ${line}\n`);

/** The cached 100k workspace: reused when it already holds enough records. */
async function ensureWorkspace(args: Args): Promise<{ dir: string; built: boolean; buildMs: number }> {
  const outDir = path.join(ROOT, 'bench', 'out');
  const dir = path.join(outDir, `ui-${args.records}`);
  if (!args.rebuild && isWorkspace(dir)) {
    const ws = openWorkspace(dir, { readonly: true });
    const n = countRecords(ws.db);
    ws.close();
    if (n >= args.records) return { dir, built: false, buildMs: 0 };
  }
  const started = Date.now();
  fs.rmSync(dir, { recursive: true, force: true });
  const stagingParent = path.join(outDir, `.building-${process.pid}`);
  const staging = path.join(stagingParent, path.basename(dir));
  fs.mkdirSync(stagingParent, { recursive: true });
  try {
    progress(`drawing ${args.images} demo faces`);
    await createWorkspace(staging, { demo: args.images, seed: 1 });
    const ws = openWorkspace(staging);
    try {
      const images = ws.db.prepare('SELECT id FROM images ORDER BY id').all() as { id: number }[];
      if (images.length === 0) throw new Error('the demo workspace has no images');
      const existing = countRecords(ws.db);
      progress(`inserting ${args.records - existing} records over ${images.length} images`);
      const createdAt = new Date().toISOString();
      ws.db.transaction(() => {
        for (let i = existing; i < args.records; i++) {
          insertRecord(ws.db, { id: `bench-${String(i).padStart(6, '0')}`, imageId: images[i % images.length].id, source: 'bench', createdAt });
        }
      })();
      ws.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      ws.close();
    }
    fs.renameSync(staging, dir);
  } finally {
    fs.rmSync(stagingParent, { recursive: true, force: true });
  }
  return { dir, built: true, buildMs: Date.now() - started };
}

const round = (x: number) => Math.round(x * 10) / 10;
const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: round(percentile(s, 50)), p95: round(percentile(s, 95)), max: round(s[s.length - 1] ?? NaN) };
};

/** One request the page made between Ctrl+Enter and the next record shown: what, when it started, how long. */
interface WindowRequest {
  name: string;
  startMs: number;
  durationMs: number;
}

/**
 * Installed in the page: times Ctrl+Enter → label view ready with another record, and keeps the requests
 * (resource timing) that ran inside that window, so the critical path can be read off.
 */
function installProbe(selector: string): void {
  type Probe = { t0: number; from: string | null; dom: number[]; paint: number[]; windows: [number, number][] };
  const w = window as unknown as { __feaBench: Probe };
  const probe: Probe = { t0: 0, from: null, dom: [], paint: [], windows: [] };
  w.__feaBench = probe;
  performance.setResourceTimingBufferSize(100_000);
  window.addEventListener(
    'keydown',
    (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.shiftKey) {
        probe.t0 = performance.now();
        probe.from = document.querySelector(selector)?.getAttribute('data-record-id') ?? null;
      }
    },
    true,
  );
  new MutationObserver(() => {
    if (!probe.t0) return;
    const el = document.querySelector(selector);
    const id = el?.getAttribute('data-record-id');
    if (!el || el.getAttribute('data-ready') !== 'true' || !id || id === probe.from) return;
    const t0 = probe.t0;
    const t1 = performance.now();
    probe.t0 = 0;
    probe.dom.push(t1 - t0);
    probe.windows.push([t0, t1]);
    requestAnimationFrame(() => probe.paint.push(performance.now() - t0));
  }).observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready', 'data-record-id'] });
}

/** The requests (resource timing, read once the run is over) that started inside each submit→shown window. */
function requestsInWindows(page: import('playwright-core').Page, windows: [number, number][]): Promise<WindowRequest[][]> {
  return page.evaluate((wins) => {
    const entries = performance.getEntriesByType('resource').map((r) => {
      const url = new URL(r.name);
      const name = url.pathname.startsWith('/api/call/') ? url.pathname.slice('/api/call/'.length) : url.pathname.split('/')[1] || url.pathname;
      return { name, start: r.startTime, duration: r.duration };
    });
    return wins.map(([t0, t1]) => entries.filter((e) => e.start >= t0 && e.start <= t1).map((e) => ({ name: e.name, startMs: e.start - t0, durationMs: e.duration })));
  }, windows);
}

/** Per request name: how many samples made it inside the window, and its median start offset and duration. */
function criticalPath(samples: WindowRequest[][]): Record<string, { inSamples: number; startP50Ms: number; durationP50Ms: number }> {
  const byName = new Map<string, { starts: number[]; durations: number[]; samples: number }>();
  for (const requests of samples) {
    const seen = new Set<string>();
    for (const r of requests) {
      const e = byName.get(r.name) ?? { starts: [], durations: [], samples: 0 };
      e.starts.push(r.startMs);
      e.durations.push(r.durationMs);
      if (!seen.has(r.name)) e.samples += 1;
      seen.add(r.name);
      byName.set(r.name, e);
    }
  }
  return Object.fromEntries(
    [...byName.entries()]
      .sort((a, b) => percentile([...a[1].starts].sort((x, y) => x - y), 50) - percentile([...b[1].starts].sort((x, y) => x - y), 50))
      .map(([name, e]) => [
        name,
        { inSamples: e.samples, startP50Ms: round(percentile([...e.starts].sort((x, y) => x - y), 50)), durationP50Ms: round(percentile([...e.durations].sort((x, y) => x - y), 50)) },
      ]),
  );
}

/** Emotion + AUs that pass the reasoning checks once composed (happiness: AU6 + AU12). */
async function fillValidForm(page: import('playwright-core').Page): Promise<void> {
  await page.keyboard.press('Shift+Backspace');
  await page.locator('[data-testid="emotion-happiness"]').click();
  await page.keyboard.press('c');
  await page.keyboard.press('p');
  await page.keyboard.press('Control+Shift+Space');
  await page.waitForFunction(
    () => {
      const checks = [...document.querySelectorAll('[data-testid^="check-"]')];
      return checks.length > 0 && checks.every((c) => c.getAttribute('data-ok') === 'true');
    },
    undefined,
    { timeout: 5000 },
  );
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const ws = await ensureWorkspace(args);
  progress(`${ws.built ? `built in ${ws.buildMs} ms` : 'reusing'} ${ws.dir}`);
  const server = await startServerFor(ws.dir, args.server);
  const browser = await launchChromium();
  try {
    const api = nodeTransport(server.url);
    const user = await callMethod(api, 'users.upsert', { name: `bench-${process.pid}`, role: 'annotator' });
    if (!user.ok) throw new Error(`users.upsert: ${user.error.message}`);
    const context = await browser.newContext({ viewport: VIEWPORT });
    await context.addInitScript((id) => localStorage.setItem('fea.userId', String(id)), user.value.id);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await gotoApp(page, server.url, '#/label');
    let id = await waitForLabelView(page, { timeoutMs: 30_000 });
    await page.evaluate(installProbe, LABEL_VIEW);

    const roundTrips: number[] = [];
    const total = args.warmup + args.samples;
    for (let i = 0; i < total; i++) {
      await fillValidForm(page);
      const t0 = performance.now();
      await page.keyboard.press('Control+Enter');
      id = await waitForLabelView(page, { notId: id, timeoutMs: 10_000 });
      if (i >= args.warmup) roundTrips.push(performance.now() - t0);
      if ((i + 1) % 50 === 0) progress(`${i + 1}/${total} submits`);
    }
    await page.waitForFunction((n) => (window as unknown as { __feaBench: { paint: number[] } }).__feaBench.paint.length >= n, total);
    const probe = await page.evaluate(() => (window as unknown as { __feaBench: { dom: number[]; paint: number[]; windows: [number, number][] } }).__feaBench);
    const requests = await requestsInWindows(page, probe.windows.slice(args.warmup));
    const dom = summary(probe.dom.slice(args.warmup));
    const paint = summary(probe.paint.slice(args.warmup));
    const rt = summary(roundTrips);
    fs.mkdirSync(path.join(ROOT, 'test-artifacts', 'bench'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'test-artifacts', 'bench', 'ui-last.png') });
    const rows = await callMethod(api, 'records.query', { limit: 1 });
    const result = {
      bench: 'ui',
      records: rows.ok ? rows.value.total : args.records,
      samples: probe.dom.length - args.warmup,
      warmup: args.warmup,
      p50Ms: dom.p50,
      p95Ms: dom.p95,
      maxMs: dom.max,
      targetP95Ms: 100,
      pass: dom.p95 < 100,
      paintP50Ms: paint.p50,
      paintP95Ms: paint.p95,
      roundTripP50Ms: rt.p50,
      roundTripP95Ms: rt.p95,
      server: args.server,
      workspaceBuilt: ws.built,
      workspaceBuildMs: ws.buildMs,
      pageErrors: pageErrors.length,
      criticalPath: criticalPath(requests),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
    fs.mkdirSync(path.join(ROOT, 'test-artifacts', 'bench'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'test-artifacts', 'bench', 'ui-server.log'), `${server.log.join('\n')}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:ui failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
