/** Server mode: the same UI and typed API as the Electron shell, over HTTP on a loopback address. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceContext } from '../services/context';
import { rendererDir as defaultRendererDir } from '../pipelines/runtime/package-root';
import { openServices } from '../services/open';
import { createServerApp } from './app';
import { assertLoopback, DEFAULT_HOST, DEFAULT_PORT } from './security';
import type { StreamLimits } from './sse';

export { ServerConfigError, isLoopbackHost, DEFAULT_HOST, DEFAULT_PORT } from './security';

export interface StartServerOptions {
  workspaceDir: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  rendererDir?: string;
  log?: (line: string) => void;
  heartbeatMs?: number;
  streamLimits?: StreamLimits;
}

export interface RunningServer {
  url: string;
  port: number;
  ctx: ServiceContext;
  /** Open event streams and what their limits refused or closed (for tests and the soak bench). */
  streams: { readonly size: number; readonly dropped: number; readonly refused: number };
  close(): Promise<void>;
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  assertLoopback(host);
  const services = openServices(options.workspaceDir);
  const { app, streams } = createServerApp({
    handlers: services.handlers,
    events: services.ctx.events,
    mediaDir: services.ctx.ws.mediaDir,
    rendererDir: options.rendererDir ?? defaultRendererDir(),
    log: options.log,
    heartbeatMs: options.heartbeatMs,
    streamLimits: options.streamLimits,
  });
  const server = http.createServer(app);
  server.requestTimeout = 60_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? DEFAULT_PORT, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await services.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${urlHost}:${port}/`,
    port,
    ctx: services.ctx,
    streams,
    close() {
      closing ??= new Promise<void>((resolve) => {
        streams.closeAll();
        server.close(() => {
          void services.close().then(resolve, resolve);
        });
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      });
      return closing;
    },
  };
}
