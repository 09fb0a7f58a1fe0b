import type { z } from 'zod';

/** Stored JSON parsed with its schema; null when it is not JSON or does not fit (never cast). */
export function parseStored<T>(schema: z.ZodType<T>, text: string | null | undefined): T | null {
  if (!text) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const r = schema.safeParse(value);
  return r.success ? r.data : null;
}
