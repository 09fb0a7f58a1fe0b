/** Where the built renderer and the package root are, whether running from dist/ or from TypeScript sources (jest). */
import * as path from 'node:path';
import { packageRoot } from '../pipelines/runtime/package-root';

export { packageRoot };

/** dist/renderer, produced by `npm run build:renderer`. */
export function rendererDir(): string {
  return path.join(packageRoot(), 'dist', 'renderer');
}
