/**
 * AffectNet (`--format affectnet`): `training.csv` / `validation.csv` with
 * `subDirectory_filePath,face_x,face_y,face_width,face_height,facial_landmarks,expression,valence,arousal`.
 * Expression 0–7 is a label; 8–10 (none, uncertain, no face) are skipped and counted. The face box becomes the
 * record's image (the crop is cut at import); valence and arousal are kept in meta and provenance.
 */
import * as path from 'node:path';
import { numberField } from './csv-fields';
import { isInside } from './facial-r1';
import { idTooLong } from './field-limits';
import type { DatasetOutcome } from './types';

export const AFFECTNET_COLUMNS = ['subDirectory_filePath', 'face_x', 'face_y', 'face_width', 'face_height', 'facial_landmarks', 'expression', 'valence', 'arousal'] as const;
export const AFFECTNET_LABELS = ['neutral', 'happiness', 'sadness', 'surprise', 'fear', 'disgust', 'anger', 'contempt'] as const;
/** Expressions 8–10: not a label, skipped and counted under these names. */
export const AFFECTNET_SKIPPED: Readonly<Record<number, string>> = { 8: 'none', 9: 'uncertain', 10: 'no-face' };

export function parseAffectNetRow(fields: string[], at: Record<string, number>, line: number, file: string, imagesDir: string, allowOutside = false): DatasetOutcome {
  const err = (reason: string): DatasetOutcome => ({ kind: 'error', error: { file, line, reason } });
  const rel = (fields[at.subDirectory_filePath] ?? '').trim();
  if (rel === '') return err('field "subDirectory_filePath" is empty');
  const expression = numberField(fields[at.expression], 'expression', { min: 0, max: 10, integer: true });
  if (typeof expression !== 'number') return err(expression.error);
  if (expression >= 8) return { kind: 'skipped', line, reason: AFFECTNET_SKIPPED[expression] };
  const box: Record<string, number> = {};
  for (const k of ['face_x', 'face_y', 'face_width', 'face_height'] as const) {
    const v = numberField(fields[at[k]], k, { min: 0, integer: true });
    if (typeof v !== 'number') return err(v.error);
    box[k] = v;
  }
  if (box.face_width === 0 || box.face_height === 0) return err(`field "${box.face_width === 0 ? 'face_width' : 'face_height'}" is 0: an empty face box`);
  const va: Record<string, number> = {};
  for (const k of ['valence', 'arousal'] as const) {
    const v = numberField(fields[at[k]], k, { min: -1, max: 1 });
    if (typeof v !== 'number') return err(v.error);
    va[k] = v;
  }
  const imagePath = path.resolve(imagesDir, rel);
  if (!allowOutside && !isInside(imagesDir, imagePath)) return err(`field "subDirectory_filePath": ${JSON.stringify(rel)} is outside the images folder ${imagesDir} (pass --allow-outside to import it)`);
  const id = `affectnet/${rel.replace(/\\/g, '/').replace(/\.[A-Za-z0-9]+$/, '')}`;
  const long = idTooLong(id);
  if (long) return err(long);
  const landmarks = (fields[at.facial_landmarks] ?? '').trim();
  return {
    kind: 'record',
    record: {
      line,
      id,
      source: 'AffectNet',
      question: null,
      emotion: AFFECTNET_LABELS[expression],
      aus: [],
      reasoning: '',
      subject: null,
      image: rel,
      imagePath,
      crop: { x: box.face_x, y: box.face_y, width: box.face_width, height: box.face_height },
      meta: {
        meta_info: {},
        image: `${id}.png`,
        affectnet: { file: rel, box: { x: box.face_x, y: box.face_y, width: box.face_width, height: box.face_height }, landmarks, expression, valence: va.valence, arousal: va.arousal },
      },
      provenance: { valence: va.valence, arousal: va.arousal },
      normalised: [],
    },
  };
}
