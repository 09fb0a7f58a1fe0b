/**
 * What the annotator does to a record: submit (and move on), skip, undo, discard the draft, accept the model's
 * suggestion, compose the reasoning. Writes go through the draft writer's queue, after any draft save.
 */
import { useCallback } from 'react';
import type { ApiClient } from '../../../contract/api';
import type { RecordDetail } from '../../../contract/types';
import { checkReasoning, composeReasoning } from '../../../pipelines/facs/reasoning';
import { errorText } from '../components/Toasts';
import { auSet, fromSuggestion } from './form';
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
  compose(): void;
}

export function useLabelActions({ api, cache, userId, detail, writer, nav, form, open, decided, confirmSubmit, closeModal, toast }: Options): LabelActions {
  const { enqueue, flush, cancel } = writer;
  const { shownId, reload, goTo } = nav;
  const { current, edit, keepForReopen, shownForMs } = form;

  /**
   * The write is queued and the next record, already prefetched, is shown in the same task. If the write fails,
   * the record is reopened with what was typed.
   */
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
      const id = detail.row.id;
      cancel();
      cache.forget([id]);
      enqueue(() =>
        api['annotations.submit']({
          recordId: id,
          userId,
          emotion: f.emotion,
          aus: f.aus,
          reasoning: f.reasoning,
          parentPredictionId: f.parentPredictionId,
          baseRevisionId: detail.current?.id ?? null,
          leadTimeMs: Math.round(shownForMs()),
        }),
      ).then(
        () => {
          cache.forget([id]);
          decided();
          if (shownId() === id) reload();
        },
        (err: unknown) => {
          toast(`Submit of ${id} failed: ${errorText(err)} — reopened with your answer`, 'error');
          keepForReopen(id, f);
          cache.forget([id]);
          if (shownId() === id) reload();
          else open(id);
        },
      );
      void goTo(id, false);
    },
    [api, cache, userId, detail, current, confirmSubmit, closeModal, cancel, enqueue, shownForMs, decided, shownId, reload, toast, keepForReopen, open, goTo],
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
        toast(`Undone: ${res.recordId} is back to ${res.restoredRevisionId === null ? 'no revision' : `revision ${res.restoredRevisionId}`}`);
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

  const compose = useCallback(() => {
    const emotion = current().emotion;
    if (!emotion) {
      toast('Pick an emotion first, then compose');
      return;
    }
    edit((x) => ({ ...x, reasoning: composeReasoning(emotion, auSet(x)) }));
  }, [current, edit, toast]);

  return { submit, skip, undo, discardDraft, acceptSuggestion, compose };
}
