/**
 * Resolves a worker script to its compiled JavaScript. Under jest the code runs from .ts sources,
 * but worker_threads need plain JavaScript, so workers always start from `dist/`.
 */
import * as path from 'node:path';
import * as fs from 'node:fs';

export const REPO_ROOT = findRoot(__dirname);

/** The nearest folder with a package.json, skipping dist/ (a build may leave a copy of package.json there). */
function findRoot(start: string): string {
  let dir = start;
  while (path.basename(dir) === 'dist' || !fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`package.json not found above ${start}`);
    dir = up;
  }
  return dir;
}

/** `workerPath('pipelines/vision/analyze-worker')` → `<root>/dist/pipelines/vision/analyze-worker.js`. */
export function workerPath(repoRelativeModule: string): string {
  const file = path.join(REPO_ROOT, 'dist', `${repoRelativeModule.replace(/\.(ts|js)$/, '')}.js`);
  if (!fs.existsSync(file)) throw new Error(`Worker script ${file} is missing: run "npm run build:node" first`);
  return file;
}
