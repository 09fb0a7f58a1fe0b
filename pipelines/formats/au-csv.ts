/**
 * Per-image AU intensity tables (`--format au-csv`, and `--format disfa` for DISFA tables): a CSV with an image
 * column (`image`, `file`, `filename` or `path`) and `AU<n>` columns holding FACS intensities 0–5. An AU at or
 * above the threshold (default 2) is present, its intensity 1–5 written as A–E. An optional `emotion` column
 * labels the record; an optional `subject` column names the subject (DISFA: the SN### folder when absent).
 */
import * as path from 'node:path';
import { normaliseAU } from '../facs/normalise';
import { sortAUs } from '../facs/vocabulary';
import { isInside } from './facial-r1';
import { idTooLong } from './field-limits';
import type { DatasetOutcome, ImportCandidate, LineError } from './types';
import { checkLabel, isFacsAU, type LabelVocabulary } from './vocabulary-check';

export const IMAGE_COLUMNS = ['image', 'file', 'filename', 'path'] as const;
export const DEFAULT_AU_THRESHOLD = 2;
const LETTERS = ['A', 'B', 'C', 'D', 'E'] as const;

export interface AuTable {
  image: number;
  emotion: number | null;
  subject: number | null;
  /** Column → AU token. */
  aus: { col: number; au: string; header: string }[];
}

/** Finds the image, AU, emotion and subject columns of a header (already split into fields). */
export function auTableColumns(file: string, header: string[]): AuTable | { error: LineError } {
  const lower = header.map((h) => h.trim().toLowerCase());
  const image = lower.findIndex((h) => (IMAGE_COLUMNS as readonly string[]).includes(h));
  if (image < 0) return { error: { file, line: 1, reason: `header: no image column (one of ${IMAGE_COLUMNS.join(', ')}); found ${header.join(',')}` } };
  const aus: AuTable['aus'] = [];
  for (let k = 0; k < header.length; k++) {
    const h = header[k].trim();
    if (!/^au\s*\d+$/i.test(h)) continue;
    const au = normaliseAU(h);
    if (au === null || !isFacsAU(au)) return { error: { file, line: 1, reason: `header: field "${h}" is not a FACS AU` } };
    if (aus.some((a) => a.au === au)) return { error: { file, line: 1, reason: `header: field "${h}" repeats ${au}` } };
    aus.push({ col: k, au, header: h });
  }
  if (aus.length === 0) return { error: { file, line: 1, reason: `header: no AU<n> columns; found ${header.join(',')}` } };
  const emotion = lower.indexOf('emotion');
  const subject = lower.indexOf('subject');
  return { image, aus, emotion: emotion < 0 ? null : emotion, subject: subject < 0 ? null : subject };
}

export interface AuRowOptions {
  imagesDir: string;
  threshold: number;
  vocab: LabelVocabulary;
  /** Dataset name written as the records' source (DISFA for --format disfa). */
  source: string;
  /** Subject when the table has no subject column: DISFA names it after the SN### folder. */
  subjectOf?: (image: string) => string | null;
  allowOutside?: boolean;
}

export function parseAuRow(fields: string[], t: AuTable, line: number, file: string, o: AuRowOptions): DatasetOutcome {
  const err = (reason: string): DatasetOutcome => ({ kind: 'error', error: { file, line, reason } });
  const rel = (fields[t.image] ?? '').trim();
  if (rel === '') return err('field "image" is empty');
  const imagePath = path.resolve(o.imagesDir, rel);
  if (!o.allowOutside && !isInside(o.imagesDir, imagePath)) return err(`field "image": ${JSON.stringify(rel)} is outside the images folder ${o.imagesDir} (pass --allow-outside to import it)`);
  const present: string[] = [];
  const intensities: Record<string, (typeof LETTERS)[number]> = {};
  const raw: Record<string, number> = {};
  for (const { col, au, header } of t.aus) {
    const s = (fields[col] ?? '').trim();
    const v = Number(s);
    if (s === '' || !Number.isInteger(v) || v < 0 || v > 5) return err(`field "${header}": "${s.slice(0, 20)}" is not an intensity 0–5`);
    raw[au] = v;
    if (v >= o.threshold && v > 0) {
      present.push(au);
      intensities[au] = LETTERS[v - 1];
    }
  }
  let emotion: string | null = null;
  const normalised: ImportCandidate['normalised'] = [];
  if (t.emotion !== null) {
    const e = (fields[t.emotion] ?? '').trim();
    if (e !== '') {
      const c = checkLabel(e, o.vocab);
      if (!c.ok) return err(`field "emotion": ${c.reason}`);
      emotion = c.value;
      if (c.normalised) normalised.push({ field: 'label', from: e, to: c.value });
    }
  }
  const subjectField = t.subject === null ? '' : (fields[t.subject] ?? '').trim();
  const subject = subjectField !== '' ? subjectField : (o.subjectOf?.(rel) ?? null);
  const id = `${o.source.toLowerCase()}/${rel.replace(/\\/g, '/').replace(/\.[A-Za-z0-9]+$/, '')}`;
  const long = idTooLong(id);
  if (long) return err(long);
  return {
    kind: 'record',
    record: {
      line,
      id,
      source: o.source,
      question: null,
      emotion,
      aus: sortAUs(present),
      intensities,
      reasoning: '',
      subject,
      image: rel,
      imagePath,
      meta: { meta_info: subject ? { subject } : {}, image: rel, auIntensities: raw, auThreshold: o.threshold },
      provenance: { auThreshold: o.threshold },
      normalised,
    },
  };
}

/** DISFA frames live in one folder per subject: SN001/0001.png → SN001. */
export function disfaSubject(image: string): string | null {
  const m = /(?:^|[\\/])(SN\d{3})(?:[\\/_]|$)/i.exec(image) ?? /^(SN\d{3})/i.exec(path.basename(image));
  return m ? m[1].toUpperCase() : null;
}
