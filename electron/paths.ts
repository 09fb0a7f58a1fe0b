/** Where the built renderer and the package root are, whether running from dist/ or from TypeScript sources (jest). */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The nearest folder with a package.json, skipping dist/ (tsc copies package.json there when code imports it). */
export function packageRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (path.basename(dir) !== 'dist' && fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
}

/** dist/renderer, produced by `npm run build:renderer`. */
export function rendererDir(): string {
  return path.join(packageRoot(), 'dist', 'renderer');
}
