/**
 * Resolves a worker script to its compiled JavaScript. Under jest the code runs from .ts sources,
 * but worker_threads need plain JavaScript, so workers always start from `dist/`.
 */
import * as path from 'node:path';
import * as fs from 'node:fs';
import { packageRoot } from './package-root';

export const REPO_ROOT = packageRoot(__dirname);

/** Compiled code runs from the tree this file is in (dist/ or a packaged app); sources run under jest use dist/. */
const COMPILED_ROOT = __filename.endsWith('.js') ? path.resolve(__dirname, '..', '..') : path.join(REPO_ROOT, 'dist');

/** `workerPath('pipelines/vision/analyze-worker')` → `<root>/dist/pipelines/vision/analyze-worker.js`. */
export function workerPath(repoRelativeModule: string): string {
  const file = path.join(COMPILED_ROOT, `${repoRelativeModule.replace(/\.(ts|js)$/, '')}.js`);
  if (!fs.existsSync(file)) throw new Error(`Worker script ${file} is missing: run "npm run build:node" first`);
  return file;
}
