/** Loads a split part of a workspace as face samples: the analysis crop and descriptor where present, else the image. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Workspace } from '../../db/open';
import { splitExists, trainingRecords, type TrainingRecord } from '../../db/repositories/training-data';
import { grayPixels } from '../../pipelines/data/pixels';
import { snapshotTrainingRecords } from '../../db/repositories/snapshots';
import type { ExpressionView, FaceSample } from '../../pipelines/model/inputs';
import { EXPRESSION_VIEWS } from '../../pipelines/vision/expression-views';

export interface LoadOptions {
  imageSize: number;
  descriptorDim: number;
  /** The policy's expressionDim (0: no expression features). */
  expressionDim: number;
  /** Only records a human labeled or reviewed (training); otherwise every record with an emotion. */
  labeledOnly: boolean;
  limit?: number;
  /** Records without an emotion too (suggestions). */
  withUnlabeled?: boolean;
}

export async function loadSplitSamples(ws: Workspace, split: string, part: string, opts: LoadOptions): Promise<FaceSample[]> {
  if (!splitExists(ws.db, split)) throw new Error(`split "${split}" does not exist in ${ws.dir} (create it with "fea split")`);
  const records = trainingRecords(ws.db, { split, part, descriptorDim: opts.descriptorDim, expressionDim: opts.expressionDim, labeledOnly: opts.labeledOnly, limit: opts.limit, withUnlabeled: opts.withUnlabeled });
  const out: FaceSample[] = [];
  for (const r of records) out.push(await faceSample(ws, r, opts.imageSize));
  return out;
}

/** A frozen snapshot's records with the labels it froze, less the split part that evaluates the model. */
export async function loadSnapshotSamples(
  ws: Workspace,
  snapshotId: number,
  exclude: { split: string; part: string } | null,
  opts: { imageSize: number; descriptorDim: number; expressionDim: number },
): Promise<FaceSample[]> {
  const out: FaceSample[] = [];
  for (const r of snapshotTrainingRecords(ws.db, { snapshotId, descriptorDim: opts.descriptorDim, expressionDim: opts.expressionDim, exclude })) out.push(await faceSample(ws, r, opts.imageSize));
  return out;
}

/** One record as a face sample: the eye-aligned grayscale crop where the analysis made one, else the whole image. */
export async function faceSample(ws: Workspace, r: TrainingRecord | (Omit<TrainingRecord, 'emotion'> & { emotion: string | null }), imageSize: number): Promise<FaceSample> {
  const crop = r.cropGrayPath ? path.join(ws.dir, ...r.cropGrayPath.split('/')) : null;
  const file = crop && fs.existsSync(crop) ? crop : path.join(ws.mediaDir, ...r.relPath.split('/'));
  let pixels: Float32Array;
  try {
    pixels = await grayPixels(file, imageSize);
  } catch (err) {
    throw new Error(`record ${r.id}: cannot read image ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return {
    recordId: r.id,
    imageKey: r.relPath,
    subject: r.subject,
    pixels,
    descriptor: r.descriptor,
    expressionViews: expressionViews(r.expressionViews),
    emotion: r.emotion,
    aus: r.aus,
    reasoning: r.reasoning,
  };
}

/** Stored views in EXPRESSION_VIEWS order; views beyond the known ones (a newer analysis) are left out. */
function expressionViews(views: Float32Array[] | null): ExpressionView[] | null {
  if (!views) return null;
  return views.slice(0, EXPRESSION_VIEWS.length).map((features, i) => ({ features, flipped: EXPRESSION_VIEWS[i].flip }));
}
