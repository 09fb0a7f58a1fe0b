/**
 * Round 0 on real photos: a folder of emotion-labeled photos (face-api's demo photos and skimage's astronaut) becomes
 * a round of candidates whose reasoning passes the editor's checks; an image without a face still gets one.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openWorkspace } from '../../db/open';
import { checkReasoning } from '../../pipelines/facs/reasoning';
import { FACE_API_DIR } from '../../pipelines/vision/faceapi';
import { createContext } from '../../services/context';
import { candidateDetail, reviewQueue } from '../../services/synthesis/review';
import { fea } from '../support/cli';

jest.setTimeout(240_000);

const SKIMAGE = '/usr/lib/python3/dist-packages/skimage/data';

test('every real photo gets a round-0 candidate whose reasoning passes the checks; a faceless image is marked faceFound=false', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-round0-'));
  const tree = path.join(dir, 'photos');
  const put = (emotion: string, src: string, name = path.basename(src)) => {
    fs.mkdirSync(path.join(tree, emotion), { recursive: true });
    fs.copyFileSync(src, path.join(tree, emotion, name));
  };
  const demo = (n: number) => path.join(FACE_API_DIR, 'demo', `sample${n}.jpg`);
  put('happiness', demo(1));
  put('happiness', demo(2));
  put('surprise', demo(3));
  put('neutral', demo(4));
  put('sadness', demo(5));
  put('anger', demo(6));
  put('happiness', path.join(SKIMAGE, 'astronaut.png'));
  put('neutral', path.join(SKIMAGE, 'coffee.png'));
  const ws = path.join(dir, 'ws');
  expect(fea(['init', ws, '--json']).code).toBe(0);
  const imp = fea(['import', ws, tree, '--format', 'folders', '--json']);
  expect(imp.code).toBe(0);
  expect(imp.json.imported).toBe(8);

  const synth = fea(['synth', ws, '--json'], { timeoutMs: 200_000 });
  expect(synth.code).toBe(0);
  expect(synth.json).toMatchObject({ roundId: 1, candidates: 8, kept: 8, flaggedClasses: [] });
  expect(synth.json.byEmotion.happiness).toEqual({ input: 3, kept: 3, keptRate: 1 });

  const ctx = createContext(openWorkspace(ws));
  try {
    const { rows } = reviewQueue(ctx, { roundId: 1, offset: 0, limit: 100 });
    expect(rows).toHaveLength(8);
    for (const c of rows) {
      expect(c.method).toBe('analysis');
      // the label's emotion is kept; the AUs are the analysis' present estimates (none for a neutral face)
      expect(c.target?.emotionFrom).toBe('label');
      const checks = checkReasoning(c.output, c.emotion, c.aus);
      expect({ id: c.recordId, failed: checks.filter((k) => !k.ok) }).toEqual({ id: c.recordId, failed: [] });
      expect(candidateDetail(ctx, c.id).checks.every((k) => k.pass)).toBe(true);
    }
    const faces = rows.filter((c) => c.faceFound);
    expect(faces.length).toBeGreaterThanOrEqual(6);
    const coffee = rows.find((c) => c.imageKey && c.recordId.includes('coffee'));
    expect(coffee?.faceFound).toBe(false);
    // a smiling face: the analysis found the smile's AUs and named them
    const astronaut = rows.find((c) => c.recordId.includes('astronaut'))!;
    expect(astronaut.aus).toContain('AU12');
  } finally {
    ctx.ws.close();
  }
});
