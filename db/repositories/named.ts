/**
 * Named statements: every call is timed, and one slower than SLOW_QUERY_MS on the main thread is logged with its
 * name and duration (as Signal-Desktop's MainSQL does): a slow query there stalls every IPC/HTTP call behind it.
 * Worker threads (analysis, training) are not watched: they block nobody.
 */
import { performance } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { stmt } from './statements';

export const SLOW_QUERY_MS = 40;

export interface QueryMonitor {
  enabled: boolean;
  thresholdMs: number;
  /** Milliseconds, monotonic. */
  now(): number;
  slow(name: string, ms: number): void;
}

const DEFAULT_MONITOR: QueryMonitor = {
  enabled: isMainThread,
  thresholdMs: SLOW_QUERY_MS,
  now: () => performance.now(),
  slow: (name, ms) => process.stderr.write(`fea: slow query ${name} took ${Math.round(ms)} ms\n`),
};

let monitor: QueryMonitor = DEFAULT_MONITOR;

/** Replaces parts of the monitor (tests inject a clock and a sink); returns the function that puts the previous one back. */
export function setQueryMonitor(patch: Partial<QueryMonitor>): () => void {
  const previous = monitor;
  monitor = { ...previous, ...patch };
  return () => {
    monitor = previous;
  };
}

/** Runs one query under its name, logging it when it is slow. */
export function timed<T>(name: string, run: () => T): T {
  const m = monitor;
  if (!m.enabled) return run();
  const start = m.now();
  try {
    return run();
  } finally {
    const ms = m.now() - start;
    if (ms > m.thresholdMs) m.slow(name, ms);
  }
}

/** Time spent inside SQLite while stepping an iterator (not the caller's work between rows), logged once at the end. */
function* timedIterate<T>(name: string, rows: IterableIterator<T>): Generator<T, void, undefined> {
  const m = monitor;
  let ms = 0;
  try {
    for (;;) {
      const start = m.enabled ? m.now() : 0;
      const next = rows.next();
      if (m.enabled) ms += m.now() - start;
      if (next.done) return;
      yield next.value;
    }
  } finally {
    rows.return?.();
    if (m.enabled && ms > m.thresholdMs) m.slow(name, ms);
  }
}

export interface NamedStatement {
  readonly name: string;
  get<T>(...params: unknown[]): T | undefined;
  all<T>(...params: unknown[]): T[];
  run(...params: unknown[]): Database.RunResult;
  iterate<T>(...params: unknown[]): Generator<T, void, undefined>;
}

/** A cached prepared statement whose calls are timed under `name` (say what it asks: "records.byEmotion"). */
export function named(db: Database.Database, name: string, sql: string): NamedStatement {
  const s = stmt(db, sql);
  return {
    name,
    get: <T>(...params: unknown[]) => timed(name, () => s.get(...params) as T | undefined),
    all: <T>(...params: unknown[]) => timed(name, () => s.all(...params) as T[]),
    run: (...params: unknown[]) => timed(name, () => s.run(...params)),
    iterate: <T>(...params: unknown[]) => timedIterate(name, s.iterate(...params) as IterableIterator<T>),
  };
}
