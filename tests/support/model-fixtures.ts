/** Tiny synthetic faces and a tiny policy shape for the model/SFT/RL unit tests. */
import { composeReasoning, DEFAULT_EMOTIONS, EMOTION_PROTOTYPES } from '../../pipelines/facs';
import type { PolicyConfig } from '../../pipelines/model/config';
import { disposeInputs, makeInputs, type FaceSample } from '../../pipelines/model/inputs';
import { Policy, tokenLogProbs } from '../../pipelines/model/policy';
import { Rng } from '../../pipelines/model/rng';
import { teacherBatch } from '../../pipelines/model/sequences';
import { tf } from '../../pipelines/runtime/backend';
import type { SftConfig } from '../../pipelines/sft/config';
import { DEFAULT_SFT_CONFIG } from '../../pipelines/sft/config';

export const TINY_MODEL = {
  imageSize: 16,
  patchSize: 8,
  patchHidden: 4,
  featDim: 16,
  descriptorDim: 8,
  expressionDim: 6,
  hidden: 32,
  embDim: 8,
  window: 4,
  maxLen: 24,
  dModel: 16,
  nHeads: 2,
  nLayers: 1,
  ffDim: 32,
  imageTokens: 1,
};

export const EMOTIONS = [...DEFAULT_EMOTIONS].slice(0, 4);

/** n faces whose pixels depend on the emotion (a bright stripe per class), 2 per subject. */
export function syntheticSamples(n: number, seed = 1, size = 16): FaceSample[] {
  const rng = new Rng(seed);
  // its own stream, so the pixels and descriptors are what they were before expression features existed
  const exprRng = new Rng(seed + 7777);
  const features = (k: number) => Float32Array.from({ length: TINY_MODEL.expressionDim }, (_, j) => (j === k ? 2 : 0) + 0.3 * exprRng.normal());
  return Array.from({ length: n }, (_, i) => {
    const emotion = EMOTIONS[i % EMOTIONS.length];
    const aus = [...(EMOTION_PROTOTYPES[emotion] ?? [])].slice(0, 2);
    const pixels = new Float32Array(size * size);
    for (let k = 0; k < pixels.length; k++) pixels[k] = 0.3 + 0.1 * rng.next();
    const row = 2 + 3 * EMOTIONS.indexOf(emotion);
    for (let x = 0; x < size; x++) pixels[row * size + x] = 0.95;
    return {
      recordId: `r${String(i).padStart(4, '0')}`,
      imageKey: `img/${i}.png`,
      subject: `s${Math.floor(i / 2)}`,
      pixels,
      descriptor: i % 3 === 0 ? Float32Array.from({ length: 8 }, () => rng.normal()) : null,
      // 3 of 4 analysed: the face and its mirror, whose features are those of the same emotion
      expressionViews:
        i % 4 === 3
          ? null
          : [
              { features: features(EMOTIONS.indexOf(emotion)), flipped: false },
              { features: features(EMOTIONS.indexOf(emotion)), flipped: true },
            ],
      emotion,
      aus,
      reasoning: composeReasoning(emotion, aus),
    };
  });
}

export function tinySftConfig(over: Partial<SftConfig> = {}): SftConfig {
  return {
    ...DEFAULT_SFT_CONFIG,
    batchSize: 8,
    auxExtra: 4,
    epochs: 2,
    lr: 3e-3,
    warmupSteps: 2,
    valFraction: 0.2,
    evalEvery: 3,
    patience: 0,
    model: { ...TINY_MODEL },
    ...over,
  };
}

/**
 * Every variable's gradient (its values, or undefined when it got none), by the policy's variable name, under the
 * teacher-forced text loss plus the emotion and AU heads' squared logits, on conditioned inputs of `samples`.
 */
export function lossGradients(policy: Policy, config: PolicyConfig, samples: FaceSample[]): Map<string, Float32Array | undefined> {
  const inputs = makeInputs(config, samples, { conditioned: true });
  const tb = teacherBatch(samples.map((_, i) => [4 + i, 5, 6, 2]), 1, 0);
  const target = tf.tensor2d(tb.target, [samples.length, tb.T], 'int32');
  const { value, grads } = tf.variableGrads(() => {
    const out = policy.forward(inputs, tb.input, tb.T);
    const lm = tf.neg(tf.mean(tokenLogProbs(out.logits, target)));
    return tf.add(lm, tf.add(tf.mean(tf.square(out.emoLogits)), tf.mean(tf.square(out.auLogits)))) as tf.Scalar;
  }, policy.variableList());
  const out = new Map([...policy.vars].map(([name, v]) => [name, grads[v.name]?.dataSync() as Float32Array | undefined]));
  tf.dispose([value, target, ...Object.values(grads)]);
  disposeInputs(inputs);
  return out;
}
