/**
 * bench/soak: server mode's memory under stalled event streams and a burst of submits. Prints one JSON object:
 *   {streams: {opened, accepted, refused}, submits: {n, ok, p50Ms, p95Ms}, probeP95Ms,
 *    rssMb: {before, duringMax, after}, afterMinusBeforeMb, targetMb: 50, pass}
 *
 *   npm run build:node && npm run bench:soak [-- --streams 200 --submits 1000 --concurrency 20 --demo 100]
 *
 * "before" is taken after a warm-up burst of --warmup submits (`cold` is the RSS before it).
 * `fea serve` runs as a child process on a fresh demo workspace (bench/out/soak/), so its RSS (/proc/<pid>/status)
 * is the server's alone. The stalled clients connect to /api/events and never read (paused sockets). Every
 * submit publishes a records.changed; a few go to records with 300 KB ids, the payload that took the server to
 * 1.9 GB before events were bounded. "API p95" is a records.get probe running alongside the burst.
 * Bounded: the run stops itself after --deadline seconds (default 180).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { openWorkspace } from '../db/open';
import { addRevision, insertImage, insertRecord, systemUserId } from '../db/repositories';
import { initWorkspace } from '../services/workspace/init';
import { num } from './args';

const ROOT = path.resolve(__dirname, '..', '..');

const STREAMS = num('streams', 200);
const SUBMITS = num('submits', 1000);
const CONCURRENCY = num('concurrency', 20);
const DEMO = num('demo', 100);
const LONG_ID_RECORDS = num('long', 40);
const DEADLINE_S = num('deadline', 180);
const SETTLE_S = num('settle', 10);
const WARMUP = num('warmup', 200);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round((kb / 1024) * 10) / 10;
}

function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] * 10) / 10;
}

async function serve(ws: string): Promise<{ child: ChildProcess; url: string; port: number }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'fea.js'), 'serve', ws, '--port', '0', '--json', '--quiet'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const { url, port } = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`fea serve exited with ${code}`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as { url: string; port: number });
    });
  });
  return { child, url, port };
}

async function call<T>(url: string, method: string, input: unknown): Promise<{ ok: boolean; value?: T; ms: number; status: number }> {
  const t0 = performance.now();
  const res = await fetch(`${url}api/call/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
  const body = (await res.json()) as { ok: boolean; value?: T };
  return { ...body, ms: performance.now() - t0, status: res.status };
}

function stalledStream(port: number): Promise<{ socket: net.Socket; status: number }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`);
    });
    socket.once('data', (chunk: Buffer) => {
      socket.pause(); // never read again
      resolve({ socket, status: Number(/^HTTP\/1\.1 (\d+)/.exec(chunk.toString('latin1'))?.[1] ?? 0) });
    });
    socket.on('error', () => resolve({ socket, status: 0 }));
  });
}

async function main(): Promise<void> {
  const stopAt = setTimeout(() => {
    process.stderr.write(`bench/soak: over ${DEADLINE_S} s, stopping\n`);
    process.exit(3);
  }, DEADLINE_S * 1000);
  stopAt.unref();

  const ws = path.join(ROOT, 'bench', 'out', 'soak', 'ws');
  fs.rmSync(ws, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(ws), { recursive: true });
  await initWorkspace(ws, { demo: DEMO, seed: 1 });
  const longIds: string[] = [];
  const db = openWorkspace(ws);
  db.db.transaction(() => {
    // No media file behind it: submits and events never read the image.
    const imageId = insertImage(db.db, { sha256: 'f'.repeat(64), ext: 'png', width: 8, height: 8, originalName: 'soak.png', subject: 'soak' }).id;
    for (let i = 0; i < LONG_ID_RECORDS; i++) {
      const id = `${'x'.repeat(300_000)}${i}`;
      insertRecord(db.db, { id, imageId, source: 'soak' });
      addRevision(db.db, { recordId: id, emotion: 'fear', aus: [], reasoning: 'soak', authorId: systemUserId(db.db), kind: 'import' });
      longIds.push(id);
    }
  })();
  db.close();

  const { child, url, port } = await serve(ws);
  const pid = child.pid!;
  try {
    const user = await call<{ id: number }>(url, 'users.upsert', { name: 'soak', role: 'annotator' });
    const rows = await call<{ rows: { id: string }[] }>(url, 'records.query', { limit: 1000, filter: { source: 'demo' } });
    const ids = rows.value!.rows.map((r) => r.id);
    const cold = rssMb(pid);
    const userId = user.value!.id;
    const submit = (recordId: string, i: number) =>
      call(url, 'annotations.submit', { recordId, userId, emotion: 'happiness', aus: [{ au: 'AU6' }, { au: 'AU12' }], reasoning: `soak ${i}` });
    // Warm-up: the first burst compiles code paths, fills statement caches and grows V8's young generation to its
    // working size once (none of it is given back); "before" is the warmed server, so the delta is what streams leave.
    let warm = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (warm < WARMUP) {
          const i = warm++;
          await submit(ids[i % ids.length], -i);
          await call(url, 'records.get', { id: ids[i % ids.length] });
        }
      }),
    );
    await sleep(1000);
    const before = rssMb(pid);

    let duringMax = before;
    const sampler = setInterval(() => {
      duringMax = Math.max(duringMax, rssMb(pid));
    }, 100);

    const streams = await Promise.all(Array.from({ length: STREAMS }, () => stalledStream(port)));
    const accepted = streams.filter((s) => s.status === 200).length;
    const refused = streams.filter((s) => s.status === 503).length;

    const submitMs: number[] = [];
    let ok = 0;
    let next = 0;
    const worker = async () => {
      while (next < SUBMITS) {
        const i = next++;
        const recordId = i % 25 === 0 && longIds.length ? longIds[(i / 25) % longIds.length] : ids[i % ids.length];
        const r = await submit(recordId, i);
        submitMs.push(r.ms);
        if (r.ok) ok++;
      }
    };
    const probeMs: number[] = [];
    let probing = true;
    const probe = async () => {
      while (probing) {
        probeMs.push((await call(url, 'records.get', { id: ids[probeMs.length % ids.length] })).ms);
        await sleep(20);
      }
    };
    const probeDone = probe();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    probing = false;
    await probeDone;
    await sleep(500);

    for (const s of streams) s.socket.destroy();
    // V8's memory reducer gives freed heap back to the OS only after a few idle seconds.
    await sleep(SETTLE_S * 1000);
    clearInterval(sampler);
    const after = rssMb(pid);
    const afterMinusBeforeMb = Math.round((after - before) * 10) / 10;
    process.stdout.write(
      `${JSON.stringify({
        streams: { opened: STREAMS, accepted, refused },
        submits: { n: SUBMITS, ok, longIdSubmits: Math.ceil(SUBMITS / 25), p50Ms: percentile(submitMs, 50), p95Ms: percentile(submitMs, 95) },
        probeP95Ms: percentile(probeMs, 95),
        probes: probeMs.length,
        warmupSubmits: WARMUP,
        rssMb: { cold, before, duringMax, after },
        afterMinusBeforeMb,
        targetMb: 50,
        pass: afterMinusBeforeMb <= 50,
      })}\n`,
    );
  } finally {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}

main().catch((err) => {
  process.stderr.write(`bench/soak: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
