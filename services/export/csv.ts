/** `fea export --format csv` under the one overwrite rule of every export (./output-guard). */
import * as path from 'node:path';
import type { Workspace } from '../../db/open';
import { exportCsv } from '../analysis/csv-export';
import { CSV_FILE, prepareOutput, type OutputOptions } from './output-guard';

export async function exportCsvTable(ws: Workspace, outDir: string, options: OutputOptions = {}): Promise<{ rows: number; file: string }> {
  const out = path.resolve(outDir);
  prepareOutput(out, [path.join(out, CSV_FILE)], options);
  return exportCsv(ws, out);
}
