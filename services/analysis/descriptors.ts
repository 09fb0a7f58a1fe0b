/**
 * The 128-d recognition descriptor on demand: analysis leaves it out unless asked (it is the costliest net after the
 * detector), so whatever reads analyses.descriptor (the policy's frozen image feature) fills the missing ones first.
 * Each image is analysed again with the descriptor on, with the same defaults as `fea analyze`, so the descriptor is
 * the one that analysis would have stored; each is written in its own statement as it arrives.
 */
import type { Workspace } from '../../db/open';
import { imagesWithoutDescriptor, setAnalysisDescriptor, type ImageWithoutDescriptor } from '../../db/repositories/analysis';
import { reanalyse, type ReanalyseOptions } from './reanalyse';

export type FillDescriptorsOptions = ReanalyseOptions;

/** Computes and stores the descriptor of each image; throws naming the first image whose descriptor cannot be computed. */
export async function fillDescriptors(ws: Workspace, images: ImageWithoutDescriptor[], options: FillDescriptorsOptions = {}): Promise<number> {
  return reanalyse(
    ws,
    images,
    'recognition descriptor',
    { descriptor: true },
    (img, r) => {
      if (!r.descriptor) throw new Error('the analysis returned no recognition descriptor');
      setAnalysisDescriptor(ws.db, img.imageId, r.descriptor);
    },
    options,
  );
}

/** Fills the descriptors these records need (their found faces without one); returns how many were computed. */
export async function ensureDescriptors(ws: Workspace, recordIds: string[], options: FillDescriptorsOptions = {}): Promise<number> {
  return fillDescriptors(ws, imagesWithoutDescriptor(ws.db, recordIds), options);
}
