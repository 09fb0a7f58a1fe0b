/**
 * The label form of the record on screen: what it opens with (a form kept from a failed submit, else the user's
 * draft, else the current revision), and edits, each of which schedules a draft save.
 */
import { useCallback, useRef, useState } from 'react';
import type { RecordDetail } from '../../../contract/types';
import { EMPTY_FORM, initialForm, type FormState } from './form';
import type { DraftWriter } from './useDraftWriter';

export interface LabelForm {
  form: FormState;
  /** The form was filled from the user's unsubmitted draft. */
  draftRestored: boolean;
  /** The form as of the last edit (state may not have rendered yet). */
  current(): FormState;
  /** Milliseconds since the record was shown. */
  shownForMs(): number;
  /** Fills the form for a record just shown. */
  open(detail: RecordDetail): void;
  /** A user edit of the record on screen. */
  edit(fn: (f: FormState) => FormState): void;
  /** The next time `recordId` opens, it opens with `form` (its submit failed after the view moved on). */
  keepForReopen(recordId: string, form: FormState): void;
}

export function useLabelForm(writer: Pick<DraftWriter, 'open' | 'schedule'>): LabelForm {
  const { open: openDraft, schedule } = writer;
  const [form, setForm] = useState<FormState>(EMPTY_FORM);
  const [draftRestored, setDraftRestored] = useState(false);
  const formRef = useRef<FormState>(EMPTY_FORM);
  const recordId = useRef<string | null>(null);
  const shownAt = useRef(0);
  const reopenWith = useRef<{ recordId: string; form: FormState } | null>(null);

  const open = useCallback(
    (d: RecordDetail) => {
      const kept = reopenWith.current?.recordId === d.row.id ? reopenWith.current.form : null;
      reopenWith.current = null;
      const { form: f, fromDraft } = kept ? { form: kept, fromDraft: true } : initialForm(d);
      recordId.current = d.row.id;
      shownAt.current = performance.now();
      formRef.current = f;
      setForm(f);
      setDraftRestored(fromDraft);
      openDraft(d.row.id, fromDraft);
    },
    [openDraft],
  );

  const edit = useCallback(
    (fn: (f: FormState) => FormState) => {
      const id = recordId.current;
      if (!id) return;
      const next = fn(formRef.current);
      formRef.current = next;
      setForm(next);
      schedule(id, next);
    },
    [schedule],
  );

  const current = useCallback(() => formRef.current, []);
  const shownForMs = useCallback(() => performance.now() - shownAt.current, []);
  const keepForReopen = useCallback((id: string, f: FormState) => {
    reopenWith.current = { recordId: id, form: f };
  }, []);

  return { form, draftRestored, current, shownForMs, open, edit, keepForReopen };
}
