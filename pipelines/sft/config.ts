/** What an SFT run is told, and its defaults (pipelines/TRAINING.md §2 says why they are what they are). */
import type { PolicyConfig } from '../model/config';

/** Fewest labeled records with a reasoning SFT trains on (the training service refuses a split with fewer before a run exists). */
export const SFT_MIN_RECORDS = 2;

/**
 * 'loss': each training record's text and emotion losses weigh n / (classes · n_emotion), so every emotion weighs
 * the same in the loss whatever its share of the training part; 'none': every record weighs 1.
 */
export const CLASS_BALANCES = ['loss', 'none'] as const;
export type ClassBalance = (typeof CLASS_BALANCES)[number];

export interface SftConfig {
  seed: number;
  epochs: number;
  /** Overrides epochs when set. */
  steps: number | null;
  batchSize: number;
  lr: number;
  warmupSteps: number;
  /** Weight of the auxiliary emotion CE and AU BCE losses. */
  auxWeight: number;
  /**
   * Extra training images per step seen only by the encoder and its auxiliary heads. The decoder fits the
   * templated descriptions in a few epochs while the visual features need many more passes; these are cheap.
   */
  auxExtra: number;
  valFraction: number;
  /** Validation every this many steps (0 = once per epoch). */
  evalEvery: number;
  /** Evaluations without improvement before stopping (0 = never stop early). */
  patience: number;
  conditionDrop: number;
  /** Bias the emotion words' logits by the image head's log-probabilities (see PolicyConfig.emotionTokenIds). */
  emotionCopy: boolean;
  /** Let every token's logit follow the image heads directly (see PolicyConfig.headBias). */
  headBias: boolean;
  augment: boolean;
  classBalance: ClassBalance;
  /**
   * Where the policy reads the expression net's prior (PolicyConfig.expressionPrior): the emotion head is that prior
   * plus a residual that starts at zero (PolicyConfig.expressionResidual), emotions without a training record get no
   * prior mass, the reasoning's emotion word is the head's choice and the answer repeats it (PolicyConfig.emotionSlot, window decoder).
   */
  priorResidual: boolean;
  /** L2 weight on the residual's weights (`aux/emo/res`, `aux/emo/w`): it stays near the prior unless the data says otherwise. */
  residualDecay: number;
  /**
   * Under the residual head, before training: solve the emotion head on the frozen features in full batch, its L2
   * chosen by cross-validation over subjects, kept only where it beats the net's own answer; SFT then leaves it as
   * solved (head-fit.ts).
   */
  headFit: boolean;
  /**
   * The head fit also reads the samples that carry an emotion but no reasoning (records of the training part that are
   * still weak: the synthesis found no AU to write about, so no snapshot holds them). SFT's text never sees them; the
   * emotion label is a human's all the same, and the faces without a readable AU are the head's hardest cases.
   */
  headFitEmotionOnly: boolean;
  /**
   * The head fit reads each of a sample's stored expression views (mirror, rotation, scale, light: the analysis'
   * augmented views, which SFT's augmentation draws from) as a row of its own, and is scored on what decoding
   * reads (view 0, or the mean of the first views: PolicyConfig.expressionDecodeViews).
   */
  headFitViews: boolean;
  clipNorm: number;
  /** Policy shape (imageSize, dModel, nLayers …); labels and vocabulary come from the data. */
  model: Partial<Omit<PolicyConfig, 'emotions' | 'aus' | 'vocabSize'>>;
}

export const DEFAULT_SFT_CONFIG: SftConfig = {
  seed: 1,
  epochs: 20,
  steps: null,
  batchSize: 32,
  lr: 2e-3,
  warmupSteps: 20,
  auxWeight: 1,
  auxExtra: 128,
  valFraction: 0.1,
  evalEvery: 0,
  patience: 8,
  conditionDrop: 0.5,
  emotionCopy: true,
  headBias: true,
  augment: true,
  classBalance: 'loss',
  priorResidual: true,
  residualDecay: 0.1,
  headFit: true,
  headFitEmotionOnly: true,
  headFitViews: true,
  clipNorm: 5,
  model: {},
};
