/**
 * RAF-DB basic (`--format rafdb`): `EmoLabel/list_patition_label.txt`, lines `train_00001.jpg 5` with labels 1–7
 * = surprise, fear, disgust, happiness, sadness, anger, neutral. The file name prefix (train_, test_) is the
 * split part. Images are in `Image/aligned/` (named `train_00001_aligned.jpg`) or `Image/original/`.
 */
import * as path from 'node:path';
import type { DatasetOutcome } from './types';

export const RAFDB_LABELS = ['surprise', 'fear', 'disgust', 'happiness', 'sadness', 'anger', 'neutral'] as const;
export const RAFDB_SPLIT = 'rafdb';

/** `imageName` maps a listed file name to the file on disk (the aligned set adds `_aligned`). */
export function parseRafDbLine(text: string, line: number, file: string, imagesDir: string, imageName: (listed: string) => string = (n) => n): DatasetOutcome {
  if (text.trim() === '') return { kind: 'blank' };
  const err = (reason: string): DatasetOutcome => ({ kind: 'error', error: { file, line, reason } });
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 2) return err(`expected "<image> <label>", found ${parts.length} field${parts.length === 1 ? '' : 's'}`);
  const [name, rawLabel] = parts;
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) return err(`field "image": "${name.slice(0, 60)}" is not a plain file name`);
  const m = /^(train|test)_/.exec(name);
  if (!m) return err(`field "image": "${name.slice(0, 60)}" does not start with train_ or test_`);
  const label = Number(rawLabel);
  if (!Number.isInteger(label) || label < 1 || label > 7) return err(`field "label": "${rawLabel.slice(0, 20)}" is not 1–7`);
  const base = name.replace(/\.[A-Za-z0-9]+$/, '');
  const onDisk = imageName(name);
  return {
    kind: 'record',
    record: {
      line,
      id: `rafdb/${base}`,
      source: 'RAF-DB',
      question: null,
      emotion: RAFDB_LABELS[label - 1],
      aus: [],
      reasoning: '',
      subject: null,
      image: onDisk,
      imagePath: path.join(imagesDir, onDisk),
      part: m[1],
      meta: { meta_info: {}, image: `rafdb/${name}`, rafdb: { label } },
      normalised: [],
    },
  };
}

/** The aligned set's file name of a listed image: `train_00001.jpg` → `train_00001_aligned.jpg`. */
export function alignedName(listed: string): string {
  const ext = path.extname(listed);
  return `${listed.slice(0, listed.length - ext.length)}_aligned${ext}`;
}
