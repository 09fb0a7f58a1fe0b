/**
 * Small import inputs made from face-api's demo photos, for the import tests: a Facial-R1 JSONL with two bad lines
 * (an emotion outside the vocabulary, a missing image) and an emotion folder tree with a nested subfolder and the
 * same photo under two emotions. What each should give is kept next to it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FACE_API_DIR } from '../../pipelines/vision/faceapi';
import { writeJsonl } from './facial-r1';

export const demoPhoto = (n: number) => path.join(FACE_API_DIR, 'demo', `sample${n}.jpg`);

export interface JsonlInput {
  file: string;
  expected: { imported: number; byEmotion: Record<string, number>; errors: { line: number; field: string; reason: RegExp }[] };
}

/** dir/faces.jsonl with its images in dir/img/: lines 1, 2, 4, 6 import; line 3 has a bad label, line 5 no image file. */
export function writeJsonlInput(dir: string): JsonlInput {
  fs.mkdirSync(path.join(dir, 'img'), { recursive: true });
  const line = (n: number, photo: number, label: string, image = `img/face-${n}.jpg`) => {
    if (photo > 0) fs.copyFileSync(demoPhoto(photo), path.join(dir, image));
    return {
      id: `ui-${n}`,
      dataset: 'UI-TEST',
      image,
      question: 'What is the emotion of this face?',
      AUs: label === 'happiness' ? ['AU6', 'AU12'] : [],
      labels: [label],
      description: '',
      meta_info: { subject: `person-${n}` },
    };
  };
  const file = path.join(dir, 'faces.jsonl');
  writeJsonl(file, [line(1, 1, 'happiness'), line(2, 2, 'sadness'), line(3, 3, 'bogus'), line(4, 4, 'happiness'), line(5, 0, 'anger', 'img/missing.jpg'), line(6, 6, 'surprise')]);
  return {
    file,
    expected: {
      imported: 4,
      byEmotion: { happiness: 2, sadness: 1, surprise: 1 },
      errors: [
        { line: 3, field: 'labels', reason: /label "bogus" is outside the vocabulary/ },
        { line: 5, field: 'image', reason: /missing\.jpg does not exist/ },
      ],
    },
  };
}

export interface FolderInput {
  root: string;
  expected: { imported: number; importedRecursive: number; nested: { folder: string; images: number }[]; conflictFiles: string[] };
}

/**
 * dir/photos/<emotion>/: happiness/a.jpg and sadness/a-copy.jpg are the same bytes (a conflict, neither imported),
 * happiness/more/b.jpg is nested (imported only recursively), sadness/c.jpg and surprise/d.jpg import.
 */
export function writeFolderInput(dir: string): FolderInput {
  const root = path.join(dir, 'photos');
  const put = (rel: string, photo: number) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.copyFileSync(demoPhoto(photo), path.join(root, rel));
  };
  put('happiness/a.jpg', 5);
  put('happiness/more/b.jpg', 2);
  put('sadness/c.jpg', 3);
  put('sadness/a-copy.jpg', 5);
  put('surprise/d.jpg', 4);
  return { root, expected: { imported: 2, importedRecursive: 3, nested: [{ folder: 'happiness/more', images: 1 }], conflictFiles: ['happiness/a.jpg', 'sadness/a-copy.jpg'] } };
}
