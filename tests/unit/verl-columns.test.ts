/** The verl column batch fills parquetjs' row buffer exactly as the library's own shredder does, and the files read back. */
import * as path from 'node:path';
import * as pq from '@dsnp/parquetjs';
import { openWorkspace } from '../../db/open';
import { exportEngine, verlSchema } from '../../services/export/engines';
import { importDataset } from '../../services/import/import';
import { tempDir } from '../support/facial-r1';
import { verlRow, type EngineRecord } from '../../pipelines/formats/engine-records';
import { VerlColumnBatch } from '../../services/export/verl-columns';

const schema = verlSchema(pq);

const record = (i: number, aus: string[]): EngineRecord => ({
  id: `rec-${i}`,
  source: i % 2 ? 'FER' : null,
  prompt: 'What is the emotion? Ünïcode ✓',
  emotion: ['anger', 'happiness'][i % 2],
  aus,
  reasoning: '',
  image: `images/ab/${i}.png`,
  part: i % 3 ? 'train' : 'test',
  index: i,
});

test('a batch of rows (no AUs, one, several; shared and unique strings) shreds value for value as shredRecord does', () => {
  const rows = [record(0, []), record(1, ['AU12']), record(2, ['AU6', 'AU12', 'AU25']), record(3, []), record(4, ['AU1', 'AU2'])].map(verlRow);
  const expected: Record<string, unknown> = {};
  for (const r of rows) pq.ParquetShredder.shredRecord(schema, r as unknown as Record<string, unknown>, expected);
  const batch = new VerlColumnBatch();
  for (const r of rows) batch.add(r);
  expect(batch.rows).toBe(rows.length);
  const got = batch.take();
  expect(got).toEqual(expected);
  expect(batch.rows).toBe(0);
  // distinct values as the statistics read them, and shared strings as one Buffer
  expect([...got.columnData['extra_info,aus'].distinct_values]).toEqual(['AU12', 'AU6', 'AU25', 'AU1', 'AU2']);
  const content = got.columnData['prompt,content'].values;
  expect(content[0]).toBe(content[4]);
});

test('verl files written a row group at a time read back, row for row, with the library reader (groups of 3, a partial last one)', async () => {
  const ws = openWorkspace(path.join(tempDir(), 'ws'), { create: true });
  await importDataset(ws, path.join(__dirname, '..', '..', 'fixtures', 'datasets', 'rafdb', 'basic'), { format: 'rafdb' });
  const written: Record<string, unknown[]> = {};
  for (const rowGroupSize of [3, 10_000]) {
    const out = path.join(tempDir(), `verl-${rowGroupSize}`);
    await exportEngine(ws, out, 'verl', { split: 'rafdb', rowGroupSize });
    const reader = await pq.ParquetReader.openFile(path.join(out, 'rafdb_train.parquet'));
    const cursor = reader.getCursor();
    const rows: unknown[] = [];
    for (let r = await cursor.next(); r; r = await cursor.next()) rows.push(r);
    expect(Number(reader.getRowCount())).toBe(4);
    await reader.close();
    written[rowGroupSize] = rows;
  }
  ws.close();
  expect(written[3]).toEqual(written[10_000]);
  expect(written[3]).toHaveLength(4);
  const first = written[3][0] as { prompt: { role: string; content: string }[]; images: { image: string }[]; reward_model: { ground_truth: string }; extra_info: { index: unknown; split: string } };
  expect(first.prompt[0].role).toBe('user');
  expect(first.prompt[0].content.startsWith('<image>')).toBe(true);
  expect(first.images[0].image).toMatch(/^images\//);
  expect(first.extra_info.split).toBe('train');
  expect((written[3] as { extra_info: { index: unknown } }[]).map((r) => Number(r.extra_info.index))).toEqual([0, 1, 2, 3]);
});
