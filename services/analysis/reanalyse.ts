/**
 * Analysing already-analysed images again for something their stored analysis lacks (the recognition descriptor,
 * more expression views): each image with the same defaults as `fea analyze` plus `analyzeOptions`, two in flight
 * per worker, each result applied in its own statement as it arrives, so a stop keeps what was done.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Workspace } from '../../db/open';
import type { AnalysedImage } from '../../db/repositories/analysis';
import type { AnalyzeOptions, FaceAnalysis } from '../../pipelines/vision/analyze';
import { AnalyzerPool, defaultWorkerCount } from '../../pipelines/vision/pool';

export interface ReanalyseOptions {
  workers?: number;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number }) => void;
}

/**
 * Analyses each image again and hands the result to `apply`; returns how many were applied. Throws naming the first
 * image that cannot be read, analysed or applied (`what` says what was being computed; `apply` throws without naming it).
 */
export async function reanalyse(
  ws: Workspace,
  images: AnalysedImage[],
  what: string,
  analyzeOptions: AnalyzeOptions,
  apply: (img: AnalysedImage, result: FaceAnalysis) => void,
  options: ReanalyseOptions = {},
): Promise<number> {
  if (images.length === 0) return 0;
  const total = images.length;
  let done = 0;
  options.onProgress?.({ done, total });
  // never more workers than images, nor (unless asked) than analysis would start: one per image ran out of memory
  const pool = new AnalyzerPool({ workers: Math.min(options.workers ?? defaultWorkerCount(), total) });
  let failure: Error | null = null;
  try {
    await pool.ready();
    const one = async (img: AnalysedImage) => {
      const label = `image ${img.imageId} (${img.originalName})`;
      let bytes: Buffer;
      try {
        bytes = await fs.promises.readFile(path.join(ws.mediaDir, ...img.relPath.split('/')));
      } catch (err) {
        throw new Error(`${label}: cannot compute its ${what}: cannot read ${img.relPath}: ${(err as Error).message}`);
      }
      const r = await pool.analyze(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, analyzeOptions);
      if (!r.ok) throw new Error(`${label}: cannot compute its ${what}: ${r.error}`);
      try {
        apply(img, r);
      } catch (err) {
        throw new Error(`${label}: cannot compute its ${what}: ${(err as Error).message}`);
      }
      done++;
      options.onProgress?.({ done, total });
    };
    const queue = [...images];
    const lanes = Array.from({ length: Math.min(total, pool.size * 2) }, async () => {
      while (queue.length > 0 && !failure && !options.signal?.aborted) {
        const img = queue.shift()!;
        try {
          await one(img);
        } catch (err) {
          failure ??= err as Error;
        }
      }
    });
    await Promise.all(lanes);
  } finally {
    await pool.close();
  }
  if (failure) throw failure;
  return done;
}
