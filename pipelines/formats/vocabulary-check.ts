/** Label and AU validation on import, with normalisation (spec §2.1, §11.2). */
import { normaliseAU, normaliseEmotion } from '../facs/normalise';
import { OPTIONAL_EMOTIONS } from '../facs/vocabulary';

/** FACS action units (9.1): 1–39 except 3, and the eye codes 41–46. Head/eye positions and descriptors are not AUs. */
export function isFacsAU(au: string): boolean {
  const m = /^AU(\d+)$/.exec(au);
  if (!m) return false;
  const n = Number(m[1]);
  return (n >= 1 && n <= 39 && n !== 3) || (n >= 41 && n <= 46);
}

export interface LabelVocabulary {
  emotions: ReadonlySet<string>;
}

export function checkLabel(raw: unknown, vocab: LabelVocabulary): { ok: true; value: string; normalised: boolean } | { ok: false; reason: string } {
  if (typeof raw !== 'string') return { ok: false, reason: `label ${JSON.stringify(raw)} is not a string` };
  const norm = normaliseEmotion(raw);
  const allowed = norm !== null && (vocab.emotions.has(norm) || (OPTIONAL_EMOTIONS as readonly string[]).includes(norm));
  if (!allowed || norm === null) return { ok: false, reason: `label "${raw}" is outside the vocabulary (${[...vocab.emotions].join(', ')})` };
  return { ok: true, value: norm, normalised: norm !== raw };
}

export function checkAU(raw: unknown): { ok: true; value: string; normalised: boolean } | { ok: false; reason: string } {
  if (typeof raw !== 'string' && typeof raw !== 'number') return { ok: false, reason: `AU ${JSON.stringify(raw)} is not an AU` };
  const norm = normaliseAU(raw);
  if (norm === null || !isFacsAU(norm)) return { ok: false, reason: `AU ${JSON.stringify(raw)} is not an AU` };
  return { ok: true, value: norm, normalised: norm !== raw };
}
