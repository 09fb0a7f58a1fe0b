/** Loads a split part of a workspace as face samples: the analysis crop and descriptor where present, else the image. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Workspace } from '../../db/open';
import { splitExists, trainingRecords, type TrainingRecord } from '../../db/repositories/training-data';
import { grayPixels } from '../../pipelines/data/pixels';
import { snapshotTrainingRecords } from '../../db/repositories/snapshots';
import type { ExpressionView, FaceSample } from '../../pipelines/model/inputs';
import { EXPRESSION_VIEWS } from '../../pipelines/vision/expression-views';
import { ensureDescriptors } from '../analysis/descriptors';

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
  /** Progress of the descriptors computed first (found faces analysed without one), when the policy reads them. */
  onDescriptors?: (p: { done: number; total: number }) => void;
}

/**
 * With descriptorDim > 0 the policy reads the recognition descriptor, which analysis computes only when asked: the
 * records' found faces without one get it first (or the load fails naming the image), so none silently reads zeros.
 * Returns whether any was computed (the records must then be read again).
 */
async function withDescriptors(ws: Workspace, recordIds: string[], opts: { descriptorDim: number; onDescriptors?: LoadOptions['onDescriptors'] }): Promise<boolean> {
  if (opts.descriptorDim <= 0 || recordIds.length === 0) return false;
  return (await ensureDescriptors(ws, recordIds, { onProgress: opts.onDescriptors })) > 0;
}

export async function loadSplitSamples(ws: Workspace, split: string, part: string, opts: LoadOptions): Promise<FaceSample[]> {
  if (!splitExists(ws.db, split)) throw new Error(`split "${split}" does not exist in ${ws.dir} (create it with "fea split")`);
  return samplesOf(ws, () => trainingRecords(ws.db, { split, part, descriptorDim: opts.descriptorDim, expressionDim: opts.expressionDim, labeledOnly: opts.labeledOnly, limit: opts.limit, withUnlabeled: opts.withUnlabeled }), opts);
}

/**
 * The records `query` reads as face samples: their missing descriptors computed first where the policy reads them
 * (then read again), and only then their pixels, so a query that narrows the records narrows both.
 */
async function samplesOf(ws: Workspace, query: () => TrainingRecord[], opts: { imageSize: number; descriptorDim: number; onDescriptors?: LoadOptions['onDescriptors'] }): Promise<FaceSample[]> {
  let records = query();
  if (await withDescriptors(ws, records.map((r) => r.id), opts)) records = query();
  const out: FaceSample[] = [];
  for (const r of records) out.push(await faceSample(ws, r, opts.imageSize));
  return out;
}

/** A frozen snapshot's records with the labels it froze, less the split part that evaluates the model. */
export async function loadSnapshotSamples(
  ws: Workspace,
  snapshotId: number,
  exclude: { split: string; part: string } | null,
  opts: { imageSize: number; descriptorDim: number; expressionDim: number; onDescriptors?: LoadOptions['onDescriptors'] },
): Promise<FaceSample[]> {
  return samplesOf(ws, () => snapshotTrainingRecords(ws.db, { snapshotId, descriptorDim: opts.descriptorDim, expressionDim: opts.expressionDim, exclude }), opts);
}

/**
 * SftConfig.headFitEmotionOnly: a split part's records with an emotion that `exclude` (the run's training samples)
 * does not hold, such as weak records no snapshot carries, as samples without reasoning or AUs: only the emotion head's
 * fit reads them. The caller passes the training part, never the one that evaluates the model.
 */
export async function loadEmotionOnlySamples(
  ws: Workspace,
  split: string,
  part: string,
  opts: { exclude: ReadonlySet<string>; imageSize: number; descriptorDim: number; expressionDim: number; onDescriptors?: LoadOptions['onDescriptors'] },
): Promise<FaceSample[]> {
  if (!splitExists(ws.db, split)) return [];
  // narrowed before the pixels and descriptors: the run's own samples are most of the part, and already loaded
  const query = () =>
    trainingRecords(ws.db, { split, part, descriptorDim: opts.descriptorDim, expressionDim: opts.expressionDim, labeledOnly: false }).filter(
      (r) => !opts.exclude.has(r.id) && r.emotion !== null,
    );
  return (await samplesOf(ws, query, opts)).map((s) => ({ ...s, reasoning: '', aus: [] }));
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
