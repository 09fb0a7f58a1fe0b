/**
 * FERPlus (`--format ferplus`): FER2013's `fer2013.csv` read in step with FERPlus' `fer2013new.csv`
 * (`Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF`), whose rows are
 * FER2013's rows in order. The label is the majority of the ten annotators' votes; a majority for unknown or NF
 * (not a face), a tie, or a row FERPlus dropped (no image name) is skipped and counted. The votes go into provenance.
 */
import { numberField } from './csv-fields';
import { fer2013Part, fer2013Pixels } from './fer2013';
import type { DatasetOutcome } from './types';

export const FERPLUS_VOTE_COLUMNS = ['neutral', 'happiness', 'surprise', 'sadness', 'anger', 'disgust', 'fear', 'contempt', 'unknown', 'NF'] as const;
export const FERPLUS_COLUMNS = ['Usage', 'Image name', ...FERPLUS_VOTE_COLUMNS] as const;
export const FERPLUS_SPLIT = 'ferplus';
const NOT_EMOTIONS = new Set(['unknown', 'NF']);

/** The majority class of a vote row: the class with the most votes, or 'tie' when two share the top. */
export function majorityVote(votes: Record<string, number>): string {
  let best = '';
  let top = -1;
  let tie = false;
  for (const k of FERPLUS_VOTE_COLUMNS) {
    const v = votes[k] ?? 0;
    if (v > top) {
      top = v;
      best = k;
      tie = false;
    } else if (v === top) tie = true;
  }
  return tie || top <= 0 ? 'tie' : best;
}

/**
 * One row pair: `fer` from fer2013.csv, `plus` from fer2013new.csv, both data rows of ordinal `row` (line = row + 2).
 */
export function parseFerPlusRow(
  fer: { fields: string[]; at: Record<string, number>; file: string },
  plus: { fields: string[]; at: Record<string, number>; file: string },
  line: number,
  row: number,
): DatasetOutcome {
  const name = (plus.fields[plus.at['Image name']] ?? '').trim();
  if (name === '') return { kind: 'skipped', line, reason: 'dropped' };
  const votes: Record<string, number> = {};
  for (const k of FERPLUS_VOTE_COLUMNS) {
    const v = numberField(plus.fields[plus.at[k]], k, { min: 0, max: 100, integer: true });
    if (typeof v !== 'number') return { kind: 'error', error: { file: plus.file, line, reason: v.error } };
    votes[k] = v;
  }
  const plusPart = fer2013Part(plus.fields[plus.at.Usage]);
  if (typeof plusPart !== 'string') return { kind: 'error', error: { file: plus.file, line, reason: plusPart.error } };
  const ferPart = fer2013Part(fer.fields[fer.at.Usage]);
  if (typeof ferPart !== 'string') return { kind: 'error', error: { file: fer.file, line, reason: ferPart.error } };
  if (ferPart !== plusPart) return { kind: 'error', error: { file: plus.file, line, reason: `field "Usage": ${plusPart} here but ${ferPart} in ${fer.file}: the files are not row-aligned` } };
  const majority = majorityVote(votes);
  if (majority === 'tie' || NOT_EMOTIONS.has(majority)) return { kind: 'skipped', line, reason: majority };
  const png = fer2013Pixels(fer.fields[fer.at.pixels]);
  if (!Buffer.isBuffer(png)) return { kind: 'error', error: { file: fer.file, line, reason: png.error } };
  const base = name.replace(/\.[A-Za-z0-9]+$/, '');
  return {
    kind: 'record',
    record: {
      line,
      id: `ferplus/${base}`,
      source: 'FERPlus',
      question: null,
      emotion: majority,
      aus: [],
      reasoning: '',
      subject: null,
      image: name,
      imagePath: name,
      bytes: png,
      part: plusPart,
      meta: { meta_info: {}, image: `ferplus/${base}.png`, ferplus: { row, votes } },
      provenance: { votes },
      normalised: [],
    },
  };
}
