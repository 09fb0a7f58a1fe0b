/** Server mode's guards: loopback-only binding, headers on every response, and same-origin checks. */
import * as net from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { CONTENT_SECURITY_POLICY } from '../contract/transport';

export class ServerConfigError extends Error {}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 4317;

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h === 'localhost') return true;
  if (net.isIPv4(h)) return h.split('.')[0] === '127';
  if (net.isIPv6(h)) return h === '::1' || /^::ffff:127\./.test(h);
  return false;
}

/** Server mode has no sign-in: anyone who can reach the port can read and write the workspace. */
export function assertLoopback(host: string): void {
  if (!isLoopbackHost(host)) {
    throw new ServerConfigError(
      `refusing to listen on ${host}: server mode only binds to a loopback address (127.0.0.1, ::1, localhost) because sign-in does not exist yet`,
    );
  }
}

export const BASE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  for (const [k, v] of Object.entries(BASE_HEADERS)) res.setHeader(k, v);
  next();
}

/**
 * A page on another site can make the browser send requests to 127.0.0.1 (CSRF), and DNS rebinding can make
 * a foreign name resolve to it. Refuse a Host that is not loopback and, for API calls, an Origin other than ours.
 */
export function loopbackHostOnly(req: Request, res: Response, next: NextFunction): void {
  const host = req.headers.host ?? '';
  const hostname = host.replace(/:\d+$/, '');
  if (!isLoopbackHost(hostname)) {
    res.status(421).type('text/plain').send('misdirected request: server mode only answers loopback host names');
    return;
  }
  next();
}

export function sameOriginOnly(req: Request): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    const u = new URL(origin);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.host === req.headers.host;
  } catch {
    return false;
  }
}
