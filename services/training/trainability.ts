/**
 * The one rule for whether a split part can train a stage (training.start refuses by it, training.check shows it to
 * the form): RL needs labeled records, SFT as many with a reasoning as its trainer needs.
 */
import type { RunStage } from '../../contract/training-choices';
import { SFT_MIN_RECORDS } from '../../pipelines/sft/config';

const HOW_TO_FIX = 'Label some in the Label view, or run a round 0 ("fea synth <workspace>") and approve it';

/** Why the part cannot train the stage, or null when it can. */
export function trainabilityProblem(stage: RunStage, split: string, part: string, counts: { labeled: number; withReasoning: number }): string | null {
  if (counts.labeled === 0) {
    return `split "${split}" has no trainable records in part "${part}": training needs records labeled with an emotion and its AUs (a neutral face needs none), ideally with a reasoning. ${HOW_TO_FIX}`;
  }
  if (stage === 'sft' && counts.withReasoning < SFT_MIN_RECORDS) {
    return `split "${split}" has ${counts.withReasoning} labeled record${counts.withReasoning === 1 ? '' : 's'} with a reasoning in part "${part}" (of ${counts.labeled} labeled): SFT learns the reasoning and needs at least ${SFT_MIN_RECORDS}. ${HOW_TO_FIX}`;
  }
  return null;
}
