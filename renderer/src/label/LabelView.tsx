/**
 * The annotator's home: image, emotion, AUs, reasoning with live checks, model suggestion, drafts,
 * submit → next from a prefetched queue, skip, undo, recent decisions and history. The work is in the hooks;
 * keys and buttons both go through one command table.
 */
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { AUMark } from '../../../pipelines/facs/vocabulary';
import { checkReasoning } from '../../../pipelines/facs/reasoning';
import { useApi, useApiEvents, useMediaUrl } from '../api/ApiContext';
import { Kbd } from '../components/Kbd';
import { Modal } from '../components/Modal';
import { useToast } from '../components/Toasts';
import { describeQueue, useQueue } from '../queue/queueState';
import { useSession, useUser } from '../session/SessionContext';
import { navigate } from '../shell/route';
import { AUPanel } from './AUPanel';
import { ConflictDialog } from './ConflictDialog';
import { buildKeyIndex, runCommand, type LabelCommand, type LabelCommandHandlers } from './commands';
import { EmotionPicker } from './EmotionPicker';
import { EMPTY_FORM, auSet, cycleIntensity, cycleSide, setMark, toggleAU } from './form';
import { HistoryPanel } from './HistoryPanel';
import { ImageStage, type ImageStageHandle } from './ImageStage';
import { KeyHelp } from './KeyHelp';
import { ReasoningEditor } from './ReasoningEditor';
import { RecentPanel } from './RecentPanel';
import { RecordBar } from './RecordBar';
import { recordCacheFor } from './recordCache';
import { SkipPrompt } from './SkipPrompt';
import { StageBar } from './StageBar';
import { SuggestionPanel } from './SuggestionPanel';
import { useDraftWriter } from './useDraftWriter';
import { useLabelActions } from './useLabelActions';
import { useLabelForm } from './useLabelForm';
import { useLabelKeys, type LabelModal } from './useLabelKeys';
import { useOverlaySetting } from './useOverlaySetting';
import { useRecentDecisions } from './useRecentDecisions';
import { useRecordHistory } from './useRecordHistory';
import { useRecordNavigation } from './useRecordNavigation';
import { useSubmitConflict, type ConflictResolvers } from './useSubmitConflict';
import { useSuggestionTrust } from './useSuggestionTrust';

const openRecord = (id: string, replace?: boolean) => navigate({ view: 'label', id }, replace);

export function LabelView({ recordId }: { recordId: string | null }) {
  const api = useApi();
  const mediaUrl = useMediaUrl();
  const { info, keymap } = useSession();
  const user = useUser();
  const toast = useToast();
  const [queue, setQueue] = useQueue();
  const cache = useMemo(() => recordCacheFor(api, mediaUrl), [api, mediaUrl]);
  const [modal, setModal] = useState<LabelModal>(null);
  const [overlay, toggleOverlay] = useOverlaySetting();
  const [loadedSrc, setLoadedSrc] = useState<string | null>(null);
  const stageRef = useRef<ImageStageHandle>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);

  const forgetRecord = useCallback((id: string) => cache.forget([id]), [cache]);
  const toastError = useCallback((message: string) => toast(message, 'error'), [toast]);
  const writer = useDraftWriter({ api, userId: user.id, onSaved: forgetRecord, onError: toastError });
  const form = useLabelForm(writer);
  const nav = useRecordNavigation({
    recordId,
    queue,
    userId: user.id,
    cache,
    open: openRecord,
    onLeave: writer.flush,
    onShow: (d) => {
      form.open(d);
      if (cache.imageReady(d.image.key)) setLoadedSrc(mediaUrl(d.image.key));
    },
    notify: toast,
  });
  const { detail } = nav;
  const history = useRecordHistory(api, recordId, nav.reloadToken);
  const recent = useRecentDecisions(api, user.id);
  const trust = useSuggestionTrust(api);
  useApiEvents((event) => event.type === 'records.changed' && (event.all ? cache.forgetAll() : cache.forget(event.ids)));

  const confirmSubmit = useCallback(() => setModal('confirm'), []);
  const closeModal = useCallback(() => setModal(null), []);
  // The resolvers are the actions' (made below); a ref breaks the cycle between the two hooks.
  const resolvers = useRef<ConflictResolvers | null>(null);
  const conflictResolvers = useMemo<ConflictResolvers>(
    () => ({
      resubmit: (...a) => resolvers.current?.resubmit(...a),
      showCurrent: (...a) => resolvers.current?.showCurrent(...a),
      reopenWith: (...a) => resolvers.current?.reopenWith(...a),
    }),
    [],
  );
  const conflict = useSubmitConflict(conflictResolvers);
  const actions = useLabelActions({
    api,
    cache,
    userId: user.id,
    detail,
    writer,
    nav,
    form,
    open: openRecord,
    decided: recent.reload,
    confirmSubmit,
    closeModal,
    conflicted: conflict.raise,
    toast,
  });
  useLayoutEffect(() => {
    resolvers.current = actions;
  });

  const { edit } = form;
  const goFromShown = (backward: boolean) => {
    const id = nav.shownId();
    if (id) void nav.goTo(id, backward);
  };
  const handlers: LabelCommandHandlers = {
    submit: () => actions.submit(false),
    skip: () => setModal('skip'),
    undo: () => void actions.undo(),
    next: () => goFromShown(false),
    prev: () => goFromShown(true),
    help: () => setModal('help'),
    accept: actions.acceptSuggestion,
    acceptMerge: actions.mergeSuggestion,
    compose: actions.compose,
    focusReasoning: () => textareaRef.current?.focus(),
    clear: () => edit(() => ({ ...EMPTY_FORM })),
    overlay: toggleOverlay,
    zoomIn: () => stageRef.current?.zoomIn(),
    zoomOut: () => stageRef.current?.zoomOut(),
    zoomReset: () => stageRef.current?.reset(),
    zoomActual: () => stageRef.current?.actual(),
    emotion: ({ emotion }) => edit((f) => ({ ...f, emotion: f.emotion === emotion ? null : emotion })),
    au: ({ au }) => edit((f) => ({ ...f, aus: toggleAU(f.aus, au) })),
    intensity: ({ au }) => edit((f) => ({ ...f, aus: cycleIntensity(f.aus, au) })),
    side: ({ au }) => edit((f) => ({ ...f, aus: cycleSide(f.aus, au) })),
  };
  const run = (command: LabelCommand) => runCommand(handlers, command);
  const keyIndex = useMemo(() => buildKeyIndex(keymap, info.emotions, info.aus), [keymap, info]);
  useLabelKeys({ index: keyIndex, modal: conflict.conflict ? 'conflict' : modal, hasRecord: !!detail, closeModal, run });

  const onEmotion = useCallback((emotion: string | null) => edit((f) => ({ ...f, emotion })), [edit]);
  const onToggleAU = useCallback((au: string) => edit((f) => ({ ...f, aus: toggleAU(f.aus, au) })), [edit]);
  const onMarkAU = useCallback((au: string, patch: Partial<AUMark>) => edit((f) => ({ ...f, aus: setMark(f.aus, au, patch) })), [edit]);
  const onReasoning = useCallback((reasoning: string) => edit((f) => ({ ...f, reasoning })), [edit]);
  const { undo } = actions;
  const onUndoDecision = useCallback((id: number) => void undo(id), [undo]);

  const values = form.form;
  const checks = useMemo(() => checkReasoning(values.reasoning, values.emotion, auSet(values)), [values]);
  const selectedAUs = useMemo(() => auSet(values), [values]);
  const suggestedAUs = useMemo(() => new Map((detail?.suggestion?.aus ?? []).map((a) => [a.au, a.score])), [detail]);
  const accepted = !!detail?.suggestion && values.parentPredictionId === detail.suggestion.predictionId;
  const src = detail ? mediaUrl(detail.image.key) : null;
  const current = !!detail && detail.row.id === recordId;
  const ready = current && loadedSrc === src;

  if (nav.queueEmpty) {
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
      data-record-id={current ? detail.row.id : ''}
      data-ready={ready ? 'true' : 'false'}
      onMouseDown={(e) => {
        // Clicking a chip or button keeps the focus where it was (often the reasoning editor), so keys keep working.
        if ((e.target as HTMLElement).closest('button')) e.preventDefault();
      }}
    >
      <div className="label-main">
        <RecordBar
          recordId={recordId}
          detail={detail}
          draftRestored={form.draftRestored}
          draftState={writer.state}
          onPrev={() => recordId && void nav.goTo(recordId, true)}
          onNext={() => recordId && void nav.goTo(recordId, false)}
          onDiscardDraft={actions.discardDraft}
        />
        {nav.loadError && (
          <div className="error-banner" data-testid="load-error">
            Could not open {recordId}: {nav.loadError}{' '}
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
          <div className="stage loading">{nav.loadError ? '' : 'Loading…'}</div>
        )}
        <StageBar overlay={overlay} keymap={keymap} queue={queue} setQueue={setQueue} run={run} />
      </div>

      <div className="label-form" data-testid="label-form">
        <EmotionPicker emotions={info.emotions} value={values.emotion} suggested={detail?.suggestion?.emotion ?? null} keymap={keymap} onChange={onEmotion} />
        <AUPanel aus={info.aus} value={values.aus} suggested={suggestedAUs} keymap={keymap} onToggle={onToggleAU} onMark={onMarkAU} />
        <ReasoningEditor ref={textareaRef} value={values.reasoning} checks={checks} composeKey={keymap.compose} onChange={onReasoning} onCompose={actions.compose} />
        <div className="form-actions">
          <button type="button" className="primary" disabled={!detail} onClick={() => run({ type: 'submit' })} data-testid="submit">
            Submit &amp; next <Kbd k={keymap.submit} />
          </button>
          <button type="button" disabled={!detail} onClick={() => run({ type: 'skip' })} data-testid="skip">
            Skip <Kbd k={keymap.skip} />
          </button>
          <span className="grow" />
          <button type="button" onClick={() => run({ type: 'undo' })} data-testid="undo">
            Undo <Kbd k={keymap.undo} />
          </button>
        </div>
      </div>

      <aside className="label-side">
        <SuggestionPanel
          suggestion={detail?.suggestion ?? null}
          trust={trust}
          accepted={accepted}
          acceptKey={keymap.accept}
          mergeKey={keymap.acceptMerge}
          onAccept={actions.acceptSuggestion}
          onMerge={actions.mergeSuggestion}
        />
        <RecentPanel decisions={recent.recent} currentId={recordId} undoKey={keymap.undo} onOpen={openRecord} onUndo={onUndoDecision} />
        <HistoryPanel revisions={history?.revisions ?? null} reviews={history?.reviews ?? []} loading={!!recordId} />
      </aside>

      {modal === 'confirm' && (
        <Modal title="Submit with failing checks?" testId="confirm-modal" confirmLabel="Submit anyway" danger onConfirm={() => actions.submit(true)} onCancel={closeModal}>
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
      {modal === 'skip' && <SkipPrompt onSkip={(r) => void actions.skip(r)} onCancel={closeModal} />}
      {conflict.conflict && <ConflictDialog conflict={conflict.conflict} me={user.name} onResolve={conflict.resolve} />}
      {modal === 'help' && <KeyHelp keymap={keymap} emotions={info.emotions} aus={info.aus} onClose={closeModal} />}
    </div>
  );
}
