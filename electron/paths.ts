/** Where the built renderer and the package root are, whether running from dist/ or from TypeScript sources (jest). */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function packageRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
}

/** dist/renderer, produced by `npm run build:renderer`. */
export function rendererDir(): string {
  return path.join(packageRoot(), 'dist', 'renderer');
}
