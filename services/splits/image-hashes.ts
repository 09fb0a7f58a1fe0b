/**
 * Fills image_hashes for the images a split considers, so that the leakage report sees every image, analysed or not.
 * A cheap pass (decode, 32×32 DCT, pixel sha256; no face detection), run before a split: each image is hashed once,
 * in batches committed one transaction each, so an interrupted pass resumes where it stopped. Images that cannot be
 * read keep their error and count as unhashed in the report.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Workspace } from '../../db/open';
import { countUnhashedSplittableImages, insertImageHashes, unhashedSplittableImages, type ImageHashRow } from '../../db/repositories';
import { imageHashes } from '../../pipelines/vision/image-hashes';

const BATCH = 64;
/** sharp decodes on its own threads: two in flight keep a 2-core machine busy. */
const CONCURRENCY = 2;

export interface HashPassResult {
  hashed: number;
  failed: number;
}

export async function ensureImageHashes(ws: Workspace, onProgress?: (done: number, total: number) => void): Promise<HashPassResult> {
  const total = countUnhashedSplittableImages(ws.db);
  if (total === 0) return { hashed: 0, failed: 0 };
  let hashed = 0;
  let failed = 0;
  for (;;) {
    const batch = unhashedSplittableImages(ws.db, BATCH);
    if (batch.length === 0) break;
    const rows: ImageHashRow[] = new Array(batch.length);
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const i = next++;
        const img = batch[i];
        try {
          const bytes = await fs.promises.readFile(path.join(ws.mediaDir, img.rel_path));
          const h = await imageHashes(bytes);
          rows[i] = { imageId: img.id, phash: h.phash, pixelSha256: h.pixelSha256, error: null };
        } catch (err) {
          rows[i] = { imageId: img.id, phash: null, pixelSha256: null, error: `${img.rel_path}: ${err instanceof Error ? err.message : String(err)}` };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, batch.length) }, worker));
    ws.db.transaction(() => insertImageHashes(ws.db, rows)).immediate();
    for (const r of rows) {
      if (r.error) failed++;
      else hashed++;
    }
    onProgress?.(hashed + failed, total);
  }
  return { hashed, failed };
}
