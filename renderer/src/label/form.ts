/** The label form's state and the pure operations on it. */
import type { AUMark, Intensity, Side } from '../../../pipelines/facs/vocabulary';
import { INTENSITIES, SIDES, sortAUs } from '../../../pipelines/facs/vocabulary';
import type { RecordDetail, Revision, Suggestion } from '../../../contract/types';

export interface FormState {
  emotion: string | null;
  aus: AUMark[];
  reasoning: string;
  parentPredictionId: number | null;
}

export const EMPTY_FORM: FormState = { emotion: null, aus: [], reasoning: '', parentPredictionId: null };

/** What the form opens with: the user's draft, else the current revision, else empty. */
export function initialForm(detail: RecordDetail): { form: FormState; fromDraft: boolean } {
  if (detail.draft) {
    const d = detail.draft;
    return { form: { emotion: d.emotion, aus: normaliseMarks(d.aus), reasoning: d.reasoning, parentPredictionId: d.parentPredictionId }, fromDraft: true };
  }
  if (detail.current) return { form: fromRevision(detail.current), fromDraft: false };
  return { form: EMPTY_FORM, fromDraft: false };
}

export function fromRevision(r: Revision): FormState {
  return { emotion: r.emotion, aus: normaliseMarks(r.aus), reasoning: r.reasoning, parentPredictionId: r.parentPredictionId };
}

export function fromSuggestion(s: Suggestion): FormState {
  return {
    emotion: s.emotion,
    aus: sortAUs(s.aus.filter((a) => a.present).map((a) => a.au)).map((au) => ({ au, intensity: null, side: null })),
    reasoning: s.reasoning,
    parentPredictionId: s.predictionId,
  };
}

/**
 * The suggestion's present AUs merged into the form: the union, the form's AUs keeping their intensity and side, its
 * emotion and reasoning kept (the suggestion's emotion only where the form has none). The form then stems from the
 * suggestion, so its prediction becomes the revision's parent.
 */
export function mergeSuggestion(form: FormState, s: Suggestion): FormState {
  const have = new Set(form.aus.map((m) => m.au));
  const added = s.aus.filter((a) => a.present && !have.has(a.au)).map((a) => ({ au: a.au, intensity: null, side: null }));
  return { ...form, emotion: form.emotion ?? s.emotion, aus: normaliseMarks([...form.aus, ...added]), parentPredictionId: s.predictionId };
}

export function normaliseMarks(aus: AUMark[]): AUMark[] {
  const byAU = new Map(aus.map((m) => [m.au, { au: m.au, intensity: m.intensity ?? null, side: m.side ?? null }]));
  return sortAUs(byAU.keys()).map((au) => byAU.get(au)!);
}

export function auSet(form: FormState): string[] {
  return form.aus.map((m) => m.au);
}

export function toggleAU(aus: AUMark[], au: string): AUMark[] {
  return aus.some((m) => m.au === au) ? aus.filter((m) => m.au !== au) : normaliseMarks([...aus, { au, intensity: null, side: null }]);
}

function cycle<T>(values: readonly T[], current: T | null | undefined): T | null {
  if (current === null || current === undefined) return values[0];
  const i = values.indexOf(current);
  return i < 0 || i === values.length - 1 ? null : values[i + 1];
}

/** Shift+key: selects the AU if needed, then steps its intensity none → A → … → E → none. */
export function cycleIntensity(aus: AUMark[], au: string): AUMark[] {
  const mark = aus.find((m) => m.au === au);
  if (!mark) return normaliseMarks([...aus, { au, intensity: 'A', side: null }]);
  return aus.map((m) => (m.au === au ? { ...m, intensity: cycle<Intensity>(INTENSITIES, m.intensity) } : m));
}

/** Alt+key: selects the AU if needed, then steps its side none → L → R → none. */
export function cycleSide(aus: AUMark[], au: string): AUMark[] {
  const mark = aus.find((m) => m.au === au);
  if (!mark) return normaliseMarks([...aus, { au, intensity: null, side: 'L' }]);
  return aus.map((m) => (m.au === au ? { ...m, side: cycle<Side>(SIDES, m.side) } : m));
}

export function setMark(aus: AUMark[], au: string, patch: Partial<AUMark>): AUMark[] {
  return aus.map((m) => (m.au === au ? { ...m, ...patch } : m));
}

export function sameForm(a: FormState, b: FormState): boolean {
  return a.emotion === b.emotion && a.reasoning === b.reasoning && a.parentPredictionId === b.parentPredictionId && JSON.stringify(normaliseMarks(a.aus)) === JSON.stringify(normaliseMarks(b.aus));
}

export function markLabel(m: AUMark): string {
  return `${m.au}${m.intensity ?? ''}${m.side ? `(${m.side})` : ''}`;
}

export interface RevisionDiff {
  emotion: { from: string | null; to: string | null } | null;
  added: string[];
  removed: string[];
  changedMarks: string[];
  reasoningChanged: boolean;
}

/** What changed from `prev` to `next` (prev null: everything is new). */
export function diffRevisions(prev: Revision | null, next: Revision): RevisionDiff {
  const before = new Map((prev?.aus ?? []).map((m) => [m.au, m]));
  const after = new Map(next.aus.map((m) => [m.au, m]));
  const added = sortAUs([...after.keys()].filter((au) => !before.has(au)));
  const removed = sortAUs([...before.keys()].filter((au) => !after.has(au)));
  const changedMarks = sortAUs([...after.keys()].filter((au) => before.has(au) && markLabel(before.get(au)!) !== markLabel(after.get(au)!))).map(
    (au) => `${markLabel(before.get(au)!)}→${markLabel(after.get(au)!)}`,
  );
  return {
    emotion: (prev?.emotion ?? null) !== next.emotion ? { from: prev?.emotion ?? null, to: next.emotion } : null,
    added,
    removed,
    changedMarks,
    reasoningChanged: (prev?.reasoning ?? '') !== next.reasoning,
  };
}
