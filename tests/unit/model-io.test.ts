/** The file IOHandler round-trips the policy bit-exactly; checkpoints carry the Adam slots. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend, tf } from '../../pipelines/runtime/backend';
import { FileIOHandler, loadTensors, saveTensors } from '../../pipelines/model/io-handler';
import { loadOptimizer, loadPolicy, saveOptimizer, savePolicy } from '../../pipelines/model/persist';
import { SftTrainer } from '../../pipelines/sft/train-sft';
import { EMOTIONS, syntheticSamples, tinySftConfig } from '../support/model-fixtures';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'fea-model-io-'));

beforeAll(async () => {
  await initBackend('wasm');
});

test('IOHandler writes model.json + weights.bin and reads back identical bytes, ArrayBuffer[] weightData included', async () => {
  const dir = tmp();
  const a = tf.tensor2d([[1.5, -2.25e-7], [Math.PI, 3e38]]);
  const b = tf.tensor1d([0, -0, 1 / 3]);
  const h = new FileIOHandler(dir, 'model');
  const { data, specs } = await tf.io.encodeWeights([{ name: 'a', tensor: a }, { name: 'b', tensor: b }]);
  // split the buffer in two to exercise the ArrayBuffer[] branch
  const bytes = new Uint8Array(data as ArrayBuffer);
  await h.save({ modelTopology: { x: 1 }, weightSpecs: specs, weightData: [bytes.slice(0, 5).buffer, bytes.slice(5).buffer] });
  expect(fs.existsSync(path.join(dir, 'model.json'))).toBe(true);
  expect(fs.readFileSync(path.join(dir, 'weights.bin')).equals(Buffer.from(bytes))).toBe(true);
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
  const { tensors } = await loadTensors(h);
  expect(Buffer.from(tensors.a.dataSync().buffer).equals(Buffer.from(a.dataSync().buffer))).toBe(true);
  expect(Array.from(tensors.b.dataSync())).toEqual(Array.from(b.dataSync()));
  tf.dispose([a, b, ...Object.values(tensors)]);
  await saveTensors(new FileIOHandler(dir, 'other'), [], {});
  expect((await loadTensors(new FileIOHandler(dir, 'other'))).order).toEqual([]);
});

test('a trained policy, its tokenizer and Adam state survive save → load bit for bit', async () => {
  const tr = SftTrainer.create(syntheticSamples(24), EMOTIONS, tinySftConfig({ steps: 2 }));
  tr.trainStep();
  tr.trainStep();
  const dir = tmp();
  await savePolicy(dir, tr.policy, tr.tokenizer);
  await saveOptimizer(dir, tr.optimizer);
  const { policy, tokenizer } = await loadPolicy(dir);
  expect(tokenizer.toJSON()).toEqual(tr.tokenizer.toJSON());
  expect(policy.config).toEqual(tr.policy.config);
  for (const [name, v] of tr.policy.vars) {
    expect(Buffer.from(policy.v(name).dataSync().buffer).equals(Buffer.from(v.dataSync().buffer))).toBe(true);
  }
  const opt = tf.train.adam(1e-3);
  await loadOptimizer(dir, opt);
  const [before, after] = [await tr.optimizer.getWeights(), await opt.getWeights()];
  expect(after.length).toBe(before.length);
  expect(after[0].tensor.dataSync()[0]).toBe(2);
  for (let i = 1; i < before.length; i++) {
    expect(Buffer.from(after[i].tensor.dataSync().buffer).equals(Buffer.from(before[i].tensor.dataSync().buffer))).toBe(true);
  }
  tf.dispose([before[0].tensor, after[0].tensor]);
  policy.dispose();
  opt.dispose();
  tr.dispose();
});

test('loading a folder that is not a policy names the file', async () => {
  const dir = tmp();
  await saveTensors(new FileIOHandler(dir, 'model'), [], { kind: 'something-else' });
  await expect(loadPolicy(dir)).rejects.toThrow(/model\.json is not a FEA Studio reasoning policy/);
});
