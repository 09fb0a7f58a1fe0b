/**
 * The config and summary JSON stored with a split, checked on read: a row written by an older version lacks the leakage
 * fields; a dataset import's split (fer2013's Usage parts) has no ratios, seed or stratification.
 */
import { z } from 'zod';

const PartSchema = z.object({ n: z.number().int(), byEmotion: z.record(z.string(), z.number()) });
const PairSchema = z.object({ a: z.string(), partA: z.string(), b: z.string(), partB: z.string(), distance: z.number().int() });
const CountsSchema = z.object({ sharedSubjects: z.number().int(), exactDuplicatePairs: z.number().int(), nearDuplicatePairs: z.number().int() });

export const LeakageSchema = CountsSchema.extend({
  nearDupThreshold: z.number().int(),
  unhashed: z.number().int(),
  examples: z.object({ sharedSubjects: z.array(z.string()), exactDuplicates: z.array(PairSchema), nearDuplicates: z.array(PairSchema) }),
});

export const MovedSchema = z.object({
  records: z.number().int(),
  groups: z.number().int(),
  flows: z.array(z.object({ from: z.string(), to: z.string(), records: z.number().int() })),
  before: CountsSchema,
  examples: z.array(z.object({ id: z.string(), from: z.string(), to: z.string() })),
});

export const StoredSummarySchema = z.object({
  parts: z.record(z.string(), PartSchema),
  maxStratDeviation: z.number(),
  sharedSubjects: z.number().int(),
  fractions: z.record(z.string(), z.number()),
  exactDuplicatePairs: z.number().int().optional(),
  nearDuplicatePairs: z.number().int().optional(),
  leakage: LeakageSchema.optional(),
  moved: MovedSchema.optional(),
});

export type StoredSummary = z.infer<typeof StoredSummarySchema>;

/** A stored summary, or an error naming the split when the row does not hold one. */
export function parseStoredSummary(splitName: string, value: unknown): StoredSummary {
  const r = StoredSummarySchema.safeParse(value);
  if (!r.success) throw new Error(`split "${splitName}": stored summary is not valid: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

export const StoredConfigSchema = z.object({
  ratios: z.record(z.string(), z.number()).optional(),
  stratify: z.literal('emotion').nullable().optional(),
  group: z.literal('subject').nullable().optional(),
  seed: z.number().int().optional(),
  records: z.number().int().optional(),
  /** A dataset import's split: who made it. */
  source: z.string().optional(),
  format: z.string().optional(),
});

export type StoredConfig = z.infer<typeof StoredConfigSchema>;

/** A stored config, or an error naming the split when the row does not hold one. */
export function parseStoredConfig(splitName: string, value: unknown): StoredConfig {
  const r = StoredConfigSchema.safeParse(value);
  if (!r.success) throw new Error(`split "${splitName}": stored config is not valid: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}
