/**
 * The 128-d recognition descriptor on demand: analysis leaves it out unless asked (it is the costliest net after the
 * detector), so whatever reads analyses.descriptor (the policy's frozen image feature) fills the missing ones first.
 * Each image is analysed again with the descriptor on, with the same defaults as `fea analyze`, so the descriptor is
 * the one that analysis would have stored; each is written in its own statement as it arrives.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Workspace } from '../../db/open';
import { imagesWithoutDescriptor, setAnalysisDescriptor, type ImageWithoutDescriptor } from '../../db/repositories/analysis';
import { AnalyzerPool, defaultWorkerCount } from '../../pipelines/vision/pool';

export interface FillDescriptorsOptions {
  workers?: number;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number }) => void;
}

/** Computes and stores the descriptor of each image; throws naming the first image whose descriptor cannot be computed. */
export async function fillDescriptors(ws: Workspace, images: ImageWithoutDescriptor[], options: FillDescriptorsOptions = {}): Promise<number> {
  if (images.length === 0) return 0;
  const total = images.length;
  let done = 0;
  options.onProgress?.({ done, total });
  // never more workers than images, nor (unless asked) than analysis would start: one per image ran out of memory
  const pool = new AnalyzerPool({ workers: Math.min(options.workers ?? defaultWorkerCount(), total) });
  let failure: Error | null = null;
  try {
    await pool.ready();
    const one = async (img: ImageWithoutDescriptor) => {
      const label = `image ${img.imageId} (${img.originalName})`;
      let bytes: Buffer;
      try {
        bytes = await fs.promises.readFile(path.join(ws.mediaDir, ...img.relPath.split('/')));
      } catch (err) {
        throw new Error(`${label}: cannot compute its recognition descriptor: cannot read ${img.relPath}: ${(err as Error).message}`);
      }
      const r = await pool.analyze(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, { descriptor: true });
      if (!r.ok) throw new Error(`${label}: cannot compute its recognition descriptor: ${r.error}`);
      if (!r.descriptor) throw new Error(`${label}: the analysis returned no recognition descriptor`);
      setAnalysisDescriptor(ws.db, img.imageId, r.descriptor);
      done++;
      options.onProgress?.({ done, total });
    };
    // Two images in flight per worker keep every worker busy while results are written.
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

/** Fills the descriptors these records need (their found faces without one); returns how many were computed. */
export async function ensureDescriptors(ws: Workspace, recordIds: string[], options: FillDescriptorsOptions = {}): Promise<number> {
  return fillDescriptors(ws, imagesWithoutDescriptor(ws.db, recordIds), options);
}
