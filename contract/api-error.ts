/**
 * Typed details an API error may carry, one zod schema for both transports: dispatch validates them before they
 * leave, so IPC and HTTP callers see exactly this shape.
 */
import { z } from 'zod';
import { INTENSITIES, SIDES } from '../pipelines/facs/vocabulary';

const MarkSchema = z.object({
  au: z.string(),
  intensity: z.enum(INTENSITIES).nullable().optional(),
  side: z.enum(SIDES).nullable().optional(),
});

/** A revision as a conflict shows it: the answer someone else saved while the caller worked. */
export const RevisionSnapshotSchema = z.object({
  id: z.number().int(),
  emotion: z.string().nullable(),
  aus: z.array(MarkSchema),
  reasoning: z.string(),
  author: z.string(),
  createdAt: z.string(),
});
export type RevisionSnapshot = z.infer<typeof RevisionSnapshotSchema>;

/** `conflict` of annotations.submit: the caller's base is not the record's current revision (null: it has none). */
export const SubmitConflictSchema = z.object({
  kind: z.literal('submit_conflict'),
  recordId: z.string(),
  baseRevisionId: z.number().int().nullable(),
  current: RevisionSnapshotSchema.nullable(),
});
export type SubmitConflict = z.infer<typeof SubmitConflictSchema>;

export const ApiErrorDetailsSchema = z.discriminatedUnion('kind', [SubmitConflictSchema]);
export type ApiErrorDetails = z.infer<typeof ApiErrorDetailsSchema>;
