/**
 * A submit refused because someone else answered the record meanwhile: what the conflict dialog shows (their
 * answer and mine) and what each way out does. Keeping mine submits it again on their revision; taking theirs
 * drops my draft and shows their answer, with no new revision; merging reopens the form with the union of both
 * AUs and my emotion and reasoning, to be submitted on their revision.
 */
import { useCallback, useState } from 'react';
import type { RevisionSnapshot, SubmitConflict } from '../../../contract/api';
import { normaliseMarks, type FormState } from './form';

export interface SubmitConflictState {
  recordId: string;
  mine: FormState;
  theirs: RevisionSnapshot | null;
}

export const CONFLICT_CHOICES = ['keepMine', 'takeTheirs', 'merge'] as const;
export type ConflictChoice = (typeof CONFLICT_CHOICES)[number];

/** The dialog's keys: one letter per way out. */
export const CONFLICT_KEYS: Readonly<Record<ConflictChoice, string>> = { keepMine: 'k', takeTheirs: 't', merge: 'm' };

export interface ConflictResolvers {
  /** Submits `form` for `recordId` on `baseRevisionId` (their revision). */
  resubmit(recordId: string, form: FormState, baseRevisionId: number | null): void;
  /** Drops my draft of `recordId` and shows the record as it now is. */
  showCurrent(recordId: string): void;
  /** Shows `recordId` (now on their revision) with `form` in the editor, unsubmitted. */
  reopenWith(recordId: string, form: FormState): void;
}

/** My emotion and reasoning, every AU either of us marked (my intensity and side where we both did). */
export function mergeAnswers(mine: FormState, theirs: RevisionSnapshot | null): FormState {
  if (!theirs) return mine;
  return { ...mine, aus: normaliseMarks([...theirs.aus, ...mine.aus]) };
}

export interface SubmitConflictHook {
  conflict: SubmitConflictState | null;
  /** A submit of `mine` was refused with these details. */
  raise(mine: FormState, details: SubmitConflict): void;
  resolve(choice: ConflictChoice): void;
}

export function useSubmitConflict(resolvers: ConflictResolvers): SubmitConflictHook {
  const [conflict, setConflict] = useState<SubmitConflictState | null>(null);
  const { resubmit, showCurrent, reopenWith } = resolvers;

  const raise = useCallback((mine: FormState, details: SubmitConflict) => {
    setConflict({ recordId: details.recordId, mine, theirs: details.current });
  }, []);

  const resolve = useCallback(
    (choice: ConflictChoice) => {
      if (!conflict) return;
      const { recordId, mine, theirs } = conflict;
      setConflict(null);
      if (choice === 'keepMine') resubmit(recordId, mine, theirs?.id ?? null);
      else if (choice === 'takeTheirs') showCurrent(recordId);
      else reopenWith(recordId, mergeAnswers(mine, theirs));
    },
    [conflict, resubmit, showCurrent, reopenWith],
  );

  return { conflict, raise, resolve };
}
