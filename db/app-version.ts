/** The FEA Studio version (recorded in audit entries, reference §4.3 audit_log.app_version), read at run time from package.json. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../pipelines/runtime/package-root';

function readVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(packageRoot(__dirname), 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const APP_VERSION: string = readVersion();
