/**
 * Fix & Accept: the label form (the label view's pickers and reasoning editor, with the same live checks), prefilled
 * with the candidate. Number keys pick the emotion while the editor is not focused; Enter (Ctrl+Enter in the editor) saves.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AUMark } from '../../../pipelines/facs/vocabulary';
import { checkReasoning, composeReasoning } from '../../../pipelines/facs/reasoning';
import type { CandidateDetail } from '../../../contract/types';
import { Modal } from '../components/Modal';
import { eventKey, isTypingTarget } from '../keymap/keys';
import type { Keymap } from '../keymap/keymap';
import { AUPanel } from '../label/AUPanel';
import { EmotionPicker } from '../label/EmotionPicker';
import { setMark, toggleAU } from '../label/form';
import { ReasoningEditor } from '../label/ReasoningEditor';
import type { FixLabel } from './useReviewActions';

interface Props {
  detail: CandidateDetail;
  emotions: string[];
  aus: { au: string; name: string }[];
  keymap: Keymap;
  onSave(label: FixLabel): void;
  onCancel(): void;
}

export function FixForm({ detail, emotions, aus, keymap, onSave, onCancel }: Props) {
  const [emotion, setEmotion] = useState<string | null>(detail.emotion);
  const [marks, setMarks] = useState<AUMark[]>(() => detail.aus.map((au) => ({ au, intensity: null, side: null })));
  const [reasoning, setReasoning] = useState(detail.output);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const auSet = useMemo(() => marks.map((m) => m.au), [marks]);
  const checks = useMemo(() => checkReasoning(reasoning, emotion, auSet), [reasoning, emotion, auSet]);
  const suggested = useMemo(() => new Map(Object.entries(detail.auEstimates).map(([au, e]) => [au, e.score])), [detail.auEstimates]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTypingTarget(e.target)) return;
      const key = eventKey(e) ?? '';
      const picked = emotions.find((em) => keymap[`emotion.${em}`] === key);
      if (!picked) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      setEmotion(picked);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [emotions, keymap]);

  const onToggle = useCallback((au: string) => setMarks((m) => toggleAU(m, au)), []);
  const onMark = useCallback((au: string, patch: Partial<AUMark>) => setMarks((m) => setMark(m, au, patch)), []);
  const compose = useCallback(() => emotion && setReasoning(composeReasoning(emotion, auSet)), [emotion, auSet]);
  const save = () => onSave({ emotion, aus: marks.map((m) => ({ au: m.au, intensity: m.intensity ?? null, side: m.side ?? null })), reasoning });

  return (
    <Modal title={`Fix & Accept candidate #${detail.id}`} testId="fix-form" confirmLabel="Save fix & accept" onConfirm={save} onCancel={onCancel}>
      <div className="fix-form">
        <EmotionPicker emotions={emotions} value={emotion} suggested={detail.target?.emotion ?? null} keymap={keymap} onChange={setEmotion} />
        <AUPanel aus={aus} value={marks} suggested={suggested} keymap={keymap} onToggle={onToggle} onMark={onMark} />
        <ReasoningEditor ref={textareaRef} value={reasoning} checks={checks} composeKey={keymap.compose} onChange={setReasoning} onCompose={compose} />
      </div>
    </Modal>
  );
}
