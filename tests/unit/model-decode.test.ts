/** Incremental decoding (window features / KV cache) agrees with the teacher-forced pass it must reproduce. */
import { initBackend, tf } from '../../pipelines/runtime/backend';
import { DEFAULT_POLICY_SHAPE, type PolicyConfig } from '../../pipelines/model/config';
import { disposeInputs, makeInputs } from '../../pipelines/model/inputs';
import { Policy } from '../../pipelines/model/policy';
import { Rng } from '../../pipelines/model/rng';
import { teacherBatch } from '../../pipelines/model/sequences';
import { EMOTIONS, TINY_MODEL, syntheticSamples } from '../support/model-fixtures';

beforeAll(async () => {
  await initBackend('wasm');
});

describe.each(['window', 'transformer'] as const)('%s decoder', (decoder) => {
  // the window decoder with both logit biases from the image heads (emotion copy, head bias)
  const heads = decoder === 'window' ? { emotionTokenIds: [3, 4, 5, 6], headBias: true } : {};
  const config: PolicyConfig = { ...DEFAULT_POLICY_SHAPE, ...TINY_MODEL, decoder, emotions: EMOTIONS, aus: ['AU1', 'AU4'], vocabSize: 12, maxLen: 10, ...heads };

  test('greedy tokens are the argmax of the teacher-forced logits over the same prefix', () => {
    const policy = new Policy(config, 11);
    // the head biases start at zero; give them weight so that both passes must apply them alike
    for (const [name, v] of policy.vars) if (name.startsWith('win/head-bias/')) v.assign(tf.randomNormal(v.shape, 0, 2, 'float32', 4));
    const samples = syntheticSamples(5);
    const inputs = makeInputs(config, samples, {});
    const g = policy.generate(inputs, { bosId: 1, eosId: 2, temperature: 0 });
    const tb = teacherBatch(g.ids, 1, 0);
    const logits = tf.tidy(() => policy.forward(inputs, tb.input, tb.T).logits.arraySync() as number[][][]);
    g.ids.forEach((ids, b) => {
      expect(ids.length).toBeGreaterThan(0);
      ids.forEach((id, t) => {
        const row = logits[b][t];
        expect(row.indexOf(Math.max(...row))).toBe(id);
      });
    });
    disposeInputs(inputs);
    policy.dispose();
  });

  test('sampling is deterministic per seed and leaks no tensors', () => {
    const policy = new Policy(config, 5);
    const inputs = makeInputs(config, syntheticSamples(4), {});
    const before = tf.memory().numTensors;
    const a = policy.generate(inputs, { bosId: 1, eosId: 2, temperature: 1, rng: new Rng(9) });
    const b = policy.generate(inputs, { bosId: 1, eosId: 2, temperature: 1, rng: new Rng(9) });
    expect(tf.memory().numTensors).toBe(before);
    expect(a.ids).toEqual(b.ids);
    for (const p of a.emotionProbs) expect(p.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 5);
    disposeInputs(inputs);
    policy.dispose();
  });
});
