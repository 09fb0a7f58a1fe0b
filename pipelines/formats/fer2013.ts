/**
 * FER2013 (`--format fer2013`): `fer2013.csv` with `emotion,pixels,Usage`; pixels are 48×48 grayscale values
 * separated by spaces, emotion 0–6, and Usage (Training, PublicTest, PrivateTest) becomes the record's split part.
 */
import { encodeGrayPng } from './png-encode';
import { numberField } from './csv-fields';
import type { DatasetOutcome } from './types';

export const FER2013_COLUMNS = ['emotion', 'pixels', 'Usage'] as const;
/** Label numbers of FER2013, in order. */
export const FER2013_LABELS = ['anger', 'disgust', 'fear', 'happiness', 'sadness', 'surprise', 'neutral'] as const;
export const FER2013_SIDE = 48;
export const FER2013_SPLIT = 'fer2013';
/** Usage value → split part. */
export const FER2013_PARTS: Readonly<Record<string, string>> = { training: 'train', publictest: 'publictest', privatetest: 'privatetest' };

/** The 48×48 pixels of a `pixels` field as a PNG, or why not. */
export function fer2013Pixels(raw: string | undefined): Buffer | { error: string } {
  const values = (raw ?? '').trim().split(/\s+/).filter((s) => s !== '');
  const want = FER2013_SIDE * FER2013_SIDE;
  if (values.length !== want) return { error: `field "pixels": ${values.length} values, expected ${want} (48×48)` };
  const px = new Uint8Array(want);
  for (let k = 0; k < want; k++) {
    const v = Number(values[k]);
    if (!Number.isInteger(v) || v < 0 || v > 255) return { error: `field "pixels": value ${k + 1} ("${values[k].slice(0, 12)}") is not an integer 0–255` };
    px[k] = v;
  }
  return encodeGrayPng(px, FER2013_SIDE, FER2013_SIDE);
}

export function fer2013Part(raw: string | undefined): string | { error: string } {
  const part = FER2013_PARTS[(raw ?? '').trim().toLowerCase()];
  return part ?? { error: `field "Usage": "${(raw ?? '').slice(0, 40)}" is not Training, PublicTest or PrivateTest` };
}

/** One data row (fields already split); `row` is its 0-based ordinal among data rows, which names the record. */
export function parseFer2013Row(fields: string[], at: Record<string, number>, line: number, row: number, file: string, source = 'FER2013'): DatasetOutcome {
  const label = numberField(fields[at.emotion], 'emotion', { min: 0, max: 6, integer: true });
  if (typeof label !== 'number') return { kind: 'error', error: { file, line, reason: label.error } };
  const part = fer2013Part(fields[at.Usage]);
  if (typeof part !== 'string') return { kind: 'error', error: { file, line, reason: part.error } };
  const png = fer2013Pixels(fields[at.pixels]);
  if (!Buffer.isBuffer(png)) return { kind: 'error', error: { file, line, reason: png.error } };
  const name = `${String(row).padStart(5, '0')}.png`;
  return {
    kind: 'record',
    record: {
      line,
      id: `fer2013/${String(row).padStart(5, '0')}`,
      source,
      question: null,
      emotion: FER2013_LABELS[label],
      aus: [],
      reasoning: '',
      subject: null,
      image: name,
      imagePath: name,
      bytes: png,
      part,
      meta: { meta_info: {}, image: `fer2013/${name}`, fer2013: { row, emotion: label, usage: fields[at.Usage].trim() } },
      normalised: [],
    },
  };
}
