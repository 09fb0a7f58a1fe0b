/**
 * Saving and loading the policy (weights + tokenizer + config) and training checkpoints
 * (+ Adam slots, step, RNG state and data-order position) through FileIOHandler.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tf } from '../runtime/backend';
import { WordTokenizer, type TokenizerJSON } from '../tokenizer';
import type { PolicyConfig } from './config';
import { FileIOHandler, loadTensors, saveTensors, writeAtomic } from './io-handler';
import { Policy } from './policy';

export const TOKENIZER_FILE = 'tokenizer.json';

export async function savePolicy(dir: string, policy: Policy, tokenizer: WordTokenizer, meta: Record<string, unknown> = {}): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  writeAtomic(path.join(dir, TOKENIZER_FILE), JSON.stringify(tokenizer.toJSON()));
  const tensors = [...policy.vars].map(([name, tensor]) => ({ name, tensor }));
  await saveTensors(new FileIOHandler(dir, 'model'), tensors, { kind: 'fea-reasoning-policy', config: policy.config, meta });
}

export interface LoadedPolicy {
  policy: Policy;
  tokenizer: WordTokenizer;
  meta: Record<string, unknown>;
}

export async function loadPolicy(dir: string, trainable = true): Promise<LoadedPolicy> {
  const { tensors, topology } = await loadTensors(new FileIOHandler(dir, 'model'));
  const topo = topology as { kind?: string; config?: PolicyConfig; meta?: Record<string, unknown> };
  if (topo?.kind !== 'fea-reasoning-policy' || !topo.config) {
    tf.dispose(Object.values(tensors));
    throw new Error(`${path.join(dir, 'model.json')} is not a FEA Studio reasoning policy`);
  }
  const tokenizer = WordTokenizer.fromJSON(JSON.parse(fs.readFileSync(path.join(dir, TOKENIZER_FILE), 'utf8')) as TokenizerJSON);
  const policy = new Policy(topo.config, 0, trainable);
  try {
    for (const [name, v] of policy.vars) {
      const t = tensors[name];
      if (!t && name === 'enc/expr/w') throw new Error(`${dir}: weights lack ${name}: saved before expression features, its config cannot say it reads them`);
      if (!t) throw new Error(`${dir}: weights lack ${name}`);
      if (t.shape.join('x') !== v.shape.join('x')) throw new Error(`${dir}: ${name} has shape ${t.shape}, expected ${v.shape}`);
      v.assign(t);
    }
  } catch (err) {
    policy.dispose();
    throw err;
  } finally {
    tf.dispose(Object.values(tensors));
  }
  return { policy, tokenizer, meta: topo.meta ?? {} };
}

/** Adam's slots (getWeights order: iterations, first moments, second moments) as plain named tensors. */
export async function saveOptimizer(dir: string, optimizer: tf.Optimizer): Promise<void> {
  const weights = await optimizer.getWeights();
  await saveTensors(
    new FileIOHandler(dir, 'optimizer'),
    weights.map((w, i) => ({ name: `${i}:${w.name}`, tensor: w.tensor })),
    { kind: 'fea-optimizer', className: (optimizer.constructor as unknown as { className: string }).className, config: optimizer.getConfig() },
  );
  // getWeights() makes a fresh scalar for the iteration count
  weights[0]?.tensor.dispose();
}

export async function loadOptimizer(dir: string, optimizer: tf.Optimizer): Promise<void> {
  const { tensors, order } = await loadTensors(new FileIOHandler(dir, 'optimizer'));
  const list = order.map((key) => ({ name: key.slice(key.indexOf(':') + 1), tensor: tensors[key] }));
  await optimizer.setWeights(list);
  // setWeights reads the iteration count from the first entry and turns the others into its own variables
  list[0]?.tensor.dispose();
}

export interface CheckpointFiles<S> {
  state: S;
}

/** Writes a checkpoint into a fresh folder `dir` (the caller switches the run's pointer to it afterwards). */
export async function saveCheckpoint<S>(
  dir: string,
  policy: Policy,
  tokenizer: WordTokenizer,
  optimizer: tf.Optimizer,
  state: S,
  extra?: (tmp: string) => Promise<void>,
): Promise<void> {
  const tmp = `${dir}.partial`;
  fs.rmSync(tmp, { recursive: true, force: true });
  await savePolicy(tmp, policy, tokenizer);
  await saveOptimizer(tmp, optimizer);
  writeAtomic(path.join(tmp, 'state.json'), JSON.stringify(state));
  if (extra) await extra(tmp);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
}

export async function loadCheckpoint<S>(dir: string, optimizer: tf.Optimizer): Promise<LoadedPolicy & CheckpointFiles<S>> {
  const loaded = await loadPolicy(dir, true);
  await loadOptimizer(dir, optimizer);
  const state = JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8')) as S;
  return { ...loaded, state };
}
