/**
 * Folder trees (`--format folders`): ROOT/<emotion>/<image>. The folder name is the label, through the usual
 * aliases (happy, sad, angry, fearful, disgusted, surprised…). Ids are "<folder>/<file name without extension>".
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { idTooLong } from './field-limits';
import type { ImportCandidate, LineError } from './types';
import { checkLabel, type LabelVocabulary } from './vocabulary-check';

export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff', '.bmp', '.avif']);

export interface FolderScan {
  candidates: ImportCandidate[];
  errors: LineError[];
  /** Subfolders below an emotion folder: imported (under the emotion folder's label) only with `recursive`. */
  nestedFolders: { folder: string; images: number; imported: boolean }[];
}

/** Image files below `dir` (relative to it, '/'-separated), and the subfolders holding some, in name order. */
function walkImages(dir: string, rel = ''): { files: string[]; folders: { folder: string; images: number }[] } {
  const files: string[] = [];
  const folders: { folder: string; images: number }[] = [];
  const entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isFile() && IMAGE_EXTENSIONS.has(path.extname(e.name).toLowerCase())) files.push(r);
    else if (e.isDirectory()) {
      const sub = walkImages(dir, r);
      const direct = sub.files.filter((f) => !f.slice(r.length + 1).includes('/')).length;
      if (direct) folders.push({ folder: r, images: direct });
      files.push(...sub.files);
      folders.push(...sub.folders);
    }
  }
  return { files, folders };
}

export function compileSubjectPattern(pattern: string | undefined): RegExp | null {
  if (!pattern) return null;
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch (err) {
    throw new Error(`--subject-pattern is not a valid regular expression: ${err instanceof Error ? err.message : String(err)}`);
  }
  return re;
}

export function subjectFromName(fileName: string, re: RegExp | null): string | null {
  if (!re) return null;
  const m = re.exec(fileName);
  if (!m) return null;
  return m[1] ?? m[0] ?? null;
}

export function scanFolders(root: string, vocab: LabelVocabulary, subjectPattern: RegExp | null, options: { recursive?: boolean } = {}): FolderScan {
  const candidates: ImportCandidate[] = [];
  const errors: LineError[] = [];
  const nestedFolders: FolderScan['nestedFolders'] = [];
  const source = path.basename(path.resolve(root));
  const dirs = fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => d.name)
    .sort();
  let ordinal = 0;
  for (const dir of dirs) {
    const walked = walkImages(path.join(root, dir));
    for (const f of walked.folders) nestedFolders.push({ folder: `${dir}/${f.folder}`, images: f.images, imported: !!options.recursive });
    const files = options.recursive ? walked.files : walked.files.filter((f) => !f.includes('/'));
    const label = checkLabel(dir, vocab);
    for (const file of files) {
      ordinal++;
      const rel = `${dir}/${file}`;
      if (!label.ok) {
        errors.push({ line: ordinal, file: rel, reason: `folder "${dir}": ${label.reason}` });
        continue;
      }
      const id = `${dir}/${file.slice(0, file.length - path.extname(file).length)}`;
      const name = path.basename(file);
      const longId = idTooLong(id);
      if (longId) {
        errors.push({ line: ordinal, file: rel, reason: longId });
        continue;
      }
      candidates.push({
        line: ordinal,
        id,
        source,
        question: null,
        emotion: label.value,
        aus: [],
        reasoning: '',
        subject: subjectFromName(name, subjectPattern),
        image: rel,
        imagePath: path.join(root, dir, ...file.split('/')),
        meta: { meta_info: {}, image: rel, folder: dir },
        normalised: label.normalised ? [{ field: 'label', from: dir, to: label.value }] : [],
      });
    }
  }
  return { candidates, errors, nestedFolders };
}
