/**
 * Picks the best TensorFlow.js backend that loads here: node-gpu > node > wasm > cpu.
 * tfjs-node(-gpu) are optional dependencies whose install downloads libtensorflow, so they are often absent.
 */
import * as tf from '@tensorflow/tfjs';

export type BackendName = 'node-gpu' | 'node' | 'wasm' | 'cpu';

let chosen: Promise<BackendName> | null = null;

function tryRequire(name: string): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an optional dependency probed at run time: often not installed, so it cannot be a static import
    require(name);
    return true;
  } catch {
    return false;
  }
}

async function pick(preferred?: BackendName): Promise<BackendName> {
  const order: BackendName[] = preferred ? [preferred] : ['node-gpu', 'node', 'wasm', 'cpu'];
  for (const name of order) {
    if (name === 'node-gpu' && tryRequire('@tensorflow/tfjs-node-gpu') && (await tf.setBackend('tensorflow'))) return 'node-gpu';
    if (name === 'node' && tryRequire('@tensorflow/tfjs-node') && (await tf.setBackend('tensorflow'))) return 'node';
    if (name === 'wasm') {
      // Registers the backend as a side effect; the .wasm files ship in the npm package.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when wasm is the pick, after the tfjs instance it registers with
      require('@tensorflow/tfjs-backend-wasm');
      if (await tf.setBackend('wasm').catch(() => false)) return 'wasm';
    }
    if (name === 'cpu' && (await tf.setBackend('cpu'))) return 'cpu';
  }
  if (preferred) throw new Error(`TensorFlow.js backend "${preferred}" could not be loaded`);
  throw new Error('No TensorFlow.js backend could be loaded');
}

/**
 * Initialises TensorFlow.js once per thread and reports which backend is in use.
 * FEA_BACKEND=cpu|wasm|node|node-gpu forces one (tests use it to compare backends).
 */
export function initBackend(preferred = process.env.FEA_BACKEND as BackendName | undefined): Promise<BackendName> {
  if (!chosen) {
    chosen = pick(preferred || undefined).then(async (name) => {
      await tf.ready();
      return name;
    });
  }
  return chosen;
}

export { tf };
