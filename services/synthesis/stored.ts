import type { z } from 'zod';
import { parseStored as parseStoredAt } from '../../db/repositories/statements';

/**
 * Stored JSON of a round (config, report, candidates' targets, checks, attempts, decisions) parsed with its schema;
 * null when it does not fit. '{}' is the JSON columns' default, "nothing written yet": null without a warning.
 */
export function parseStored<T>(schema: z.ZodType<T>, text: string | null | undefined): T | null {
  return text === '{}' ? null : parseStoredAt(schema, text, 'synthesis round data');
}
