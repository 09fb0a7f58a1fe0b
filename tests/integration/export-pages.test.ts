/** The Facial-R1 export's keyset pages give every row once, in order, whatever the page size (with and without a split). */
import type { Workspace } from '../../db/open';
import { facialR1ExportRows, facialR1PlanRows, facialR1SplitExportRows, getSplit } from '../../db/repositories';
import { datasetWorkspace } from '../support/dataset-workspace';


let ws: Workspace;
beforeAll(async () => {
  ws = await datasetWorkspace();
});
afterAll(() => ws.close());

test('every record by id, and a split by part then id, for page sizes 1, 2, 3 and 1000', () => {
  const splitId = getSplit(ws.db, 'rafdb')!.id;
  const all = [...facialR1ExportRows(ws.db, 1000)];
  const split = [...facialR1SplitExportRows(ws.db, splitId, 1000)];
  expect(all.map((r) => r.id)).toEqual((ws.db.prepare('SELECT id FROM records WHERE current_revision_id IS NOT NULL ORDER BY id').all() as { id: string }[]).map((r) => r.id));
  expect(all.length).toBeGreaterThan(0);
  expect(split.map((r) => `${r.part}/${r.id}`)).toEqual([...split.map((r) => `${r.part}/${r.id}`)].sort());
  expect(new Set(split.map((r) => r.part))).toEqual(new Set(['train', 'test']));
  for (const size of [1, 2, 3]) {
    expect([...facialR1ExportRows(ws.db, size)]).toEqual(all);
    expect([...facialR1SplitExportRows(ws.db, splitId, size)]).toEqual(split);
  }
  // the first pass's rows: every record (the unannotated ones counted), in the same order, with the columns it reads
  const plan = (rows: { id: string; emotion: string | null; aus: string; meta: string; current_revision_id: number | null; rel_path: string; part: string | null }[]) =>
    rows.map((r) => ({ id: r.id, emotion: r.emotion, aus: r.aus, meta: r.meta, current_revision_id: r.current_revision_id, rel_path: r.rel_path, part: r.part }));
  for (const size of [2, 1000]) {
    expect(plan([...facialR1PlanRows(ws.db, null, size)].filter((r) => r.current_revision_id !== null))).toEqual(plan(all));
    expect(plan([...facialR1PlanRows(ws.db, splitId, size)].filter((r) => r.current_revision_id !== null))).toEqual(plan(split));
  }
});
