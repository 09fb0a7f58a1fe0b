/** Runs the built `fea` command (bin/fea.js → dist/) as a user would, and reads its `--json` last line. */
import { execFile, spawnSync } from 'node:child_process';
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

function lastJson(stdout: string): unknown {
  const lines = stdout.trim().split('\n');
  try {
    return JSON.parse(lines[lines.length - 1]);
  } catch {
    return null; // not JSON
  }
}

export function fea(args: string[], options: { timeoutMs?: number } = {}): FeaRun {
  const r = spawnSync(process.execPath, [FEA_BIN, ...args], { encoding: 'utf8', timeout: options.timeoutMs ?? 60_000 });
  const stdout = r.stdout ?? '';
  return { code: r.status ?? -1, stdout, stderr: r.stderr ?? '', json: lastJson(stdout) };
}

/**
 * `fea()` without blocking this process: use it while an in-process server (the e2e fixture's) must keep answering.
 * (spawnSync stops its event loop, so its keep-alive sockets time out under a client that is about to reuse them.)
 */
export function feaAsync(args: string[], options: { timeoutMs?: number } = {}): Promise<FeaRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [FEA_BIN, ...args], { encoding: 'utf8', timeout: options.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout: stdout ?? '', stderr: stderr ?? '', json: lastJson(stdout ?? '') });
    });
  });
}
