/**
 * Scale benchmark (issue 14): a generated workspace grown to --records N (default 1,000,000) through `fea import`, with
 * measurements at a checkpoint (--checkpoint, default 100,000) and at N, so both sides of each ratio come from one run:
 * import records/s and peak RSS (each import is its own `fea import` process, so RSS at N reads against RSS at the
 * checkpoint), queue page / filter / sort latency (p50/p95 of --calls calls each, through the contract's dispatch and
 * the handlers the UI calls), `fea stats` (CLI wall time with its damage check, again trusting that check, and the handler alone), `fea split` with its leakage report,
 * and every export format's records/s (image placing excluded, --link) with its peak RSS, each in its own process.
 * The JSONL names --images distinct small PNGs (generated, reused by every --images-th record); a third of the records
 * get face-analysis suggestions (written directly: running the detector on a million faces is another bench), so the
 * `uncertain` order has scores to sort by. Progress goes to stderr; one JSON object is the last stdout line.
 *
 *   node dist/bench/scale.js [--records 1000000] [--checkpoint 100000] [--images 3000] [--calls 50] [--keep DIR]
 *   node dist/bench/scale.js --queue-only DIR/ws [--calls 50]   (queue and stats again on a kept workspace)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dispatch } from '../contract/dispatch';
import { openWorkspace, type Workspace } from '../db/open';
import { upsertPrediction } from '../db/repositories';
import { createModel } from '../db/repositories/models';
import { packageRoot } from '../pipelines/runtime/package-root';
import { createContext } from '../services/context';
import { exportCsv } from '../services/export/csv';
import { ENGINE_FORMATS, exportEngine } from '../services/export/engines';
import { exportFacialR1 } from '../services/export/export';
import { createHandlers } from '../services/handlers';
import { ensureImageHashes } from '../services/splits/image-hashes';
import { makeSmoothPng } from '../tests/support/png';
import { percentile } from './stats';

const EMOTIONS = ['anger', 'disgust', 'fear', 'happiness', 'neutral', 'sadness', 'surprise'];
const AU_SETS = [['AU4', 'AU5', 'AU7', 'AU23'], ['AU9', 'AU15', 'AU16'], ['AU1', 'AU2', 'AU4', 'AU5', 'AU20', 'AU26'], ['AU6', 'AU12', 'AU25'], [], ['AU1', 'AU4', 'AU15'], ['AU1', 'AU2', 'AU5', 'AU26']];
const EXPORT_FORMATS = ['facial-r1', 'csv', ...ENGINE_FORMATS] as const;
type ExportFormat = (typeof EXPORT_FORMATS)[number];

const ROOT = packageRoot();
const BIN = path.join(ROOT, 'bin', 'fea.js');
const PEAK_RSS = path.join(ROOT, 'dist', 'bench', 'peak-rss.js');

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a whole number, got ${process.argv[i + 1]}`);
  return v;
}

const log = (msg: string) => process.stderr.write(`bench/scale: ${msg}\n`);
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const mb = (kb: number) => round(kb / 1024);

/** A `fea` command in its own process (preloaded with peak-rss): its --json report, wall seconds and peak RSS. */
function feaRun<T>(args: string[]): { json: T; seconds: number; peakRssMB: number } {
  const rssFile = path.join(os.tmpdir(), `fea-scale-rss-${process.pid}-${Date.now()}`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['-r', PEAK_RSS, BIN, ...args, '--json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 256 << 20,
    env: { ...process.env, FEA_BENCH_RSS_FILE: rssFile },
  });
  const seconds = (performance.now() - t0) / 1000;
  const lines = r.stdout.trim().split('\n');
  if (r.status !== 0) throw new Error(`fea ${args.join(' ')} exited with ${r.status}: ${lines[lines.length - 1]}`);
  const peakRssMB = mb(Number(fs.readFileSync(rssFile, 'utf8')));
  fs.rmSync(rssFile, { force: true });
  return { json: JSON.parse(lines[lines.length - 1]) as T, seconds, peakRssMB };
}

/** The records' JSONL for ids [from, to): a fifth unlabeled, a fifth weak (emotion only), the rest labeled. */
function writeJsonl(file: string, from: number, to: number, images: number): void {
  const fd = fs.openSync(file, 'w');
  let buf = '';
  for (let i = from; i < to; i++) {
    const e = i % 7;
    const kind = i % 10;
    const k = i % images;
    const line: Record<string, unknown> = {
      id: `r${String(i).padStart(7, '0')}`,
      dataset: `BENCH${i % 3}`,
      image: `img/${k % 10}/${k}.png`,
      question: 'What is the emotion of this face?',
      meta_info: { subject: `s${k % 1000}` },
    };
    if (kind >= 2) {
      const emotion = kind < 4 && e === 4 ? 'anger' : EMOTIONS[e];
      line.labels = [emotion];
      if (kind >= 4) {
        line.AUs = AU_SETS[e];
        line.description = `<think>${AU_SETS[e].map((a) => `feature (${a})`).join(', ')} indicate ${EMOTIONS[e]}.</think><answer>${EMOTIONS[e]}</answer>`;
      }
    }
    buf += `${JSON.stringify(line)}\n`;
    if (buf.length > 1 << 16) {
      fs.writeSync(fd, buf);
      buf = '';
    }
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
}

/** Face-analysis suggestions (purpose suggestion, a top-emotion score) for every third record in [from, to). */
function writeSuggestions(ws: Workspace, from: number, to: number): number {
  const db = ws.db;
  const found = db.prepare("SELECT id FROM models WHERE name = 'bench-expression'").get() as { id: number } | undefined;
  const modelId = found?.id ?? createModel(db, { name: 'bench-expression', kind: 'expression', stage: 'analysis', runId: null, parentModelId: null, backend: 'cpu', config: {} });
  let n = 0;
  for (let start = from; start < to; start += 10_000) {
    db.transaction(() => {
      for (let i = start; i < Math.min(to, start + 10_000); i++) {
        if (i % 3 !== 0) continue;
        const score = ((i * 7919) % 1000) / 1000;
        upsertPrediction(db, `r${String(i).padStart(7, '0')}`, modelId, { emotion: EMOTIONS[i % 7], score, emotionScores: { [EMOTIONS[i % 7]]: score }, aus: [], reasoning: '' });
        n++;
      }
    })();
  }
  return n;
}

/** The most one queue case may take (then it stops, after at least 5 calls): the run stays bounded at 1M on 2 cores. */
const CASE_BUDGET_MS = 8000;

function quantiles(ms: number[]): { n: number; p50: number; p95: number; max: number } {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, p50: round(percentile(s, 50)), p95: round(percentile(s, 95)), max: round(s[s.length - 1]) };
}

type Handlers = ReturnType<typeof createHandlers>;

async function call(handlers: Handlers, method: string, input: unknown): Promise<{ ms: number; value: unknown }> {
  const t0 = performance.now();
  const r = await dispatch(handlers, method, input);
  const ms = performance.now() - t0;
  if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
  return { ms, value: r.value };
}

/** Each case --calls times: records.query pages (first, deep, each filter, each sort) and queue.next walks. */
async function queueLatency(handlers: Handlers, total: number, calls: number, split: string | null): Promise<Record<string, ReturnType<typeof quantiles>>> {
  const out: Record<string, ReturnType<typeof quantiles>> = {};
  // Each case stops at --calls calls or after CASE_BUDGET_MS (at least 5 calls): a slow case reports its few calls.
  const page = async (name: string, input: (j: number) => Record<string, unknown>) => {
    const ms: number[] = [];
    const t0 = performance.now();
    for (let j = 0; j < calls && (j < 5 || performance.now() - t0 < CASE_BUDGET_MS); j++) ms.push((await call(handlers, 'records.query', { limit: 100, ...input(j) })).ms);
    out[name] = quantiles(ms);
  };
  await page('firstPage', () => ({}));
  await page('deepPage', (j) => ({ offset: Math.max(0, Math.floor(total * (0.5 + (0.5 * j) / calls)) - 100) }));
  await page('deepPage.emotionSort', (j) => ({ sort: { field: 'emotion', dir: 'asc' }, offset: Math.max(0, Math.floor(total * (0.5 + (0.5 * j) / calls)) - 100) }));
  await page('filter.status', (j) => ({ filter: { status: (['unlabeled', 'weak', 'labeled'] as const)[j % 3] } }));
  await page('filter.emotion', (j) => ({ filter: { emotion: EMOTIONS[j % 7] } }));
  await page('filter.au', (j) => ({ filter: { au: ['AU4', 'AU12', 'AU26', 'AU1'][j % 4] } }));
  await page('filter.source', (j) => ({ filter: { source: `BENCH${j % 3}` } }));
  await page('filter.author', () => ({ filter: { author: 'system' } }));
  if (split) await page('filter.splitPart', (j) => ({ filter: { split, part: ['train', 'val', 'test'][j % 3] } }));
  await page('filter.status+emotion.sortUpdated', (j) => ({ filter: { status: 'labeled', emotion: EMOTIONS[j % 7] }, sort: { field: 'updated', dir: 'desc' } }));
  await page('search', (j) => ({ filter: { search: `s${(j * 37) % 1000}` } }));
  for (const field of ['id', 'status', 'emotion', 'source', 'updated', 'todo', 'uncertain']) {
    await page(`sort.${field}`, (j) => ({ sort: { field, dir: j % 2 ? 'desc' : 'asc' } }));
  }
  await page('sort.uncertain.filter.status', () => ({ filter: { status: 'unlabeled' }, sort: { field: 'uncertain', dir: 'asc' } }));
  for (const field of ['todo', 'uncertain', 'emotion']) {
    const ms: number[] = [];
    let afterId: string | null = null;
    const t0 = performance.now();
    for (let j = 0; j < calls && (j < 5 || performance.now() - t0 < CASE_BUDGET_MS); j++) {
      const r = await call(handlers, 'queue.next', { sort: { field, dir: 'asc' }, afterId, count: 5 });
      ms.push(r.ms);
      afterId = (r.value as { ids: string[] }).ids[0] ?? null;
    }
    out[`queueNext.${field}`] = quantiles(ms);
  }
  return out;
}

/** Child mode: one export in this process, timed without its image phase; prints one JSON line. */
async function exportChild(format: ExportFormat, wsDir: string, outDir: string): Promise<void> {
  const ws = openWorkspace(wsDir);
  const marks: { t: number; done: number }[] = [];
  const t0 = performance.now();
  const onProgress = (done: number) => marks.push({ t: performance.now(), done });
  let records = 0;
  let images = 0;
  if (format === 'facial-r1') {
    const r = exportFacialR1(ws, outDir, { link: true, onProgress });
    records = r.records;
    images = r.images;
  } else if (format === 'csv') {
    records = (await exportCsv(ws, outDir)).rows;
  } else {
    const r = await exportEngine(ws, outDir, format, { link: true, onProgress });
    records = r.records;
    images = r.images;
  }
  const seconds = (performance.now() - t0) / 1000;
  ws.close();
  // The image phase ends at the last progress report that counted only images (engines report images first).
  const imageEnd = format === 'csv' || images === 0 ? t0 : Math.max(t0, ...marks.filter((m) => m.done <= images).map((m) => m.t));
  const recordSeconds = seconds - (imageEnd - t0) / 1000;
  process.stdout.write(
    `${JSON.stringify({ format, records, images, seconds: round(seconds, 2), recordSeconds: round(recordSeconds, 2), recordsPerSecond: Math.round(records / recordSeconds), peakRssMB: mb(process.resourceUsage().maxRSS) })}\n`,
  );
}

function runExport(format: ExportFormat, wsDir: string, outDir: string): Record<string, unknown> {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'bench', 'scale.js'), '--export-child', format, wsDir, outDir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 << 20,
  });
  fs.rmSync(outDir, { recursive: true, force: true });
  const lines = r.stdout.trim().split('\n');
  if (r.status !== 0) return { error: `exited with ${r.status}` };
  return JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
}

async function checkpoint(dir: string, wsDir: string, from: number, to: number, images: number, calls: number): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { records: to };
  const file = path.join(dir, `records-${from}-${to}.jsonl`);
  let t = performance.now();
  writeJsonl(file, from, to, images);
  out.generateSeconds = round((performance.now() - t) / 1000);
  log(`${to}: importing ${to - from} records`);
  const imp = feaRun<{ imported: number; errors: unknown[] }>(['import', wsDir, file, '--images', path.join(dir, 'src')]);
  if (imp.json.imported !== to - from || imp.json.errors.length) throw new Error(`import went wrong: ${JSON.stringify(imp.json).slice(0, 500)}`);
  out.import = { records: imp.json.imported, seconds: round(imp.seconds), recordsPerSecond: Math.round(imp.json.imported / imp.seconds), peakRssMB: imp.peakRssMB };
  fs.rmSync(file);

  const ws = openWorkspace(wsDir);
  t = performance.now();
  const suggestions = writeSuggestions(ws, from, to);
  out.suggestionsWritten = { rows: suggestions, seconds: round((performance.now() - t) / 1000) };
  t = performance.now();
  const hashes = await ensureImageHashes(ws);
  out.imageHashPass = { ...hashes, seconds: round((performance.now() - t) / 1000, 2) };
  ws.close();

  log(`${to}: fea split`);
  const splitName = `scale-${to}`;
  const split = feaRun<{ parts: Record<string, { n: number }>; sharedSubjects: number; exactDuplicatePairs: number; nearDuplicatePairs: number }>([
    'split', wsDir, '--name', splitName, '--ratios', 'train=0.8,val=0.1,test=0.1', '--group', 'subject', '--stratify', 'emotion',
  ]);
  out.split = {
    seconds: round(split.seconds, 2),
    peakRssMB: split.peakRssMB,
    parts: Object.fromEntries(Object.entries(split.json.parts).map(([p, v]) => [p, v.n])),
    sharedSubjects: split.json.sharedSubjects,
    exactDuplicatePairs: split.json.exactDuplicatePairs,
    nearDuplicatePairs: split.json.nearDuplicatePairs,
  };

  log(`${to}: fea stats`);
  // The first call after writes runs the damage check (quick_check over every page); the next trusts its stamp.
  const stats = feaRun<{ records: number }>(['stats', wsDir]);
  const statsAgain = feaRun<{ records: number }>(['stats', wsDir]);
  const handlersWs = openWorkspace(wsDir);
  const handlers = createHandlers(createContext(handlersWs));
  const statsMs: number[] = [];
  for (let j = 0; j < 5; j++) statsMs.push((await call(handlers, 'stats.get', {})).ms);
  out.stats = { cliSeconds: round(stats.seconds, 2), cliSecondsTrusted: round(statsAgain.seconds, 2), handler: quantiles(statsMs), records: stats.json.records };

  log(`${to}: queue latency (${calls} calls per case)`);
  t = performance.now();
  out.queue = await queueLatency(handlers, to, calls, splitName);
  out.queueSeconds = round((performance.now() - t) / 1000);
  handlersWs.close();

  const exports: Record<string, unknown> = {};
  for (const format of EXPORT_FORMATS) {
    log(`${to}: export ${format}`);
    exports[format] = runExport(format, wsDir, path.join(dir, `out-${format}`));
  }
  out.export = exports;
  return out;
}

/** `--queue-only WS`: the queue and stats handlers measured again on a workspace a previous run kept (--keep DIR: DIR/ws). */
async function queueAgain(wsDir: string, calls: number): Promise<void> {
  const ws = openWorkspace(wsDir);
  const handlers = createHandlers(createContext(ws));
  const total = (await call(handlers, 'records.query', { limit: 1 })).value as { total: number };
  const split = (ws.db.prepare('SELECT name FROM splits ORDER BY id DESC LIMIT 1').get() as { name: string } | undefined)?.name ?? null;
  const statsMs: number[] = [];
  for (let j = 0; j < 5; j++) statsMs.push((await call(handlers, 'stats.get', {})).ms);
  const queue = await queueLatency(handlers, total.total, calls, split);
  ws.close();
  process.stdout.write(`${JSON.stringify({ records: total.total, callsPerCase: calls, stats: { handler: quantiles(statsMs) }, queue, cpus: os.cpus().length, loadavg1: round(os.loadavg()[0], 2) })}\n`);
}

async function main(): Promise<void> {
  const childAt = process.argv.indexOf('--export-child');
  if (childAt >= 0) {
    const [format, wsDir, outDir] = process.argv.slice(childAt + 1);
    return exportChild(format as ExportFormat, wsDir, outDir);
  }
  const queueOnly = process.argv.indexOf('--queue-only');
  if (queueOnly >= 0) return queueAgain(path.resolve(process.argv[queueOnly + 1]), flag('calls', 50));
  const N = flag('records', 1_000_000);
  const at = Math.min(flag('checkpoint', 100_000), N);
  const images = flag('images', 3000);
  const calls = flag('calls', 50);
  const keepAt = process.argv.indexOf('--keep');
  const dir = keepAt >= 0 ? path.resolve(process.argv[keepAt + 1]) : fs.mkdtempSync(path.join(os.tmpdir(), 'fea-bench-scale-'));
  fs.mkdirSync(dir, { recursive: true });
  const started = performance.now();
  try {
    for (let k = 0; k < images; k++) {
      const folder = path.join(dir, 'src', 'img', String(k % 10));
      if (k < 10) fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(path.join(folder, `${k}.png`), makeSmoothPng(k + 1));
    }
    const wsDir = path.join(dir, 'ws');
    feaRun(['init', wsDir]);
    const sizes = at > 0 && at < N ? [at, N] : [N];
    const checkpoints: Record<string, unknown>[] = [];
    let from = 0;
    for (const to of sizes) {
      checkpoints.push(await checkpoint(dir, wsDir, from, to, images, calls));
      from = to;
    }
    const first = checkpoints[0] as { import: { peakRssMB: number } };
    const last = checkpoints[checkpoints.length - 1] as { import: { peakRssMB: number } };
    process.stdout.write(
      `${JSON.stringify({
        records: N,
        distinctImages: images,
        callsPerCase: calls,
        checkpoints,
        importRssRatio: checkpoints.length > 1 ? round(last.import.peakRssMB / first.import.peakRssMB, 2) : null,
        dbMB: round(fs.statSync(path.join(wsDir, 'fea.sqlite')).size / 2 ** 20),
        totalSeconds: round((performance.now() - started) / 1000),
        cpus: os.cpus().length,
        loadavg1: round(os.loadavg()[0], 2),
      })}\n`,
    );
  } finally {
    if (keepAt < 0) fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
