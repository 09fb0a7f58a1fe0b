/** Runs the built `fea` command (bin/fea.js → dist/) as a user would, and reads its `--json` last line. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { packageRoot } from '../../pipelines/runtime/package-root';

// packageRoot: these helpers also run compiled, from dist/ (bench/synth)
export const REPO_ROOT = packageRoot(__dirname);
export const FEA_BIN = path.join(REPO_ROOT, 'bin', 'fea.js');

export interface FeaRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The last stdout line parsed as JSON, or null when it is not JSON. */
  json: any;
}

export function fea(args: string[], options: { timeoutMs?: number } = {}): FeaRun {
  const r = spawnSync(process.execPath, [FEA_BIN, ...args], { encoding: 'utf8', timeout: options.timeoutMs ?? 60_000 });
  const stdout = r.stdout ?? '';
  const lines = stdout.trim().split('\n');
  let json: unknown = null;
  try {
    json = JSON.parse(lines[lines.length - 1]);
  } catch {
    /* not JSON */
  }
  return { code: r.status ?? -1, stdout, stderr: r.stderr ?? '', json };
}
