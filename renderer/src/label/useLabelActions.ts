/**
 * What the annotator does to a record: submit (and move on), skip, undo, discard the draft, accept the model's
 * suggestion, compose the reasoning. Writes go through the draft writer's queue, after any draft save.
 */
import { useCallback, useRef } from 'react';
import type { ApiClient, SubmitConflict } from '../../../contract/api';
import type { RecordDetail } from '../../../contract/types';
import { checkReasoning, composeReasoning } from '../../../pipelines/facs/reasoning';
import { ApiCallError } from '../api/client';
import { errorText } from '../components/Toasts';
import { auSet, fromSuggestion, mergeSuggestion, type FormState } from './form';
import type { RecordCache } from './recordCache';
import type { DraftWriter } from './useDraftWriter';
import type { LabelForm } from './useLabelForm';
import type { RecordNavigation } from './useRecordNavigation';

interface Options {
  api: ApiClient;
  cache: Pick<RecordCache, 'forget' | 'invalidate'>;
  userId: number;
  detail: RecordDetail | null;
  writer: DraftWriter;
  nav: Pick<RecordNavigation, 'shownId' | 'reload' | 'goTo'>;
  form: LabelForm;
  /** Opens a record by changing the route. */
  open(id: string): void;
  /** The Recent panel has a new decision. */
  decided(): void;
  /** Submitting failing checks needs a yes first. */
  confirmSubmit(): void;
  closeModal(): void;
  /** Someone else answered the record since it loaded: `mine` was not saved. */
  conflicted(mine: FormState, details: SubmitConflict): void;
  toast(text: string, kind?: 'info' | 'error'): void;
}

export interface LabelActions {
  /** Submits and moves on; with failing checks, asks first unless `confirmed`. */
  submit(confirmed: boolean): void;
  skip(reason: string): Promise<void>;
  /** Undoes the user's last decision, or `decisionId`. */
  undo(decisionId?: number): Promise<void>;
  discardDraft(): void;
  acceptSuggestion(): void;
  /** The suggestion's present AUs added to the form's (see mergeSuggestion in form.ts). */
  mergeSuggestion(): void;
  compose(): void;
  /** Conflict ways out (see useSubmitConflict). */
  resubmit(recordId: string, form: FormState, baseRevisionId: number | null): void;
  showCurrent(recordId: string): void;
  reopenWith(recordId: string, form: FormState): void;
}

/** A submit attempt: its idempotency key is reused when the same answer is sent again after an unanswered try. */
interface Attempt {
  recordId: string;
  baseRevisionId: number | null;
  answer: string;
  key: string;
}

const conflictOf = (err: unknown): SubmitConflict | null =>
  err instanceof ApiCallError && err.code === 'conflict' && err.details?.kind === 'submit_conflict' ? err.details : null;

export function useLabelActions({ api, cache, userId, detail, writer, nav, form, open, decided, confirmSubmit, closeModal, conflicted, toast }: Options): LabelActions {
  const { enqueue, flush, cancel } = writer;
  const { shownId, reload, goTo } = nav;
  const { current, edit, keepForReopen, shownForMs } = form;

  /** The last attempt that got no reply from the API (lost on the way): sent again, it keeps its key. */
  const unanswered = useRef<Attempt | null>(null);

  const attemptKey = useCallback((recordId: string, baseRevisionId: number | null, f: FormState): Attempt => {
    const answer = JSON.stringify(f);
    const last = unanswered.current;
    if (last && last.recordId === recordId && last.baseRevisionId === baseRevisionId && last.answer === answer) return last;
    return { recordId, baseRevisionId, answer, key: crypto.randomUUID() };
  }, []);

  /**
   * The write is queued and the next record, already prefetched, is shown in the same task. If the write fails,
   * the record is reopened with what was typed; if someone else answered it meanwhile, with the conflict dialog.
   */
  const send = useCallback(
    (id: string, f: FormState, baseRevisionId: number | null) => {
      cancel();
      cache.forget([id]);
      const attempt = attemptKey(id, baseRevisionId, f);
      enqueue(() =>
        api['annotations.submit']({
          recordId: id,
          userId,
          emotion: f.emotion,
          aus: f.aus,
          reasoning: f.reasoning,
          parentPredictionId: f.parentPredictionId,
          baseRevisionId,
          idempotencyKey: attempt.key,
          leadTimeMs: Math.round(shownForMs()),
        }),
      ).then(
        () => {
          unanswered.current = null;
          cache.forget([id]);
          decided();
          if (shownId() === id) reload();
        },
        (err: unknown) => {
          // An answer from the API means the attempt is over; only a lost reply is retried with the same key.
          unanswered.current = err instanceof ApiCallError ? null : attempt;
          const conflict = conflictOf(err);
          if (conflict) conflicted(f, conflict);
          else toast(`Submit of ${id} failed: ${errorText(err)} — reopened with your answer`, 'error');
          keepForReopen(id, f);
          cache.forget([id]);
          if (shownId() === id) reload();
          else open(id);
        },
      );
      void goTo(id, false);
    },
    [api, cache, userId, cancel, enqueue, attemptKey, shownForMs, decided, shownId, reload, conflicted, toast, keepForReopen, open, goTo],
  );

  const submit = useCallback(
    (confirmed: boolean) => {
      if (!detail) return;
      const f = current();
      const failing = checkReasoning(f.reasoning, f.emotion, auSet(f)).filter((c) => !c.ok);
      if (failing.length && !confirmed) {
        confirmSubmit();
        return;
      }
      closeModal();
      // Always the revision this view loaded (null: none), so an answer saved meanwhile is never replaced unseen.
      send(detail.row.id, f, detail.current?.id ?? null);
    },
    [detail, current, confirmSubmit, closeModal, send],
  );

  const resubmit = useCallback((id: string, f: FormState, baseRevisionId: number | null) => send(id, f, baseRevisionId), [send]);

  const showCurrent = useCallback(
    (id: string) => {
      cancel();
      enqueue(() => api['drafts.discard']({ recordId: id, userId })).then(
        () => {
          cache.forget([id]);
          if (shownId() === id) reload();
          else open(id);
        },
        (err: unknown) => toast(`Draft not discarded: ${errorText(err)}`, 'error'),
      );
    },
    [api, cache, userId, cancel, enqueue, shownId, reload, open, toast],
  );

  const reopenWith = useCallback(
    (id: string, f: FormState) => {
      keepForReopen(id, f);
      cache.forget([id]);
      if (shownId() === id) reload();
      else open(id);
    },
    [cache, keepForReopen, shownId, reload, open],
  );

  const skip = useCallback(
    async (reason: string) => {
      if (!detail) return;
      closeModal();
      const id = detail.row.id;
      flush();
      try {
        await enqueue(() => api['annotations.skip']({ recordId: id, userId, reason }));
        cache.forget([id]);
        decided();
        await goTo(id, false);
      } catch (err) {
        toast(`Skip failed: ${errorText(err)}`, 'error');
      }
    },
    [api, cache, userId, detail, closeModal, flush, enqueue, decided, goTo, toast],
  );

  const undo = useCallback(
    async (decisionId?: number) => {
      flush();
      try {
        const res = await enqueue(() => api['decisions.undo']({ userId, decisionId }));
        cache.invalidate([res.recordId]);
        decided();
        toast(`Undone: ${res.recordId} is back to ${res.restoredRevisionId === null ? 'unlabeled' : 'its previous label'}`);
        if (res.recordId === shownId()) reload();
        else open(res.recordId);
      } catch (err) {
        toast(`Nothing undone: ${errorText(err)}`, 'error');
      }
    },
    [api, cache, userId, flush, enqueue, decided, toast, shownId, reload, open],
  );

  const discardDraft = useCallback(() => {
    const id = shownId();
    if (!id) return;
    cancel();
    enqueue(() => api['drafts.discard']({ recordId: id, userId })).then(
      () => {
        cache.forget([id]);
        if (shownId() === id) reload();
      },
      (err: unknown) => toast(`Draft not discarded: ${errorText(err)}`, 'error'),
    );
  }, [api, cache, userId, shownId, cancel, enqueue, reload, toast]);

  const acceptSuggestion = useCallback(() => {
    const s = detail?.suggestion;
    if (!s) return;
    edit(() => {
      const f = fromSuggestion(s);
      return f.reasoning || !f.emotion ? f : { ...f, reasoning: composeReasoning(f.emotion, auSet(f)) };
    });
  }, [detail, edit]);

  const mergeSuggestionAUs = useCallback(() => {
    const s = detail?.suggestion;
    if (s) edit((f) => mergeSuggestion(f, s));
  }, [detail, edit]);

  const compose = useCallback(() => {
    const emotion = current().emotion;
    if (!emotion) {
      toast('Pick an emotion first, then compose');
      return;
    }
    edit((x) => ({ ...x, reasoning: composeReasoning(emotion, auSet(x)) }));
  }, [current, edit, toast]);

  return { submit, skip, undo, discardDraft, acceptSuggestion, mergeSuggestion: mergeSuggestionAUs, compose, resubmit, showCurrent, reopenWith };
}
