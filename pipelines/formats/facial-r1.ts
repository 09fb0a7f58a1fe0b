/** Facial-R1 / FEA-20K JSONL (spec §2): parsing one line into an import candidate, with normalisation. */
import * as path from 'node:path';
import { sortAUs } from '../facs/vocabulary';
import { idTooLong, textTooLong } from './field-limits';
import type { ImportCandidate, ParseOutcome } from './types';
import { checkAU, checkLabel, type LabelVocabulary } from './vocabulary-check';

const KNOWN_KEYS = new Set(['id', 'dataset', 'image', 'question', 'AUs', 'labels', 'description', 'meta_info', 'is_valid']);

export interface ParseOptions {
  /** Accept image paths that resolve outside imagesDir (`..`, absolute paths); off by default. */
  allowOutside?: boolean;
}

/** Whether `target` is `root` or inside it, lexically (both absolute and resolved). */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

export function parseFacialR1Line(text: string, line: number, imagesDir: string, vocab: LabelVocabulary, options: ParseOptions = {}): ParseOutcome {
  if (text.trim() === '') return { kind: 'blank' };
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    return { kind: 'error', error: { line, reason: `not JSON (${err instanceof Error ? err.message : String(err)})` } };
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return { kind: 'error', error: { line, reason: 'not a JSON object' } };
  const o = obj as Record<string, unknown>;
  if (o.is_valid === false) return { kind: 'skipped', line, reason: 'is_valid is false' };
  const id = typeof o.id === 'number' ? String(o.id) : o.id;
  if (typeof id !== 'string' || id.trim() === '') return { kind: 'error', error: { line, field: 'id', reason: 'lacks id' } };
  const longId = idTooLong(id);
  if (longId) return { kind: 'error', error: { line, field: 'id', reason: longId } };
  if (typeof o.image !== 'string' || o.image.trim() === '') return { kind: 'error', error: { line, field: 'image', reason: `record ${id} lacks image` } };
  const imagePath = path.resolve(imagesDir, o.image);
  if (!options.allowOutside && !isInside(imagesDir, imagePath)) {
    return { kind: 'error', error: { line, field: 'image', reason: `image ${JSON.stringify(o.image)} is outside the images folder ${imagesDir} (pass --allow-outside to import it)` } };
  }
  for (const [field, value] of [['question', o.question], ['description', o.description]] as const) {
    const long = typeof value === 'string' ? textTooLong(field, value) : null;
    if (long) return { kind: 'error', error: { line, field, reason: long } };
  }
  const normalised: ImportCandidate['normalised'] = [];

  let emotion: string | null = null;
  const extraLabels: unknown[] = [];
  if (o.labels !== undefined && o.labels !== null) {
    const labels = Array.isArray(o.labels) ? o.labels : [o.labels];
    if (labels.length > 0) {
      const c = checkLabel(labels[0], vocab);
      if (!c.ok) return { kind: 'error', error: { line, field: 'labels', reason: c.reason } };
      emotion = c.value;
      if (c.normalised) normalised.push({ field: 'label', from: String(labels[0]), to: c.value });
      extraLabels.push(...labels.slice(1));
    }
  }
  const aus: string[] = [];
  if (o.AUs !== undefined && o.AUs !== null) {
    if (!Array.isArray(o.AUs)) return { kind: 'error', error: { line, field: 'AUs', reason: 'AUs is not a list' } };
    for (const raw of o.AUs) {
      const c = checkAU(raw);
      if (!c.ok) return { kind: 'error', error: { line, field: 'AUs', reason: c.reason } };
      if (c.normalised) normalised.push({ field: 'AU', from: String(raw), to: c.value });
      aus.push(c.value);
    }
  }
  if (o.description !== undefined && o.description !== null && typeof o.description !== 'string') {
    return { kind: 'error', error: { line, field: 'description', reason: 'description is not a string' } };
  }
  const metaInfo = o.meta_info && typeof o.meta_info === 'object' && !Array.isArray(o.meta_info) ? (o.meta_info as Record<string, unknown>) : {};
  const subject = metaInfo.subject === undefined || metaInfo.subject === null || metaInfo.subject === '' ? null : String(metaInfo.subject);
  // defined, not assigned: a line's own "__proto__" key stays a field instead of replacing the object's prototype
  const extra: Record<string, unknown> = Object.fromEntries(Object.entries(o).filter(([k]) => !KNOWN_KEYS.has(k)));
  const meta: Record<string, unknown> = { meta_info: metaInfo, image: o.image };
  if (Object.keys(extra).length) meta.extra = extra;
  if (extraLabels.length) meta.extraLabels = extraLabels;
  return {
    kind: 'record',
    record: {
      line,
      id,
      source: typeof o.dataset === 'string' && o.dataset !== '' ? o.dataset : null,
      question: typeof o.question === 'string' ? o.question : null,
      emotion,
      aus: sortAUs(aus),
      reasoning: typeof o.description === 'string' ? o.description : '',
      subject,
      image: o.image,
      imagePath,
      meta,
      normalised,
    },
  };
}
