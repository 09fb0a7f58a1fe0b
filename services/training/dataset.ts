/** Loads a split part of a workspace as face samples: the analysis crop and descriptor where present, else the image. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Workspace } from '../../db/open';
import { splitExists, trainingRecords } from '../../db/repositories/training-data';
import { grayPixels } from '../../pipelines/data/pixels';
import type { FaceSample } from '../../pipelines/model/inputs';

export interface LoadOptions {
  imageSize: number;
  descriptorDim: number;
  /** Only records a human labeled or reviewed (training); otherwise every record with an emotion. */
  labeledOnly: boolean;
  limit?: number;
  /** Records without an emotion too (suggestions). */
  withUnlabeled?: boolean;
}

export async function loadSplitSamples(ws: Workspace, split: string, part: string, opts: LoadOptions): Promise<FaceSample[]> {
  if (!splitExists(ws.db, split)) throw new Error(`split "${split}" does not exist in ${ws.dir} (create it with "fea split")`);
  const records = trainingRecords(ws.db, { split, part, descriptorDim: opts.descriptorDim, labeledOnly: opts.labeledOnly, limit: opts.limit, withUnlabeled: opts.withUnlabeled });
  const out: FaceSample[] = [];
  for (const r of records) {
    const crop = r.cropGrayPath ? path.join(ws.dir, ...r.cropGrayPath.split('/')) : null;
    const file = crop && fs.existsSync(crop) ? crop : path.join(ws.mediaDir, ...r.relPath.split('/'));
    let pixels: Float32Array;
    try {
      pixels = await grayPixels(file, opts.imageSize);
    } catch (err) {
      throw new Error(`record ${r.id}: cannot read image ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    out.push({
      recordId: r.id,
      imageKey: r.relPath,
      subject: r.subject,
      pixels,
      descriptor: r.descriptor,
      emotion: r.emotion,
      aus: r.aus,
      reasoning: r.reasoning,
    });
  }
  return out;
}
