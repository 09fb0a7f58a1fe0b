/** A workspace holding the RAF-DB and AU-CSV fixtures (fixtures/datasets), with RAF-DB's train/test split: the export tests' data. */
import * as path from 'node:path';
import { openWorkspace, type Workspace } from '../../db/open';
import { importDataset } from '../../services/import/import';
import { tempDir } from './facial-r1';

export const DATASET_FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'datasets');

export async function datasetWorkspace(): Promise<Workspace> {
  const ws = openWorkspace(path.join(tempDir(), 'ws'), { create: true });
  await importDataset(ws, path.join(DATASET_FIXTURES, 'rafdb', 'basic'), { format: 'rafdb' });
  await importDataset(ws, path.join(DATASET_FIXTURES, 'au-csv', 'aus.csv'), { format: 'au-csv' });
  return ws;
}
