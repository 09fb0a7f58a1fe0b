/**
 * Typed details an API error may carry, one zod schema for both transports: dispatch validates them before they
 * leave, so IPC and HTTP callers see exactly this shape.
 */
import { z } from 'zod';
import { AUMarkSchema } from '../pipelines/facs/mark-schema';

/** A revision as a conflict shows it: the answer someone else saved while the caller worked. */
export const RevisionSnapshotSchema = z.object({
  id: z.number().int(),
  emotion: z.string().nullable(),
  aus: z.array(AUMarkSchema),
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
