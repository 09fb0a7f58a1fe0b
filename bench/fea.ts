/** Runs the built `fea` command for a bench script: the JSON of its last stdout line and how long it took. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { packageRoot } from '../pipelines/runtime/package-root';

const BIN = path.join(packageRoot(), 'bin', 'fea.js');

/** `fea … --json`; progress goes to stderr (inherited). Throws when the command fails. */
export function fea<T = unknown>(args: string[]): { json: T; seconds: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`fea ${args.join(' ')} exited with ${r.status}`);
  const lines = r.stdout.trim().split('\n');
  return { json: JSON.parse(lines[lines.length - 1]) as T, seconds };
}
