/** `GET /api/events`: every EventBus event as one Server-Sent Events `data:` line, with a heartbeat. */
import type { Request, Response } from 'express';
import type { EventBus } from '../services/events';

export const HEARTBEAT_MS = 15_000;

export class EventStreams {
  private readonly open = new Set<Response>();

  constructor(
    private readonly events: EventBus,
    private readonly heartbeatMs = HEARTBEAT_MS,
  ) {}

  get size(): number {
    return this.open.size;
  }

  handle = (req: Request, res: Response): void => {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write('retry: 2000\n\n');
    this.open.add(res);
    const unsubscribe = this.events.subscribe((event) => {
      res.write(`data: ${JSON.stringify(event)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), this.heartbeatMs);
    heartbeat.unref();
    const cleanup = () => {
      clearInterval(heartbeat);
      unsubscribe();
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
