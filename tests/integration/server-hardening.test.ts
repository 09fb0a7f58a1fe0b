/** Server mode under a careless user and a hostile page: status codes, no SQL text in a 500, Range 416, event-stream back-pressure, escaped logs. */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { openWorkspace } from '../../db/open';
import { addRevision, insertImage, insertRecord, systemUserId } from '../../db/repositories';
import { startServer, type RunningServer } from '../../server';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-hard-'));
const wsDir = path.join(tmp, 'ws');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const logLines: string[] = [];
let server: RunningServer;

beforeAll(async () => {
  const ws = openWorkspace(wsDir, { create: true });
  const img = insertImage(ws.db, { sha256: 'a'.padStart(64, '0'), ext: 'png', width: 8, height: 8, originalName: '1.png', subject: 's1' });
  insertRecord(ws.db, { id: 'r1', imageId: img.id, source: 'A' });
  for (let i = 2; i <= 5; i++) {
    const im = insertImage(ws.db, { sha256: String(i).padStart(64, '0'), ext: 'png', width: 8, height: 8, originalName: `${i}.png`, subject: `s${i}` });
    insertRecord(ws.db, { id: `r${i}`, imageId: im.id, source: 'A' });
    addRevision(ws.db, { recordId: `r${i}`, emotion: 'fear', aus: [], reasoning: 'imported', authorId: systemUserId(ws.db), kind: 'import' });
  }
  ws.close();
  fs.mkdirSync(path.join(wsDir, 'media', 'ab'), { recursive: true });
  fs.writeFileSync(path.join(wsDir, 'media', 'ab', 'face.png'), PNG);
  server = await startServer({
    workspaceDir: wsDir,
    port: 0,
    rendererDir: path.join(tmp, 'no-renderer'),
    heartbeatMs: 1000,
    log: (line) => logLines.push(line),
    streamLimits: { maxStreams: 5, lagBytes: 4 * 1024, dropBytes: 32 * 1024 },
  });
});

afterAll(async () => {
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function call(method: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: { ok: boolean; error?: { code: string; message: string } } }> {
  const res = await fetch(`${server.url}api/call/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { ok: boolean; error?: { code: string; message: string } } };
}

let userId = 0;
beforeAll(async () => {
  const res = await fetch(`${server.url}api/call/users.upsert`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'kim', role: 'annotator' }) });
  userId = ((await res.json()) as { value: { id: number } }).value.id;
});

describe('status codes', () => {
  test('not_found 404, invalid_label 422, exists 409', async () => {
    expect((await call('records.get', { id: 'nope' })).status).toBe(404);
    const label = await call('annotations.submit', { recordId: 'r1', userId, emotion: 'bogus', aus: [], reasoning: '' });
    expect(label).toMatchObject({ status: 422, body: { error: { code: 'invalid_label' } } });
    const undo = await call('decisions.undo', { userId });
    expect(undo).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect((await call('splits.create', { name: 'twice', ratios: { train: 1 } })).status).toBe(200);
    expect(await call('splits.create', { name: 'twice', ratios: { train: 0.5, test: 0.5 } })).toMatchObject({ status: 409, body: { error: { code: 'exists' } } });
  });

  test('a second undo of one decision is a conflict: 409', async () => {
    const sub = await call('annotations.submit', { recordId: 'r1', userId, emotion: 'anger', aus: [], reasoning: 'x' });
    expect(sub.status).toBe(200);
    const decisionId = (sub.body as unknown as { value: { decisionId: number } }).value.decisionId;
    expect((await call('decisions.undo', { userId, decisionId })).status).toBe(200);
    expect(await call('decisions.undo', { userId, decisionId })).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
  });

  test.each([
    ['a missing parentPredictionId', 'annotations.submit', { recordId: 'r1', userId, emotion: 'anger', aus: [], reasoning: 'x', parentPredictionId: 999 }, [404]],
    ['leadTimeMs 1e19', 'annotations.submit', { recordId: 'r1', userId, emotion: 'anger', aus: [], reasoning: 'x', leadTimeMs: 1e19 }, [400]],
    ['ratios: {}', 'splits.create', { name: 'main', ratios: {} }, [400]],
    ['a 60 KB search pattern', 'records.query', { filter: { search: 'a%_'.repeat(20_000) } }, [400]],
  ])('%s answers a clean 4xx, no SQL text', async (_what, method, input, statuses) => {
    const res = await call(method, { ...input, userId: 'userId' in input ? userId : undefined });
    expect(statuses).toContain(res.status);
    expect(res.body.error?.message ?? '').not.toMatch(/FOREIGN KEY|INTEGER column|LIKE or GLOB|SQLITE|constraint/i);
  });

  test('a 500 never carries the error text; the log does', async () => {
    // A failure no input check foresaw, with SQL in its message.
    const spy = jest.spyOn(server.ctx.ws.db, 'prepare').mockImplementation(() => {
      throw new Error('SQLITE_ERROR: near "SELECT secret FROM": syntax error');
    });
    try {
      const res = await call('stats.get', {});
      expect(res.status).toBe(500);
      expect(res.body.error?.message).not.toMatch(/SQLITE|secret/);
    } finally {
      spy.mockRestore();
    }
    expect(logLines.some((l) => l.includes('SELECT secret FROM'))).toBe(true);
  });
});

test('an unsatisfiable media Range answers 416 with Content-Range, not 404', async () => {
  const res = await fetch(`${server.url}media/ab/face.png`, { headers: { range: 'bytes=1000-2000' } });
  expect(res.status).toBe(416);
  expect(res.headers.get('content-range')).toBe(`bytes */${PNG.length}`);
  expect((await fetch(`${server.url}media/ab/face.png`, { headers: { range: 'bytes=0-3' } })).status).toBe(206);
});

describe('log lines', () => {
  test('a refused cross-origin call is logged; user-controlled text in the log is escaped', async () => {
    logLines.length = 0;
    const res = await call('stats.get', {}, { origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    expect(logLines.some((l) => l.includes('refused cross-origin') && l.includes('evil.example'))).toBe(true);
    // DNS rebinding: a foreign Host on an API call (fetch would not let the Host header be set).
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: server.port, path: '/api/call/stats.get', method: 'POST', headers: { host: 'evil.example', 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(rebound).toBe(421);
    expect(logLines.some((l) => l.includes('/api/call/stats.get 421'))).toBe(true);
    await call(encodeURIComponent('x\n2026-01-01T00:00:00.000Z call users.upsert ok 1ms\u001b[2J'), {});
    const forged = logLines.find((l) => l.includes('2026-01-01T00:00:00.000Z'));
    expect(forged).toBeDefined();
    expect(forged).not.toContain('\n');
    expect(forged).not.toContain('\u001b');
    expect(forged).toContain('\\u{A}');
  });
});

/** A client that connects to the event stream and never reads. */
function stalledStream(): Promise<{ socket: net.Socket; status: number }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1', () => {
      socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAccept: text/event-stream\r\n\r\n`);
    });
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      resolve({ socket, status: Number(/^HTTP\/1\.1 (\d+)/.exec(chunk.toString('latin1'))?.[1] ?? 0) });
    });
    socket.on('error', reject);
  });
}

describe('event stream back-pressure', () => {
  test('streams past the cap answer 503; a stalled stream is closed once its backlog passes the bound; readers are served again', async () => {
    const streams = await Promise.all(Array.from({ length: 5 }, () => stalledStream()));
    expect(streams.map((s) => s.status)).toEqual([200, 200, 200, 200, 200]);
    const extra = await fetch(`${server.url}api/events`);
    expect(extra.status).toBe(503);
    await extra.body?.cancel();
    // Several MB of events: a stalled stream must not hold them.
    const filler = 'r'.repeat(200);
    for (let i = 0; i < 4000; i++) server.ctx.events.publish({ type: 'records.changed', ids: [`${filler}${i}`] });
    await new Promise((r) => setTimeout(r, 300));
    for (let i = 0; i < 4000; i++) server.ctx.events.publish({ type: 'records.changed', ids: [`${filler}${i}`] });
    await new Promise((r) => setTimeout(r, 300));
    expect(server.streams.dropped).toBe(5);
    expect(server.streams.size).toBe(0);
    for (const s of streams) s.socket.destroy();
    // After the drops a reader is served again, and gets events.
    const got = await new Promise<string>((resolve, reject) => {
      const req = http.get(`${server.url}api/events`, (res) => {
        let buf = '';
        res.on('data', (c: Buffer) => {
          buf += c.toString();
          if (buf.includes('"ids":["r1"]')) {
            req.destroy();
            resolve(buf);
          }
        });
        setTimeout(() => server.ctx.events.publish({ type: 'records.changed', ids: ['r1'] }), 50);
      });
      req.on('error', reject);
    });
    expect(got).toContain('records.changed');
  });
});
