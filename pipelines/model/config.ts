/** The decoders the policy can use: the window MLP (window-decoder.ts, default) and the pre-LN Transformer (transformer-decoder.ts). */
export const DECODERS = ['window', 'transformer'] as const;
export type DecoderKind = (typeof DECODERS)[number];

/** Shape of the compact reasoning policy. Saved with every model and checkpoint. */
export interface PolicyConfig {
  /** Side of the square grayscale input, in pixels. */
  imageSize: number;
  /** Side of the square patches the encoder reads. */
  patchSize: number;
  /** Per-patch dense width. */
  patchHidden: number;
  /** Width of the pooled image features (and of the auxiliary heads' input). */
  featDim: number;
  /** Length of the frozen face-api descriptor (zeros + presence flag 0 when missing). */
  descriptorDim: number;
  /**
   * Length of one frozen expression feature vector (pipelines/vision/expression-features.ts: the expression net's
   * penultimate activations and probabilities, and the eye-normalised landmarks), read with a presence flag through
   * its own matMul into the first encoder layer. 0 or absent (models saved before it existed): not read.
   */
  expressionDim?: number;
  /** Per-value mean and standard deviation of the expression features on the training part, applied before the matMul. */
  expressionNorm?: { mean: number[]; std: number[] };
  /**
   * Standardised expression values are clipped to ±this (EXPRESSION_CLIP for models trained since it existed; absent:
   * not clipped, as models saved before read them). A unit that is silent on the whole training part has its
   * deviation at the floor, and one CK+ face read it at 10⁵ deviations: the text decoded nothing but punctuation.
   */
  expressionClip?: number;
  /**
   * Inputs that are not augmented (decoding, evaluation, RL's rollouts, the head fit's scoring) read the mean of the
   * first this many stored views' features (1 or absent: view 0 alone, as models saved before it read them; fewer
   * where fewer are stored). View 1 is the mirror (EXPRESSION_VIEWS): the expression net reads each side of the face
   * once as the left one. The residual head is linear in the features, so its logits are the mean of the views'.
   */
  expressionDecodeViews?: number;
  /**
   * Per emotion (in `emotions` order), where the expression net's probability of it sits in the expression feature
   * vector, or −1 where the net has no such class. When given, the emotion head's logits get α·log p(emotion) of the
   * net (α learned, 1 at start): the head starts from the net's zero-shot answer and learns what to change.
   */
  expressionPrior?: number[];
  /**
   * With `expressionPrior`: the emotion head is the net's zero-shot answer plus a learned residual, so the untrained
   * policy answers exactly as the net does and training moves away only where the data says so. The prior is the
   * log of the net's probabilities averaged over every stored view of the face (view 0 alone where only it is
   * stored; the same at training and at test time); the residual is a matMul on the standardised expression features
   * (`aux/emo/res`) plus the pooled features' matMul (`aux/emo/w`), both zero at start.
   */
  expressionResidual?: boolean;
  /**
   * Window decoder, with `emotionTokenIds`: the text decides that an emotion word comes now (their total mass,
   * log Σ exp of their logits), and which one is not the text's: the emotion head's log-probabilities where none has
   * been written yet, and the word already written after that, so the answer names what the reasoning named.
   */
  emotionSlot?: boolean;
  /** Label vocabularies of the auxiliary heads and the condition vector. */
  emotions: string[];
  aus: string[];
  vocabSize: number;
  dModel: number;
  nHeads: number;
  nLayers: number;
  ffDim: number;
  /** Most text positions (bos + generated tokens). */
  maxLen: number;
  /** Image feature tokens in the decoder prefix (transformer decoder). */
  imageTokens: number;
  /**
   * 'window': a causal MLP over the last `window` token embeddings, the bag of tokens written so far, the position
   * and the image context; only dense 2-D matMuls, which WASM runs 5–15× faster than the batched matMuls of
   * attention. 'transformer': pre-LN causal self-attention over [image prefix; text] (fast on tfjs-node).
   */
  decoder: DecoderKind;
  /**
   * Vocabulary ids of the emotion words, in `emotions` order. When given, the window decoder adds
   * α·log p_aux(emotion) to those words' logits (α learned), so the written emotion follows the image head unless
   * the reasoning so far outweighs it; RL's accuracy reward then reaches the visual features directly.
   */
  emotionTokenIds?: number[];
  /**
   * Window decoder: every token's logit gets a learned linear function (zero at initialisation) of the image
   * heads' emotion log-probabilities and AU log-odds. Which sentence the reasoning starts with (the neutral
   * sentence or an AU list) and which AUs it names can then follow the heads as sharply as the heads are sure,
   * instead of through the hidden layer, where the decision is one small part of the text's loss.
   */
  headBias?: boolean;
  window: number;
  embDim: number;
  hidden: number;
}

export const DEFAULT_POLICY_SHAPE = {
  imageSize: 64,
  patchSize: 8,
  patchHidden: 32,
  featDim: 256,
  descriptorDim: 128,
  // EXPRESSION_FEATURE_DIM (tests/unit/policy-expression-inputs.test.ts checks they agree)
  expressionDim: 399,
  // the face and its mirror where both are stored (TRAINING.md §8)
  expressionDecodeViews: 2,
  dModel: 128,
  nHeads: 4,
  nLayers: 2,
  ffDim: 256,
  maxLen: 96,
  imageTokens: 2,
  decoder: 'window' as DecoderKind,
  window: 10,
  embDim: 32,
  hidden: 256,
};

/** Prefix = image tokens + one token of the auxiliary heads' probabilities + one condition token. */
export function prefixLength(c: PolicyConfig): number {
  return c.imageTokens + 2;
}

export function conditionWidth(c: PolicyConfig): number {
  return c.emotions.length + 1 + c.aus.length + 1;
}

export function patchCount(c: PolicyConfig): number {
  return (c.imageSize / c.patchSize) ** 2;
}

export function validateConfig(c: PolicyConfig): void {
  if (c.imageSize % c.patchSize !== 0) throw new Error(`imageSize ${c.imageSize} is not a multiple of patchSize ${c.patchSize}`);
  if (c.dModel % c.nHeads !== 0) throw new Error(`dModel ${c.dModel} is not a multiple of nHeads ${c.nHeads}`);
  if (c.emotions.length === 0) throw new Error('the policy needs at least one emotion');
  const F = c.expressionDim ?? 0;
  if (c.expressionPrior && (c.expressionPrior.length !== c.emotions.length || c.expressionPrior.some((i) => i >= F))) {
    throw new Error(`expressionPrior names ${c.expressionPrior.length} positions below ${F}, expected one per emotion (${c.emotions.length})`);
  }
  if (!Number.isInteger(F) || F < 0) throw new Error(`expressionDim ${F} is not a whole number ≥ 0`);
  const k = c.expressionDecodeViews ?? 1;
  if (!Number.isInteger(k) || k < 1) throw new Error(`expressionDecodeViews ${k} is not a whole number ≥ 1`);
  if (c.expressionNorm && (c.expressionNorm.mean.length !== F || c.expressionNorm.std.length !== F)) {
    throw new Error(`expressionNorm has ${c.expressionNorm.mean.length}/${c.expressionNorm.std.length} values, expected expressionDim ${F}`);
  }
}

/** PolicyConfig.expressionClip of new models: the training parts seen so far reach about 20 deviations at most, typically 5. */
export const EXPRESSION_CLIP = 8;
