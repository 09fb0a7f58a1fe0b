/**
 * Server mode's express app: the built renderer, the typed API (`POST /api/call/<method>`), events (SSE) and media.
 *
 * API status codes (the body is always an ApiResult): STATUS_BY_CODE below; a code not in it (a handler's own refusal
 * such as not_implemented or empty) answers 200 with ok:false. A 500 never carries the error's text (it may be SQL):
 * that goes to the log.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { dispatch } from '../contract/dispatch';
import type { ApiHandlers, ApiResult } from '../contract/api';
import { HTTP_CALL_PREFIX, HTTP_EVENTS_PATH, HTTP_MEDIA_PREFIX } from '../contract/transport';
import type { EventBus } from '../services/events';
import { MEDIA_CACHE_CONTROL, mediaContentType, resolveMediaPath } from '../services/media-path';
import { escapeForTerminal } from '../contract/text';
import { loopbackHostOnly, sameOriginOnly, securityHeaders } from './security';
import { EventStreams, type StreamLimits } from './sse';

export const BODY_LIMIT = '1mb';

export interface ServerAppOptions {
  handlers: ApiHandlers;
  events: EventBus;
  mediaDir: string;
  rendererDir: string;
  log?: (line: string) => void;
  heartbeatMs?: number;
  streamLimits?: StreamLimits;
}

const STATUS_BY_CODE: Record<string, number> = {
  invalid_input: 400,
  invalid_json: 400,
  forbidden: 403,
  unknown_method: 404,
  not_found: 404,
  conflict: 409,
  exists: 409,
  payload_too_large: 413,
  invalid_label: 422,
  internal: 500,
  workspace_damaged: 503,
};

const fail = (code: string, message: string): ApiResult<unknown> => ({ ok: false, error: { code, message } });

export const INTERNAL_MESSAGE = 'internal error; the server log has the details';

function sendResult(res: Response, result: ApiResult<unknown>, log?: (line: string) => void): void {
  if (!result.ok && result.error.code === 'internal') {
    log?.(`internal error ${res.req.method} ${res.req.originalUrl}: ${result.error.message}`);
    result = fail('internal', INTERNAL_MESSAGE);
  }
  res.status(result.ok ? 200 : (STATUS_BY_CODE[result.error.code] ?? 200));
  res.setHeader('Cache-Control', 'no-store');
  res.json(result);
}


export function createServerApp(options: ServerAppOptions): { app: express.Express; streams: EventStreams } {
  // Log lines carry user-controlled text (method names, URLs, Origins, error messages): escaped, no line can be forged.
  const sink = options.log ?? (() => undefined);
  const log = (line: string) => sink(escapeForTerminal(line));
  const streams = new EventStreams(options.events, { heartbeatMs: options.heartbeatMs, ...options.streamLimits }, log);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeaders);
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.on('finish', () => {
      // A dispatched call has its own `call …` line; a refusal before dispatch (421 Host, 403, 413, bad JSON) needs this one.
      if (res.statusCode >= 400 && !res.locals.logged) log(`${req.method} ${req.originalUrl} ${res.statusCode}`);
    });
    next();
  });
  app.use(loopbackHostOnly);

  // Media first, on the raw URL: express would decode `%2f` before we could see it.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const rawPath = req.originalUrl.split('?')[0];
    if (!rawPath.startsWith(HTTP_MEDIA_PREFIX)) return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.status(405).setHeader('Allow', 'GET, HEAD').type('text/plain').send('method not allowed');
      return;
    }
    const resolved = resolveMediaPath(options.mediaDir, rawPath.slice(HTTP_MEDIA_PREFIX.length));
    if (!resolved.ok) {
      log(`media refused ${resolved.status} ${rawPath}: ${resolved.reason}`);
      res.status(resolved.status).type('text/plain').send(resolved.status === 404 ? 'not found' : 'refused');
      return;
    }
    res.setHeader('Cache-Control', MEDIA_CACHE_CONTROL);
    res.setHeader('Content-Type', mediaContentType(resolved.file));
    res.sendFile(resolved.file, { dotfiles: 'allow', cacheControl: false, lastModified: false }, (err?: Error & { status?: number; headers?: Record<string, string> }) => {
      if (!err || res.headersSent) return;
      // send reports an unsatisfiable Range as a 416 error carrying Content-Range; only a missing file is a 404.
      if (err.status === 416) {
        res.removeHeader('Cache-Control');
        for (const [k, v] of Object.entries(err.headers ?? {})) res.setHeader(k, v);
        res.status(416).type('text/plain').send('range not satisfiable');
      } else res.status(404).type('text/plain').send('not found');
    });
  });

  app.get(HTTP_EVENTS_PATH, streams.handle);

  app.all(`${HTTP_CALL_PREFIX}:method`, (req, res, next) => {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      res.status(405).json(fail('method_not_allowed', 'API calls are POST with a JSON body'));
      return;
    }
    if (!sameOriginOnly(req)) {
      log(`refused cross-origin call ${req.method} ${req.originalUrl} from Origin ${req.headers.origin ?? ''}`);
      res.locals.logged = true;
      return sendResult(res, fail('forbidden', 'cross-origin API call refused'));
    }
    if (!req.is('application/json')) return sendResult(res, fail('forbidden', 'API calls must send content-type application/json'));
    next();
  });
  app.post(`${HTTP_CALL_PREFIX}:method`, express.json({ limit: BODY_LIMIT, strict: false }), async (req: Request, res: Response) => {
    const method = String(req.params.method);
    const started = Date.now();
    const result = await dispatch(options.handlers, method, req.body);
    log(`call ${method} ${result.ok ? 'ok' : result.error.code} ${Date.now() - started}ms`);
    res.locals.logged = true;
    sendResult(res, result, log);
  });

  if (fs.existsSync(path.join(options.rendererDir, 'index.html'))) {
    app.use(
      express.static(options.rendererDir, {
        index: 'index.html',
        dotfiles: 'deny',
        redirect: false,
        setHeaders(res, file) {
          // Vite's assets are content-hashed; index.html is not.
          res.setHeader('Cache-Control', file.includes(`${path.sep}assets${path.sep}`) ? MEDIA_CACHE_CONTROL : 'no-cache');
        },
      }),
    );
  } else {
    app.get('/', (_req, res) => {
      res.status(503).type('text/plain').send(`The renderer is not built (${options.rendererDir} is missing); run "npm run build".`);
    });
  }

  app.use((req: Request, res: Response) => {
    if (req.path.startsWith('/api/')) return sendResult(res, fail('not_found', `no route ${req.method} ${req.path}`));
    res.status(404).type('text/plain').send('not found');
  });

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = err as { type?: string; status?: number; message?: string };
    if (res.headersSent) return;
    if (e.type === 'entity.too.large') return sendResult(res, fail('payload_too_large', `request body over ${BODY_LIMIT}`));
    if (e.type === 'entity.parse.failed') return sendResult(res, fail('invalid_json', `body is not valid JSON: ${e.message}`));
    if (e.status && e.status >= 400 && e.status < 500) {
      res.status(e.status).type('text/plain').send('bad request');
      return;
    }
    log(`error ${req.method} ${req.originalUrl}: ${e.message ?? String(err)}`);
    if (req.path.startsWith('/api/')) return sendResult(res, fail('internal', INTERNAL_MESSAGE));
    res.status(500).type('text/plain').send('internal error');
  });

  return { app, streams };
}
