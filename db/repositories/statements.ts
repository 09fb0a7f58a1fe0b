/** Prepared statements cached per connection: hot paths (import, query) must not re-parse SQL. */
import type Database from 'better-sqlite3';
import type { z } from 'zod';

const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function stmt(db: Database.Database, sql: string): Database.Statement {
  let perDb = cache.get(db);
  if (!perDb) {
    perDb = new Map();
    cache.set(db, perDb);
  }
  let s = perDb.get(sql);
  if (!s) {
    s = db.prepare(sql);
    perDb.set(sql, s);
  }
  return s;
}

export function nowIso(): string {
  return new Date().toISOString();
}

/**
 * Stored JSON parsed with its schema (as Signal-Desktop's safeParseUnknown): null when it is absent, not JSON, or does
 * not fit, never a cast. A value that is there but does not fit is logged once per kind of value (`what`, e.g. "draft"),
 * naming the first row (`of`) and the field: the data is kept, the reader falls back.
 */
export function parseStored<T>(schema: z.ZodType<T>, text: string | null | undefined, what: string, of?: string | number): T | null {
  if (!text) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    warnOnce(what, of, 'is not JSON');
    return null;
  }
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  warnOnce(what, of, `does not fit its schema (field ${issue.path.join('.') || '(root)'}: ${issue.message})`);
  return null;
}

const warned = new Set<string>();
function warnOnce(what: string, of: string | number | undefined, problem: string): void {
  if (warned.has(what)) return;
  warned.add(what);
  process.stderr.write(`fea: stored ${what}${of === undefined ? '' : ` of ${of}`} ${problem}; it is read as empty (further ones are not reported)\n`);
}

/** JSON text as an unknown value (or the fallback): for callers that check the shape themselves, e.g. with a schema. */
export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
