/**
 * The shell's two custom protocols: `fea-app://app/…` serves the built renderer, `fea-media://media/<imageKey>`
 * serves workspace images. Both are confined to their folder and answer with the contract's CSP.
 */
import * as fs from 'node:fs';
import type { Protocol } from 'electron';
import { CONTENT_SECURITY_POLICY, ELECTRON_MEDIA_BASE, ELECTRON_MEDIA_SCHEME } from '../contract/transport';
import { APP_HOST, APP_SCHEME } from './ipc';
import { MEDIA_CACHE_CONTROL, appContentType, mediaContentType, resolveConfinedPath } from '../services/media-path';

/** Must be registered before the app is ready. */
export const PRIVILEGED_SCHEMES = [
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  { scheme: ELECTRON_MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
];

const BASE_HEADERS = { 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff' };

function refusal(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...BASE_HEADERS, 'content-type': 'text/plain' } });
}

async function serveFile(file: string, contentType: string, cacheControl: string): Promise<Response> {
  const body = await fs.promises.readFile(file);
  return new Response(new Uint8Array(body), { status: 200, headers: { ...BASE_HEADERS, 'content-type': contentType, 'cache-control': cacheControl } });
}

/** The part after `<prefix>`, still percent-encoded, without query or fragment; null when the URL is not ours. */
export function keyAfter(prefix: string, url: string): string | null {
  if (!url.startsWith(prefix)) return null;
  return url.slice(prefix.length).split(/[?#]/)[0];
}

export async function handleMediaRequest(request: Request, mediaDir: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405, 'method not allowed');
  const key = keyAfter(ELECTRON_MEDIA_BASE, request.url);
  if (key === null) return refusal(404, 'not found');
  const resolved = resolveConfinedPath(mediaDir, key);
  if (!resolved.ok) return refusal(resolved.status, resolved.status === 404 ? 'not found' : 'refused');
  return serveFile(resolved.file, mediaContentType(resolved.file), MEDIA_CACHE_CONTROL);
}

export async function handleAppRequest(request: Request, rendererDir: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405, 'method not allowed');
  const key = keyAfter(`${APP_SCHEME}://${APP_HOST}/`, request.url);
  if (key === null) return refusal(404, 'not found');
  const resolved = resolveConfinedPath(rendererDir, key === '' ? 'index.html' : key);
  if (!resolved.ok) return refusal(resolved.status, resolved.status === 404 ? 'not found' : 'refused');
  return serveFile(resolved.file, appContentType(resolved.file), 'no-cache');
}

export function registerProtocols(protocol: Pick<Protocol, 'handle'>, dirs: { mediaDir: string; rendererDir: string }): void {
  protocol.handle(APP_SCHEME, (request) => handleAppRequest(request, dirs.rendererDir));
  protocol.handle(ELECTRON_MEDIA_SCHEME, (request) => handleMediaRequest(request, dirs.mediaDir));
}
