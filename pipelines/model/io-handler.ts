/**
 * A file IOHandler for plain @tensorflow/tfjs, which has no `file://` handler without tfjs-node:
 * `<dir>/<base>.json` holds the topology/config and the weights manifest; the weights go to `weights.bin` for the
 * model (base 'model') and `<base>.weights.bin` otherwise (the optimizer's slots).
 * Files are written to a temporary name and renamed, so a crash never leaves a half-written model.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tf } from '../runtime/backend';

export class FileIOHandler implements tf.io.IOHandler {
  constructor(
    readonly dir: string,
    readonly base = 'model',
  ) {}

  get jsonPath(): string {
    return path.join(this.dir, `${this.base}.json`);
  }

  get weightsFile(): string {
    return this.base === 'model' ? 'weights.bin' : `${this.base}.weights.bin`;
  }

  get weightsPath(): string {
    return path.join(this.dir, this.weightsFile);
  }

  async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
    fs.mkdirSync(this.dir, { recursive: true });
    const data = artifacts.weightData;
    const buffers = data === undefined ? [] : Array.isArray(data) ? data : [data];
    const weights = Buffer.concat(buffers.map((b) => Buffer.from(b)));
    const json = {
      modelTopology: artifacts.modelTopology ?? null,
      format: artifacts.format ?? 'fea-policy',
      generatedBy: artifacts.generatedBy ?? 'fea-studio',
      convertedBy: artifacts.convertedBy ?? null,
      trainingConfig: artifacts.trainingConfig ?? null,
      userDefinedMetadata: artifacts.userDefinedMetadata ?? {},
      weightsManifest: [{ paths: [this.weightsFile], weights: artifacts.weightSpecs ?? [] }],
    };
    writeAtomic(this.weightsPath, weights);
    writeAtomic(this.jsonPath, Buffer.from(JSON.stringify(json)));
    return {
      modelArtifactsInfo: {
        dateSaved: new Date(),
        modelTopologyType: 'JSON',
        modelTopologyBytes: JSON.stringify(json.modelTopology).length,
        weightSpecsBytes: JSON.stringify(json.weightsManifest).length,
        weightDataBytes: weights.byteLength,
      },
    };
  }

  async load(): Promise<tf.io.ModelArtifacts> {
    if (!fs.existsSync(this.jsonPath)) throw new Error(`${this.jsonPath} is missing`);
    const json = JSON.parse(fs.readFileSync(this.jsonPath, 'utf8'));
    const manifest = json.weightsManifest as { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
    const specs = manifest.flatMap((g) => g.weights);
    const buffers = manifest.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(this.dir, p))));
    const all = Buffer.concat(buffers);
    const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
    const expected = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * 4, 0);
    if (expected !== weightData.byteLength) {
      throw new Error(`${this.weightsPath}: ${weightData.byteLength} bytes, the manifest describes ${expected}`);
    }
    return {
      modelTopology: json.modelTopology,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy ?? undefined,
      trainingConfig: json.trainingConfig ?? undefined,
      userDefinedMetadata: json.userDefinedMetadata,
      weightSpecs: specs,
      weightData,
    };
  }
}

export function writeAtomic(file: string, data: Buffer | string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** Saves named tensors (float32) through an IOHandler, with a JSON topology. */
export async function saveTensors(
  handler: tf.io.IOHandler,
  tensors: { name: string; tensor: tf.Tensor }[],
  topology: object,
): Promise<void> {
  const { data, specs } = await tf.io.encodeWeights(tensors);
  await handler.save!({ modelTopology: topology, weightSpecs: specs, weightData: data, format: 'fea-policy', generatedBy: 'fea-studio' });
}

/** Loads named tensors back; the caller owns (and disposes) them. */
export async function loadTensors(handler: tf.io.IOHandler): Promise<{ tensors: tf.NamedTensorMap; topology: unknown; order: string[] }> {
  const artifacts = await handler.load!();
  const tensors = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
  return { tensors, topology: artifacts.modelTopology, order: artifacts.weightSpecs!.map((s) => s.name) };
}
