/**
 * The datasheet an export writes from the counts it tallied while writing equals the one counted in the database
 * (db/repositories/datasheet.ts) for the same records: every format, with and without a split, and a snapshot;
 * revisions of several kinds, annotators and a synthesis round.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Workspace } from '../../db/open';
import { addRevision } from '../../db/repositories/revisions';
import { createSnapshot } from '../../db/repositories/snapshots';
import { upsertUser } from '../../db/repositories/users';
import { exportCsv } from '../../services/export/csv';
import { buildDatasheet } from '../../services/export/datasheet';
import { exportEngine } from '../../services/export/engines';
import { exportFacialR1 } from '../../services/export/export';
import { tempDir } from '../support/facial-r1';
import { datasetWorkspace } from '../support/dataset-workspace';


let ws: Workspace;
let snapshot: number;
beforeAll(async () => {
  ws = await datasetWorkspace();
  const ids = (ws.db.prepare('SELECT id FROM records ORDER BY id').all() as { id: string }[]).map((r) => r.id);
  const ann = upsertUser(ws.db, 'ann', 'annotator').user.id;
  const bot = upsertUser(ws.db, 'bot', 'annotator').user.id;
  // the snapshot freezes the imported labels; later revisions relabel some records
  snapshot = createSnapshot(ws.db, { name: 'before', parentId: null, split: null, part: null, modelId: null, roundId: null, reviewerId: null, pairs: currentPairs() });
  addRevision(ws.db, { recordId: ids[0], emotion: 'anger', aus: [{ au: 'AU4' }, { au: 'AU7' }], reasoning: 'brows down (AU4)', authorId: ann, kind: 'human' });
  addRevision(ws.db, { recordId: ids[1], emotion: 'happiness', aus: [{ au: 'AU12' }], reasoning: '', authorId: bot, kind: 'synthesis', provenance: { roundId: 2 } });
  addRevision(ws.db, { recordId: ids[2], emotion: 'happiness', aus: [{ au: 'AU6' }, { au: 'AU12' }], reasoning: '', authorId: bot, kind: 'synthesis', provenance: { roundId: 3 } });
  addRevision(ws.db, { recordId: ids[3], emotion: null, aus: [{ au: 'AU1' }], reasoning: '', authorId: ann, kind: 'human' });
});
afterAll(() => ws.close());

function currentPairs(): { recordId: string; revisionId: number }[] {
  return ws.db.prepare('SELECT id AS recordId, current_revision_id AS revisionId FROM records WHERE current_revision_id IS NOT NULL ORDER BY id').all() as { recordId: string; revisionId: number }[];
}

/** datasheet.json without what differs by design (the format name, the time). */
function written(out: string): Record<string, unknown> {
  const { createdAt: _c, format: _f, ...rest } = JSON.parse(fs.readFileSync(path.join(out, 'datasheet.json'), 'utf8')) as Record<string, unknown>;
  return rest;
}

function counted(o: { split?: string; snapshot?: number }): Record<string, unknown> {
  const { createdAt: _c, format: _f, ...rest } = buildDatasheet(ws, { format: 'x', ...o });
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}

const selections: [string, { split?: string; snapshot?: number }][] = [
  ['every record', {}],
  ['a split', { split: 'rafdb' }],
];

test.each(selections)('engine exports, %s: the tallied datasheet is the counted one', async (_name, sel) => {
  for (const format of ['easyr1', 'verl'] as const) {
    const out = path.join(tempDir(), `${format}-${sel.split ?? 'all'}`);
    await exportEngine(ws, out, format, { ...sel, pageSize: 2 });
    expect(written(out)).toEqual(counted(sel));
  }
});

test('an engine export of a snapshot tallies its frozen labels', async () => {
  for (const sel of [{ snapshot }, { snapshot, split: 'rafdb' }]) {
    const out = path.join(tempDir(), `snap-${sel.split ?? 'all'}`);
    await exportEngine(ws, out, 'trl', { ...sel, pageSize: 3 });
    const d = written(out);
    expect(d).toEqual(counted(sel));
    expect(JSON.stringify(d)).not.toContain('synthesis');
  }
});

test.each(selections)('facial-r1 and csv exports, %s: the tallied datasheet is the counted one', async (_name, sel) => {
  const r1 = path.join(tempDir(), `r1-${sel.split ?? 'all'}`);
  exportFacialR1(ws, r1, sel);
  expect(written(r1)).toEqual(counted(sel));
  const csv = path.join(tempDir(), `csv-${sel.split ?? 'all'}`);
  await exportCsv(ws, csv, sel);
  expect(written(csv)).toEqual(counted({ split: 'rafdb', ...sel })); // csv: the newest split when none is named
  if (sel.split === undefined) {
    const d = written(r1) as { provenance: { source: string }[]; annotators: { name: string }[] };
    expect(d.provenance.map((p) => p.source).sort()).toEqual(['human', 'import', 'synthesis round 2', 'synthesis round 3']);
    expect(d.annotators.map((a) => a.name).sort()).toEqual(['ann', 'bot', 'system']);
  }
});
