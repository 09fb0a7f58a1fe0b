/**
 * The FEA Studio version (recorded in audit entries, reference §4.3 audit_log.app_version). Read at run time
 * from the package.json above this file, so that the build never copies package.json into dist/
 * (pipelines/runtime/worker-path.ts finds the repository root by that file).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

function readVersion(): string {
  let dir = __dirname;
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      try {
        const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'fea-studio' && pkg.version) return pkg.version;
      } catch {
        /* keep looking */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) return '0.0.0';
    dir = up;
  }
}

export const APP_VERSION: string = readVersion();
