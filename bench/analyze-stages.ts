/**
 * Where one image's analysis time goes: each stage of analyzeImage run on its own, in this thread, timed in CPU
 * milliseconds (process.cpuUsage: less swayed by other load than wall time; sharp's threads count too), on the
 * bench/analyze photos and on 48×48 grayscale crops of them. Bounded: --repeat rounds (the first is a warm-up).
 * Prints one JSON object: mean CPU ms per image and stage, and the tensors alive before and after.
 * Usage: node dist/bench/analyze-stages.js [--repeat 3]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { tf } from '../pipelines/runtime/backend';
import { alignedCrops } from '../pipelines/vision/align';
import { alignedBox } from '../pipelines/vision/analyze';
import { estimateAUs } from '../pipelines/vision/au-estimates';
import { clampBox, findFace } from '../pipelines/vision/detect';
import { faceExpressionsAndFeatures, faceLandmarks68 } from '../pipelines/vision/face-processor';
import { FACE_API_DIR, loadFaceApi } from '../pipelines/vision/faceapi';
import type { Pt } from '../pipelines/vision/geometry';
import { decodeImage, grayThumb } from '../pipelines/vision/image';
import { phashFromGray32 } from '../pipelines/vision/phash';
import { faceDescriptor } from '../pipelines/vision/recognition';

const ASTRONAUT = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png';

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function photos(): Promise<Buffer[]> {
  const demo = path.join(FACE_API_DIR, 'demo');
  const out: Buffer[] = [];
  for (const f of fs.readdirSync(demo).filter((f) => /^sample\d+\.jpg$/.test(f)).sort()) {
    out.push(await sharp(path.join(demo, f)).resize(640, 640, { fit: 'inside' }).jpeg({ quality: 90 }).toBuffer());
  }
  if (fs.existsSync(ASTRONAUT)) out.push(fs.readFileSync(ASTRONAUT));
  return out;
}

async function profile(set: Buffer[], rounds: number) {
  const { faceapi } = await loadFaceApi();
  const ms: Record<string, number> = {};
  const modes: Record<string, number> = {};
  const time = async <T>(stage: string, fn: () => Promise<T> | T, count: boolean): Promise<T> => {
    const t0 = cpuMs();
    const r = await fn();
    if (count) ms[stage] = (ms[stage] ?? 0) + cpuMs() - t0;
    return r;
  };
  let warm = 0;
  for (let round = 0; round < rounds; round++) {
    if (round === 1) warm = tf.memory().numTensors;
    const count = round > 0;
    for (const bytes of set) {
      const { img } = await time('decode', () => decodeImage(bytes, 1024), count);
      const gray = await time('grayThumb', () => grayThumb(img, 32), count);
      await time('phash', () => phashFromGray32(gray), count);
      const found = await time('findFace', () => findFace(faceapi, img), count);
      if (count) modes[found.detection] = (modes[found.detection] ?? 0) + 1;
      const { frame, box } = found;
      try {
        const crop = tf.slice3d(frame.tensor, [box.y, box.x, 0], [box.height, box.width, 3]);
        const local = await time('landmarks', () => faceLandmarks68(faceapi, crop), count).finally(() => crop.dispose());
        const landmarks = local.map(([x, y]): Pt => [x + box.x, y + box.y]);
        const a = clampBox(alignedBox(landmarks), frame.rgb);
        const face = tf.slice3d(frame.tensor, [a.y, a.x, 0], [a.height, a.width, 3]);
        try {
          await time('expression', () => faceExpressionsAndFeatures(faceapi, face), count);
          await time('descriptor (when asked)', () => faceDescriptor(faceapi, face), count);
        } finally {
          face.dispose();
        }
        await time('alignedCrops (warp + 2 PNG)', () => alignedCrops(frame.rgb, landmarks), count);
        await time('auEstimates', () => estimateAUs(landmarks), count);
      } finally {
        frame.tensor.dispose();
      }
    }
  }
  const n = set.length * (rounds - 1);
  const perImage = Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, Math.round((v / n) * 10) / 10]));
  const total = (skip: string[]) => Math.round(Object.entries(perImage).reduce((s, [k, v]) => (skip.includes(k) ? s : s + v), 0) * 10) / 10;
  return {
    images: set.length,
    detection: modes,
    cpuMsPerImage: perImage,
    totalWithoutDescriptor: total(['descriptor (when asked)']),
    totalWithDescriptor: total([]),
    /** Detection, landmarks and expression nets alone: what the rest of the analysis adds is the total less this. */
    netsOnly: Math.round(((perImage.findFace ?? 0) + (perImage.landmarks ?? 0) + (perImage.expression ?? 0)) * 10) / 10,
    /** Tensors alive after the warm-up round and after the measured ones: equal when nothing leaks. */
    tensors: { afterWarmUp: warm, atEnd: tf.memory().numTensors },
  };
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--repeat');
  const rounds = Math.max(2, i >= 0 ? Number(process.argv[i + 1]) : 3);
  sharp.concurrency(1);
  const base = await photos();
  const crops = await Promise.all(
    base.map(async (b) => {
      const { faceapi } = await loadFaceApi();
      const { img } = await decodeImage(b, 1024);
      const found = await findFace(faceapi, img);
      found.frame.tensor.dispose();
      const side = Math.round(Math.max(found.box.width, found.box.height) * 1.1);
      const left = Math.max(0, Math.round(found.box.x + found.box.width / 2 - side / 2));
      const top = Math.max(0, Math.round(found.box.y + found.box.height / 2 - side / 2));
      return sharp(b).extract({ left, top, width: Math.min(side, img.width - left), height: Math.min(side, img.height - top) }).resize(48, 48, { fit: 'fill' }).grayscale().png().toBuffer();
    }),
  );
  const photosProfile = await profile(base, rounds);
  const cropsProfile = await profile(crops, rounds);
  process.stdout.write(`${JSON.stringify({ bench: 'analyze-stages', backend: tf.getBackend(), rounds, photos: photosProfile, crops48: cropsProfile })}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench/analyze-stages: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
