import type { z } from 'zod';
import { parseStored as parseStoredAt } from '../../db/repositories/statements';

/** Stored JSON of a round (config, candidates' targets, checks, attempts, decisions) parsed with its schema; null when it does not fit. */
export function parseStored<T>(schema: z.ZodType<T>, text: string | null | undefined): T | null {
  return parseStoredAt(schema, text, 'synthesis round data');
}
