/**
 * The annotator's home: image, emotion, AUs, reasoning with live checks, model suggestion,
 * drafts, submit → next from a prefetched queue, skip, undo, recent decisions and history.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Decision, RecordDetail, Revision } from '../../../contract/types';
import type { AUMark } from '../../../pipelines/facs/vocabulary';
import { checkReasoning, composeReasoning } from '../../../pipelines/facs/reasoning';
import { useApi, useApiEvents, useMediaUrl } from '../api/ApiContext';
import { Kbd } from '../components/Kbd';
import { Modal } from '../components/Modal';
import { errorText, useToast } from '../components/Toasts';
import { eventKey, isCommandCombo, isTypingTarget } from '../keymap/keys';
import { describeQueue, queueKey, useQueue } from '../queue/queueState';
import { useSession, useUser } from '../session/SessionContext';
import { navigate } from '../shell/route';
import { AUPanel } from './AUPanel';
import { EmotionPicker } from './EmotionPicker';
import { EMPTY_FORM, auSet, cycleIntensity, cycleSide, fromSuggestion, initialForm, setMark, toggleAU, type FormState } from './form';
import { HistoryPanel } from './HistoryPanel';
import { ImageStage, type ImageStageHandle } from './ImageStage';
import { KeyHelp } from './KeyHelp';
import { buildKeyIndex } from './keyIndex';
import { ReasoningEditor } from './ReasoningEditor';
import { RecentPanel } from './RecentPanel';
import { recordCacheFor } from './recordCache';
import { SkipPrompt } from './SkipPrompt';
import { SuggestionPanel } from './SuggestionPanel';

const DRAFT_DEBOUNCE_MS = 300;
/** The record last open in the label view: the Label tab returns to it. */
export const LAST_RECORD_KEY = 'fea.lastRecord';
const PREFETCH_AHEAD = 3;

type DraftState = 'idle' | 'pending' | 'saving' | 'saved' | 'error';
type ModalName = null | 'confirm' | 'skip' | 'help';

export function LabelView({ recordId }: { recordId: string | null }) {
  const api = useApi();
  const mediaUrl = useMediaUrl();
  const { info, keymap } = useSession();
  const user = useUser();
  const toast = useToast();
  const [queue] = useQueue();
  const cache = useMemo(() => recordCacheFor(api, mediaUrl), [api, mediaUrl]);

  const [detail, setDetail] = useState<RecordDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [queueEmpty, setQueueEmpty] = useState(false);
  const [form, setFormState] = useState<FormState>(EMPTY_FORM);
  const formRef = useRef<FormState>(EMPTY_FORM);
  const [draftRestored, setDraftRestored] = useState(false);
  const [draftState, setDraftState] = useState<DraftState>('idle');
  const [loadedSrc, setLoadedSrc] = useState<string | null>(null);
  const [overlay, setOverlay] = useState(() => localStorage.getItem('fea.overlay') === '1');
  const [modal, setModal] = useState<ModalName>(null);
  const [history, setHistory] = useState<Revision[] | null>(null);
  const [recent, setRecent] = useState<Decision[]>([]);
  const [reloadToken, setReloadToken] = useState(0);

  const stageRef = useRef<ImageStageHandle>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const shownAt = useRef(performance.now());
  const shownId = useRef<string | null>(null);
  const nextIds = useRef<{ from: string; key: string; ids: string[] } | null>(null);
  const pendingDraft = useRef<{ recordId: string; form: FormState; timer: ReturnType<typeof setTimeout> } | null>(null);
  const writeChain = useRef<Promise<unknown>>(Promise.resolve());
  /** A form to put back when a submit failed after the view had moved on. */
  const restoreForm = useRef<{ recordId: string; form: FormState } | null>(null);
  /** A record shown ahead of the route change (same render), so the route effect need not show it again. */
  const preShown = useRef<{ id: string; token: number } | null>(null);
  const reloadRef = useRef(0);

  /** Writes go one after another, so a late draft save never lands after the submit it preceded. */
  const writesInFlight = useRef(0);
  const enqueueWrite = useCallback(<T,>(fn: () => Promise<T>): Promise<T> => {
    // With nothing queued the request leaves now, before the next record renders.
    const p = writesInFlight.current === 0 ? fn() : writeChain.current.then(fn, fn);
    writesInFlight.current++;
    const settled = p.then(
      () => void writesInFlight.current--,
      () => void writesInFlight.current--,
    );
    writeChain.current = settled;
    return p;
  }, []);

  const flushDraft = useCallback(() => {
    const p = pendingDraft.current;
    if (!p) return;
    clearTimeout(p.timer);
    pendingDraft.current = null;
    setDraftState('saving');
    const { recordId: id, form: f } = p;
    enqueueWrite(() => api['drafts.save']({ recordId: id, userId: user.id, emotion: f.emotion, aus: f.aus, reasoning: f.reasoning, parentPredictionId: f.parentPredictionId })).then(
      () => {
        cache.forget([id]);
        if (shownId.current === id && !pendingDraft.current) setDraftState('saved');
      },
      (err: unknown) => {
        if (shownId.current === id) setDraftState('error');
        toast(`Draft not saved: ${errorText(err)}`, 'error');
      },
    );
  }, [api, cache, enqueueWrite, toast, user.id]);

  const cancelDraft = useCallback(() => {
    if (pendingDraft.current) clearTimeout(pendingDraft.current.timer);
    pendingDraft.current = null;
  }, []);

  /** A user edit: the form changes and a draft save is scheduled. */
  const update = useCallback(
    (fn: (f: FormState) => FormState) => {
      const id = shownId.current;
      if (!id) return;
      const next = fn(formRef.current);
      formRef.current = next;
      setFormState(next);
      if (pendingDraft.current) clearTimeout(pendingDraft.current.timer);
      pendingDraft.current = { recordId: id, form: next, timer: setTimeout(flushDraft, DRAFT_DEBOUNCE_MS) };
      setDraftState('pending');
    },
    [flushDraft],
  );

  const show = useCallback((d: RecordDetail) => {
    const restored = restoreForm.current?.recordId === d.row.id ? restoreForm.current.form : null;
    restoreForm.current = null;
    const { form: f, fromDraft } = restored ? { form: restored, fromDraft: true } : initialForm(d);
    shownId.current = d.row.id;
    shownAt.current = performance.now();
    localStorage.setItem(LAST_RECORD_KEY, d.row.id);
    formRef.current = f;
    setDetail(d);
    setFormState(f);
    setDraftRestored(fromDraft);
    setDraftState(fromDraft ? 'saved' : 'idle');
    setLoadError(null);
    if (cache.imageReady(d.image.key)) setLoadedSrc(mediaUrl(d.image.key));
  }, [cache, mediaUrl]);

  // Open the record in the route; without one, the first record of the queue.
  useLayoutEffect(() => {
    flushDraft();
    let live = true;
    if (!recordId) {
      setQueueEmpty(false);
      cache.nextIds(queue, null, 1).then(
        (ids) => {
          if (!live) return;
          if (ids[0]) navigate({ view: 'label', id: ids[0] }, true);
          else setQueueEmpty(true);
        },
        (err: unknown) => live && setLoadError(errorText(err)),
      );
      return () => {
        live = false;
      };
    }
    setQueueEmpty(false);
    if (preShown.current?.id === recordId && preShown.current.token === reloadToken) {
      preShown.current = null;
      return;
    }
    preShown.current = null;
    const cached = reloadToken === 0 || shownId.current !== recordId ? cache.peek(recordId, user.id) : undefined;
    if (cached) show(cached);
    else {
      cache.get(recordId, user.id, true).then(
        (d) => live && show(d),
        (err: unknown) => live && setLoadError(errorText(err)),
      );
    }
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [recordId, reloadToken, user.id]);

  // Prefetch what comes next (and the one before), details and images.
  const qKey = queueKey(queue);
  useEffect(() => {
    if (!recordId) return;
    let live = true;
    const from = recordId;
    cache.nextIds(queue, from, PREFETCH_AHEAD).then(
      (ids) => {
        if (!live) return;
        nextIds.current = { from, key: qKey, ids };
        cache.prefetch(ids, user.id);
      },
      () => undefined,
    );
    cache.nextIds(queue, from, 1, true).then(
      (ids) => live && cache.prefetch(ids, user.id),
      () => undefined,
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [recordId, qKey, user.id, reloadToken]);

  const loadHistory = useCallback(
    (id: string) => {
      api['records.history']({ id }).then(
        (h) => shownId.current === id && setHistory(h.revisions),
        () => undefined,
      );
    },
    [api],
  );
  useEffect(() => {
    setHistory(null);
    if (recordId) loadHistory(recordId);
  }, [recordId, reloadToken, loadHistory]);

  const loadRecent = useCallback(() => {
    api['decisions.recent']({ userId: user.id, limit: 10 }).then(
      (r) => setRecent(r.decisions),
      () => undefined,
    );
  }, [api, user.id]);
  useEffect(loadRecent, [loadRecent]);

  useApiEvents(
    (event) => {
      if (event.type !== 'records.changed') return;
      cache.forget(event.ids);
      if (shownId.current && event.ids.includes(shownId.current)) loadHistory(shownId.current);
    },
    [cache, loadHistory],
  );

  // Save what is pending when the page goes away (reload, close, crash of the tab's owner).
  useEffect(() => {
    const onHide = () => flushDraft();
    const onVisibility = () => document.visibilityState === 'hidden' && flushDraft();
    window.addEventListener('pagehide', onHide);
    window.addEventListener('beforeunload', onHide);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('pagehide', onHide);
      window.removeEventListener('beforeunload', onHide);
      document.removeEventListener('visibilitychange', onVisibility);
      flushDraft();
    };
  }, [flushDraft]);

  const goTo = useCallback(async (from: string, backward: boolean) => {
    const known = !backward && nextIds.current && nextIds.current.from === from && nextIds.current.key === qKey ? nextIds.current.ids : null;
    const ids = known ?? (await cache.nextIds(queue, from, backward ? 1 : PREFETCH_AHEAD, backward));
    const target = ids.find((id) => id !== from);
    if (target && !backward) {
      // What follows the target is already known: the next submit need not wait for the prefetch.
      const rest = ids.slice(ids.indexOf(target) + 1);
      if (rest.length) nextIds.current = { from: target, key: qKey, ids: rest };
    }
    if (target) {
      const cached = cache.peek(target, user.id);
      if (cached) {
        flushDraft();
        show(cached);
        preShown.current = { id: target, token: reloadRef.current };
      }
      navigate({ view: 'label', id: target });
    } else toast(backward ? 'This is the first record of the queue' : 'No more records in this queue');
    return target ?? null;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cache, qKey, toast, flushDraft, show, user.id]);

  const checks = useMemo(() => checkReasoning(form.reasoning, form.emotion, auSet(form)), [form]);

  /**
   * Submits and moves on at once: the write is queued (after any draft save) and the next record, already
   * prefetched, is shown in the same task. If the write fails, the record is reopened with what was typed.
   */
  const submit = useCallback(
    (confirmed: boolean) => {
      if (!detail) return;
      const f = formRef.current;
      const failing = checkReasoning(f.reasoning, f.emotion, auSet(f)).filter((c) => !c.ok);
      if (failing.length && !confirmed) {
        setModal('confirm');
        return;
      }
      setModal(null);
      const id = detail.row.id;
      cancelDraft();
      cache.forget([id]);
      enqueueWrite(() =>
        api['annotations.submit']({
          recordId: id,
          userId: user.id,
          emotion: f.emotion,
          aus: f.aus,
          reasoning: f.reasoning,
          parentPredictionId: f.parentPredictionId,
          baseRevisionId: detail.current?.id ?? null,
          leadTimeMs: Math.round(performance.now() - shownAt.current),
        }),
      ).then(
        () => {
          cache.forget([id]);
          loadRecent();
          if (shownId.current === id) setReloadToken((t) => t + 1);
        },
        (err: unknown) => {
          toast(`Submit of ${id} failed: ${errorText(err)} — reopened with your answer`, 'error');
          restoreForm.current = { recordId: id, form: f };
          cache.forget([id]);
          if (shownId.current === id) setReloadToken((t) => t + 1);
          else navigate({ view: 'label', id });
        },
      );
      void goTo(id, false);
    },
    [api, cache, cancelDraft, detail, enqueueWrite, goTo, loadRecent, toast, user.id],
  );

  const skip = useCallback(
    async (reason: string) => {
      if (!detail) return;
      setModal(null);
      const id = detail.row.id;
      flushDraft();
      try {
        await enqueueWrite(() => api['annotations.skip']({ recordId: id, userId: user.id, reason }));
        cache.forget([id]);
        loadRecent();
        await goTo(id, false);
      } catch (err) {
        toast(`Skip failed: ${errorText(err)}`, 'error');
      }
    },
    [api, cache, detail, enqueueWrite, flushDraft, goTo, loadRecent, toast, user.id],
  );

  const undo = useCallback(
    async (decisionId?: number) => {
      flushDraft();
      try {
        const res = await enqueueWrite(() => api['decisions.undo']({ userId: user.id, decisionId }));
        cache.invalidate([res.recordId]);
        loadRecent();
        toast(`Undone: ${res.recordId} is back to ${res.restoredRevisionId === null ? 'no revision' : `revision ${res.restoredRevisionId}`}`);
        if (res.recordId === shownId.current) setReloadToken((t) => t + 1);
        else navigate({ view: 'label', id: res.recordId });
      } catch (err) {
        toast(`Nothing undone: ${errorText(err)}`, 'error');
      }
    },
    [api, cache, enqueueWrite, flushDraft, loadRecent, toast, user.id],
  );

  const discardDraft = useCallback(() => {
    const id = shownId.current;
    if (!id) return;
    cancelDraft();
    enqueueWrite(() => api['drafts.discard']({ recordId: id, userId: user.id })).then(
      () => {
        cache.forget([id]);
        if (shownId.current === id) setReloadToken((t) => t + 1);
      },
      (err: unknown) => toast(`Draft not discarded: ${errorText(err)}`, 'error'),
    );
  }, [api, cache, cancelDraft, enqueueWrite, toast, user.id]);

  const acceptSuggestion = useCallback(() => {
    const s = detail?.suggestion;
    if (!s) return;
    update(() => {
      const f = fromSuggestion(s);
      return f.reasoning || !f.emotion ? f : { ...f, reasoning: composeReasoning(f.emotion, auSet(f)) };
    });
  }, [detail, update]);

  const compose = useCallback(() => {
    const f = formRef.current;
    if (!f.emotion) {
      toast('Pick an emotion first, then compose');
      return;
    }
    update((x) => ({ ...x, reasoning: composeReasoning(f.emotion!, auSet(x)) }));
  }, [toast, update]);

  const keyIndex = useMemo(() => buildKeyIndex(keymap), [keymap]);
  const onEmotion = useCallback((emotion: string | null) => update((f) => ({ ...f, emotion })), [update]);
  const onToggleAU = useCallback((au: string) => update((f) => ({ ...f, aus: toggleAU(f.aus, au) })), [update]);
  const onMarkAU = useCallback((au: string, patch: Partial<AUMark>) => update((f) => ({ ...f, aus: setMark(f.aus, au, patch) })), [update]);
  const onReasoning = useCallback((reasoning: string) => update((f) => ({ ...f, reasoning })), [update]);
  const onOpenRecord = useCallback((id: string) => navigate({ view: 'label', id }), []);
  const onUndoDecision = useCallback((id: number) => void undo(id), [undo]);

  const onKey = useRef<(e: KeyboardEvent) => void>(() => undefined);
  onKey.current = (e: KeyboardEvent) => {
    if (e.defaultPrevented || modal === 'confirm' || modal === 'skip') return;
    const key = eventKey(e);
    if (!key) return;
    if (modal === 'help') {
      if (key === 'escape' || key === '?') {
        e.preventDefault();
        setModal(null);
      }
      return;
    }
    const typing = isTypingTarget(e.target);
    if (typing && !isCommandCombo(key)) return;
    const action = keyIndex.get(key) ?? (key === '=' ? 'zoomIn' : undefined);
    if (!action) {
      if (key === 'escape') (document.activeElement as HTMLElement | null)?.blur?.();
      return;
    }
    // Ctrl+Z in the editor is the text's own undo.
    if (typing && action === 'undo') return;
    if (!detail && !['help', 'undo'].includes(action)) return;
    e.preventDefault();
    if (e.repeat && !['next', 'prev', 'zoomIn', 'zoomOut'].includes(action)) return;
    const id = shownId.current;
    switch (action) {
      case 'submit':
        submit(false);
        return;
      case 'skip':
        setModal('skip');
        return;
      case 'undo':
        void undo();
        return;
      case 'next':
        if (id) void goTo(id, false);
        return;
      case 'prev':
        if (id) void goTo(id, true);
        return;
      case 'help':
        setModal('help');
        return;
      case 'accept':
        acceptSuggestion();
        return;
      case 'compose':
        compose();
        return;
      case 'focusReasoning':
        textareaRef.current?.focus();
        return;
      case 'clear':
        update(() => ({ ...EMPTY_FORM }));
        return;
      case 'overlay':
        setOverlay((o) => {
          localStorage.setItem('fea.overlay', o ? '0' : '1');
          return !o;
        });
        return;
      case 'zoomIn':
        stageRef.current?.zoomBy(1.25);
        return;
      case 'zoomOut':
        stageRef.current?.zoomBy(0.8);
        return;
      case 'zoomReset':
        stageRef.current?.reset();
        return;
    }
    const [kind, arg] = [action.slice(0, action.indexOf('.')), action.slice(action.indexOf('.') + 1)];
    if (kind === 'emotion') update((f) => ({ ...f, emotion: f.emotion === arg ? null : arg }));
    else if (kind === 'au') update((f) => ({ ...f, aus: toggleAU(f.aus, arg) }));
    else if (kind === 'intensity') update((f) => ({ ...f, aus: cycleIntensity(f.aus, arg) }));
    else if (kind === 'side') update((f) => ({ ...f, aus: cycleSide(f.aus, arg) }));
  };
  useEffect(() => {
    const handler = (e: KeyboardEvent) => onKey.current(e);
    window.addEventListener('keydown', handler);
    return () => window.removeEventListener('keydown', handler);
  }, []);

  reloadRef.current = reloadToken;
  const src = detail ? mediaUrl(detail.image.key) : null;
  const current = !!detail && detail.row.id === recordId;
  const ready = current && loadedSrc === src;
  const selectedAUs = useMemo(() => auSet(form), [form]);
  const suggestedAUs = useMemo(() => new Map((detail?.suggestion?.aus ?? []).map((a) => [a.au, a.score])), [detail]);
  const accepted = !!detail?.suggestion && form.parentPredictionId === detail.suggestion.predictionId;

  if (queueEmpty) {
    return (
      <div className="label-view empty-state" data-testid="label-view" data-record-id="" data-ready="false">
        <h2>Nothing to label</h2>
        <p className="muted">The queue ({describeQueue(queue)}) has no records.</p>
        <button type="button" onClick={() => navigate({ view: 'queue', id: null })}>
          Change the queue
        </button>
      </div>
    );
  }

  return (
    <div
      className="label-view"
      data-testid="label-view"
      data-record-id={current ? detail!.row.id : ''}
      data-ready={ready ? 'true' : 'false'}
      onMouseDown={(e) => {
        // Clicking a chip or button keeps the focus where it was (often the reasoning editor), so keys keep working.
        if ((e.target as HTMLElement).closest('button')) e.preventDefault();
      }}
    >
      <div className="label-main">
        <div className="record-bar">
          <button type="button" className="icon" tabIndex={-1} title="Previous (←)" onClick={() => recordId && void goTo(recordId, true)}>
            ‹
          </button>
          <span className="record-id" data-testid="record-id">
            {detail?.row.id ?? recordId ?? '…'}
          </span>
          <button type="button" className="icon" tabIndex={-1} title="Next (→)" onClick={() => recordId && void goTo(recordId, false)}>
            ›
          </button>
          {detail && <span className={`status status-${detail.row.status}`}>{detail.row.status}</span>}
          {draftRestored && (
            <span className="badge draft" data-testid="draft-restored" title="Your unsubmitted answer was restored">
              draft restored
              <button type="button" className="badge-action" tabIndex={-1} onClick={discardDraft} data-testid="discard-draft" title="Discard the draft and show the current revision">
                ×
              </button>
            </span>
          )}
          <span className={`draft-state ${draftState}`} data-testid="draft-state" data-state={draftState}>
            {draftState === 'pending' ? 'editing…' : draftState === 'saving' ? 'saving draft…' : draftState === 'saved' ? 'draft saved' : draftState === 'error' ? 'draft NOT saved' : ''}
          </span>
          {detail && (
            <span
              className="record-meta"
              title={`${detail.question}\n${detail.image.fileName} · ${detail.image.width}×${detail.image.height} · sha256 ${detail.image.sha256}`}
            >
              {[detail.row.source, detail.row.subject && `subject ${detail.row.subject}`, ...detail.splits.map((x) => `${x.name}:${x.part}`), `${detail.image.fileName} · ${detail.image.width}×${detail.image.height}`]
                .filter(Boolean)
                .join(' · ')}
            </span>
          )}
        </div>
        {loadError && (
          <div className="error-banner" data-testid="load-error">
            Could not open {recordId}: {loadError}{' '}
            <button type="button" className="small" onClick={() => navigate({ view: 'label', id: null }, true)}>
              Open the queue's first record
            </button>
          </div>
        )}
        {detail && src ? (
          <ImageStage
            ref={stageRef}
            src={src}
            width={detail.image.width}
            height={detail.image.height}
            alt={detail.row.id}
            analysis={detail.analysis}
            overlay={overlay}
            highlightAUs={selectedAUs}
            onLoaded={setLoadedSrc}
          />
        ) : (
          <div className="stage loading">{loadError ? '' : 'Loading…'}</div>
        )}
        <div className="stage-bar">
          <button type="button" className={`small${overlay ? ' on' : ''}`} tabIndex={-1} data-testid="overlay-toggle" onClick={() => setOverlay((o) => !o)}>
            Overlay <Kbd k={keymap.overlay} />
          </button>
          <button type="button" className="small" tabIndex={-1} onClick={() => stageRef.current?.zoomBy(1.25)}>
            Zoom in <Kbd k={keymap.zoomIn} />
          </button>
          <button type="button" className="small" tabIndex={-1} onClick={() => stageRef.current?.zoomBy(0.8)}>
            out <Kbd k={keymap.zoomOut} />
          </button>
          <button type="button" className="small" tabIndex={-1} onClick={() => stageRef.current?.reset()}>
            reset <Kbd k={keymap.zoomReset} />
          </button>
          <span className="grow" />
          <span className="muted stage-question" title="The labeling queue (change it in Queue)">
            queue: {describeQueue(queue)}
          </span>
          <button type="button" className="small" tabIndex={-1} onClick={() => setModal('help')}>
            Keys <Kbd k={keymap.help} />
          </button>
        </div>
      </div>

      <div className="label-form" data-testid="label-form">
        <EmotionPicker emotions={info.emotions} value={form.emotion} suggested={detail?.suggestion?.emotion ?? null} keymap={keymap} onChange={onEmotion} />
        <AUPanel
          aus={info.aus}
          value={form.aus}
          suggested={suggestedAUs}
          keymap={keymap}
          onToggle={onToggleAU}
          onMark={onMarkAU}
        />
        <ReasoningEditor ref={textareaRef} value={form.reasoning} checks={checks} composeKey={keymap.compose} onChange={onReasoning} onCompose={compose} />
        <div className="form-actions">
          <button type="button" className="primary" disabled={!detail} onClick={() => submit(false)} data-testid="submit">
            Submit &amp; next <Kbd k={keymap.submit} />
          </button>
          <button type="button" disabled={!detail} onClick={() => setModal('skip')} data-testid="skip">
            Skip <Kbd k={keymap.skip} />
          </button>
          <span className="grow" />
          <button type="button" onClick={() => void undo()} data-testid="undo">
            Undo <Kbd k={keymap.undo} />
          </button>
        </div>
      </div>

      <aside className="label-side">
        <SuggestionPanel suggestion={detail?.suggestion ?? null} accepted={accepted} acceptKey={keymap.accept} onAccept={acceptSuggestion} />
        <RecentPanel decisions={recent} currentId={recordId} undoKey={keymap.undo} onOpen={onOpenRecord} onUndo={onUndoDecision} />
        <HistoryPanel revisions={history} loading={!!recordId} />
      </aside>

      {modal === 'confirm' && (
        <Modal title="Submit with failing checks?" testId="confirm-modal" confirmLabel="Submit anyway" danger onConfirm={() => submit(true)} onCancel={() => setModal(null)}>
          <ul className="checks">
            {checks
              .filter((c) => !c.ok)
              .map((c) => (
                <li key={c.id} className="fail">
                  <span className="check-icon">✗</span>
                  <span className="check-msg">{c.message}</span>
                </li>
              ))}
          </ul>
        </Modal>
      )}
      {modal === 'skip' && <SkipPrompt onSkip={(r) => void skip(r)} onCancel={() => setModal(null)} />}
      {modal === 'help' && <KeyHelp keymap={keymap} emotions={info.emotions} aus={info.aus} onClose={() => setModal(null)} />}
    </div>
  );
}
