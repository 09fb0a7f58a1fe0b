/** Finds FEA Studio's package root from compiled (dist/) or source (jest) code alike. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The nearest folder with a package.json, skipping dist/ (a build may leave a copy of package.json there). */
export function packageRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (path.basename(dir) !== 'dist' && fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
}

/** dist/renderer, produced by `npm run build:renderer`; served by Electron's app protocol and by server mode. */
export function rendererDir(): string {
  return path.join(packageRoot(), 'dist', 'renderer');
}
