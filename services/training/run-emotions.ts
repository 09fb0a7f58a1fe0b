import type { Workspace } from '../../db/open';
import { vocabulary } from '../../db/repositories/vocabulary';
import type { FaceSample } from '../../pipelines/model/inputs';

/**
 * The emotions a new SFT run's head answers among: the workspace's emotion vocabulary in its order, then those its
 * samples carry that the vocabulary lacks, sorted (all of the samples' when the workspace has none).
 */
export function runEmotions(ws: Workspace, samples: readonly FaceSample[]): string[] {
  const emotions = vocabulary(ws.db, 'emotion');
  const known = [...new Set(samples.flatMap((s) => (s.emotion === null ? [] : [s.emotion])))].sort();
  return emotions.length ? [...emotions, ...known.filter((e) => !emotions.includes(e))] : known;
}
