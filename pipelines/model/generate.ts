/** Batched decoding of face samples into Facial-R1 texts, and evaluation with the Facial-R1 metrics. */
import { tf } from '../runtime/backend';
import { type EvalReport, evaluateOutputs } from '../eval';
import type { WordTokenizer } from '../tokenizer';
import { type FaceSample, disposeInputs, makeInputs } from './inputs';
import type { Policy } from './policy';
import type { Rng } from './rng';

export interface GeneratedOutput {
  sample: FaceSample;
  text: string;
  ids: number[];
  emotionProbs: Float32Array;
  auProbs: Float32Array;
}

export interface GenerateOptions {
  batchSize?: number;
  /** 0 = greedy. */
  temperature?: number;
  rng?: Rng;
  /** Feed the samples' labels as the condition (synthesis). */
  conditioned?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export function generateOutputs(policy: Policy, tokenizer: WordTokenizer, samples: FaceSample[], options: GenerateOptions = {}): GeneratedOutput[] {
  const B = options.batchSize ?? 64;
  const out: GeneratedOutput[] = [];
  for (let i = 0; i < samples.length; i += B) {
    const batch = samples.slice(i, i + B);
    const inputs = makeInputs(policy.config, batch, { conditioned: options.conditioned });
    try {
      const g = policy.generate(inputs, {
        bosId: tokenizer.bosId,
        eosId: tokenizer.eosId,
        temperature: options.temperature ?? 0,
        rng: options.rng,
      });
      batch.forEach((s, k) =>
        out.push({ sample: s, ids: g.ids[k], text: tokenizer.decode(g.ids[k]), emotionProbs: g.emotionProbs[k], auProbs: g.auProbs[k] }),
      );
    } finally {
      disposeInputs(inputs);
    }
    options.onProgress?.(Math.min(i + B, samples.length), samples.length);
  }
  return out;
}

/** Greedy decoding + the Facial-R1 metrics over labelled samples. */
export function evaluatePolicy(policy: Policy, tokenizer: WordTokenizer, samples: FaceSample[], options: GenerateOptions = {}): { report: EvalReport; outputs: GeneratedOutput[] } {
  const outputs = generateOutputs(policy, tokenizer, samples, { ...options, temperature: 0 });
  const report = evaluateOutputs(
    outputs.map((o) => ({ output: o.text, gt: { emotion: o.sample.emotion, aus: o.sample.aus, description: o.sample.reasoning } })),
    policy.config.emotions,
  );
  return { report, outputs };
}

export { tf };
