/**
 * The one schema of an AU mark (an AU with its optional intensity and side), for the contract's inputs and for what
 * db/ reads back from stored JSON. Kept apart from vocabulary.ts so the renderer's bundle, which imports the choice
 * lists, does not carry zod.
 */
import { z } from 'zod';
import { INTENSITIES, SIDES, type AUMark } from './vocabulary';

export const AUMarkSchema = z.object({
  au: z.string().regex(/^AU\d+$/),
  intensity: z.enum(INTENSITIES).nullable().optional(),
  side: z.enum(SIDES).nullable().optional(),
}) satisfies z.ZodType<AUMark>;
