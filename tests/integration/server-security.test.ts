/** Server mode's security: confined media, CSP and companions on every response, loopback only, SSE delivery. */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../contract/transport';
import { openWorkspace } from '../../db/open';
import { ServerConfigError, startServer, type RunningServer } from '../../server';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-sec-'));
const wsDir = path.join(tmp, 'ws');
const rendererDir = path.join(tmp, 'renderer');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
let server: RunningServer;

beforeAll(async () => {
  openWorkspace(wsDir, { create: true }).close();
  fs.mkdirSync(path.join(wsDir, 'media', 'ab'), { recursive: true });
  fs.writeFileSync(path.join(wsDir, 'media', 'ab', 'face.png'), PNG);
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'outside the workspace');
  fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(wsDir, 'media', 'escape.png'));
  fs.symlinkSync(tmp, path.join(wsDir, 'media', 'up'));
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>FEA Studio</title><div id="root"></div>');
  server = await startServer({ workspaceDir: wsDir, port: 0, rendererDir, heartbeatMs: 50 });
});

afterAll(async () => {
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A raw request: the path goes out exactly as written (fetch and browsers would normalise `..`). */
function raw(rawPath: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: rawPath, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('media', () => {
  test('a real media file is served, with immutable caching', async () => {
    const res = await raw('/media/ab/face.png');
    expect(res.status).toBe(200);
    expect(res.body.equals(PNG)).toBe(true);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toContain('immutable');
  });

  const traversals = [
    '/media/../fea.sqlite',
    '/media/ab/../../fea.sqlite',
    '/media/%2e%2e/fea.sqlite',
    '/media/%2E%2E/fea.sqlite',
    '/media/..%2ffea.sqlite',
    '/media/..%2Ffea.sqlite',
    '/media/%2e%2e%2ffea.sqlite',
    '/media/%252e%252e/fea.sqlite',
    '/media/%252e%252e%252ffea.sqlite',
    '/media/..%5cfea.sqlite',
    '/media/..\\fea.sqlite',
    '/media/ab\\..\\..\\fea.sqlite',
    '/media//etc/passwd',
    '/media/%2fetc%2fpasswd',
    `/media/${encodeURIComponent(path.join(wsDir, 'fea.sqlite'))}`,
    '/media/C:%5cWindows%5cwin.ini',
    '/media/ab/face.png%00.txt',
    '/media/ab/%00',
    '/media/./ab/face.png',
    '/media/escape.png',
    '/media/up/secret.txt',
    '/media/up/ws/fea.sqlite',
    '/media/%',
    '/media/',
    '/fea.sqlite',
    '/../fea.sqlite',
    '/%2e%2e/fea.sqlite',
  ];
  test.each(traversals)('%s is refused and never serves the file', async (p) => {
    const res = await raw(p);
    expect([400, 403, 404]).toContain(res.status);
    const text = res.body.toString('latin1');
    expect(text).not.toContain('SQLite format');
    expect(text).not.toContain('outside the workspace');
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  test('media answers GET only', async () => {
    const res = await fetch(`${server.url}media/ab/face.png`, { method: 'POST' });
    expect(res.status).toBe(405);
  });
});

describe('headers', () => {
  const expectSecurityHeaders = (h: Headers | http.IncomingHttpHeaders) => {
    const get = (k: string) => (h instanceof Headers ? h.get(k) : (h[k] as string | undefined));
    expect(get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(get('x-content-type-options')).toBe('nosniff');
    expect(get('referrer-policy')).toBe('no-referrer');
    expect(get('x-powered-by') ?? null).toBeNull();
  };

  test('on HTML, API, media, events and errors', async () => {
    const html = await fetch(server.url);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toContain('text/html');
    expectSecurityHeaders(html.headers);

    const api = await fetch(`${server.url}api/call/workspace.info`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(api.headers.get('content-type')).toContain('application/json');
    expectSecurityHeaders(api.headers);

    expectSecurityHeaders((await raw('/media/ab/face.png')).headers);
    expectSecurityHeaders((await raw('/no/such/page')).headers);
    expectSecurityHeaders((await raw('/media/..%2ffea.sqlite')).headers);
  });

  test('a foreign Host (DNS rebinding) is refused', async () => {
    const res = await raw('/', { host: 'evil.example' });
    expect(res.status).toBe(421);
  });

  test('request bodies are size-limited', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024), role: 'annotator' });
    const res = await fetch(`${server.url}api/call/users.upsert`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });
});

describe('binding', () => {
  test.each(['0.0.0.0', '::', '192.168.1.10', 'example.com'])('refuses to listen on %s: sign-in does not exist yet', async (host) => {
    await expect(startServer({ workspaceDir: wsDir, port: 0, host, rendererDir })).rejects.toThrow(ServerConfigError);
    await expect(startServer({ workspaceDir: wsDir, port: 0, host, rendererDir })).rejects.toThrow(/sign-in does not exist yet/);
  });

  test('binds to 127.0.0.1 by default', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });
});

describe('events', () => {
  test('SSE delivers a published event, sends heartbeats and unsubscribes on close', async () => {
    const controller = new AbortController();
    const res = await fetch(`${server.url}api/events`, { signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}`);
        text += decoder.decode(value, { stream: true });
      }
    };
    await readUntil('retry:');
    server.ctx.events.publish({ type: 'records.changed', ids: ['rec-1', 'rec-2'] });
    await readUntil('rec-2');
    const line = text.split('\n').find((l) => l.startsWith('data: '))!;
    expect(JSON.parse(line.slice(6))).toEqual({ type: 'records.changed', ids: ['rec-1', 'rec-2'] });
    await readUntil(': heartbeat');

    const listenersBefore = (server.ctx.events as unknown as { emitter: { listenerCount(e: string): number } }).emitter.listenerCount('event');
    controller.abort();
    await reader.cancel().catch(() => undefined);
    const deadline = Date.now() + 2000;
    let after = listenersBefore;
    while (Date.now() < deadline && after >= listenersBefore) {
      await new Promise((r) => setTimeout(r, 20));
      after = (server.ctx.events as unknown as { emitter: { listenerCount(e: string): number } }).emitter.listenerCount('event');
    }
    expect(after).toBe(listenersBefore - 1);
  });
});
