/**
 * `GET /api/events`: every EventBus event as one Server-Sent Events `data:` line, with a heartbeat.
 *
 * A client that stops reading must not make the server hold its events: streams are capped (503 past the cap),
 * a stream whose unsent buffer is over `lagBytes` gets no further writes until 'drain' (its events wait in a
 * queue), and one whose buffer and queue pass `dropBytes` is closed (EventSource reconnects when its reader
 * comes back).
 */
import type { Request, Response } from 'express';
import type { EventBus } from '../services/events';

export const HEARTBEAT_MS = 15_000;
export const MAX_STREAMS = 100;
export const LAG_BYTES = 64 * 1024;
export const DROP_BYTES = 256 * 1024;

export interface StreamLimits {
  heartbeatMs?: number;
  maxStreams?: number;
  lagBytes?: number;
  dropBytes?: number;
}

export class EventStreams {
  private readonly open = new Set<Response>();
  private readonly heartbeatMs: number;
  private readonly maxStreams: number;
  private readonly lagBytes: number;
  private readonly dropBytes: number;
  /** Streams closed for lagging past dropBytes, since start: a count for the log and the soak bench. */
  dropped = 0;
  refused = 0;

  constructor(
    private readonly events: EventBus,
    limits: StreamLimits = {},
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.heartbeatMs = limits.heartbeatMs ?? HEARTBEAT_MS;
    this.maxStreams = limits.maxStreams ?? MAX_STREAMS;
    this.lagBytes = limits.lagBytes ?? LAG_BYTES;
    this.dropBytes = limits.dropBytes ?? DROP_BYTES;
  }

  get size(): number {
    return this.open.size;
  }

  handle = (req: Request, res: Response): void => {
    if (this.open.size >= this.maxStreams) {
      this.refused++;
      res.status(503).setHeader('Retry-After', '5');
      res.setHeader('Cache-Control', 'no-store');
      res.type('text/plain').send(`too many event streams open (${this.maxStreams})`);
      return;
    }
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write('retry: 2000\n\n');
    this.open.add(res);

    const queue: string[] = [];
    let queued = 0;
    const send = (chunk: string): void => {
      if (res.destroyed || res.writableEnded) return;
      if (queue.length === 0 && res.writableLength <= this.lagBytes) {
        res.write(chunk);
        return;
      }
      const pending = res.writableLength + queued + chunk.length;
      if (pending > this.dropBytes) {
        this.dropped++;
        this.log(`event stream closed: its client left ${pending} bytes unread`);
        queue.length = 0;
        queued = 0;
        res.destroy();
        return;
      }
      queue.push(chunk);
      queued += chunk.length;
    };
    const onDrain = () => {
      while (queue.length && res.writableLength <= this.lagBytes) {
        const chunk = queue.shift()!;
        queued -= chunk.length;
        res.write(chunk);
      }
    };
    res.on('drain', onDrain);
    const unsubscribe = this.events.subscribe((event) => send(`data: ${JSON.stringify(event)}\n\n`));
    // A heartbeat only proves the connection is alive; a stream with a backlog does not need one.
    const heartbeat = setInterval(() => queue.length === 0 && send(': heartbeat\n\n'), this.heartbeatMs);
    heartbeat.unref();
    const cleanup = () => {
      clearInterval(heartbeat);
      unsubscribe();
      res.off('drain', onDrain);
      this.open.delete(res);
    };
    req.on('close', cleanup);
    res.on('close', cleanup);
  };

  closeAll(): void {
    for (const res of [...this.open]) res.end();
    this.open.clear();
  }
}
