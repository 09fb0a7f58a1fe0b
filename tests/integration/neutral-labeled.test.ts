/**
 * A neutral face has no AUs by definition: "neutral, no AUs" is a complete label (labeled), from import, the UI or
 * `fea label`, and migration 7 re-derives the records an older release stored as weak.
 */
import * as path from 'node:path';
import { openWorkspace } from '../../db/open';
import { deriveStatus, insertImage, insertRecord } from '../../db/repositories';
import { trainingRecords } from '../../db/repositories/training-data';
import { importDataset } from '../../services/import/import';
import { createSplit } from '../../services/splits/splits';
import { tempDir, validLine, writeJsonl } from '../support/facial-r1';
import { workspaceAtVersion } from '../support/workspace-at-version';

const NEUTRAL_REASONING = '<think>The brows, eyes and mouth are relaxed and no action unit is active.</think><answer>neutral</answer>';

test('the status rule: neutral without AUs is labeled; another emotion without AUs, or AUs without an emotion, is weak', () => {
  expect(deriveStatus('neutral', [])).toBe('labeled');
  expect(deriveStatus('happiness', [])).toBe('weak');
  expect(deriveStatus(null, [{ au: 'AU12' }])).toBe('weak');
  expect(deriveStatus('happiness', [{ au: 'AU12' }])).toBe('labeled');
  expect(deriveStatus(null, [])).toBe('unlabeled');
});

test('an imported neutral record with a reasoning and no AUs is labeled and reaches the training loader', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'data.jsonl');
  writeJsonl(file, [validLine(dir, 1, { labels: ['neutral'], AUs: [], description: NEUTRAL_REASONING }), validLine(dir, 2), validLine(dir, 3, { AUs: [] })]);
  const ws = openWorkspace(path.join(dir, 'ws'), { create: true });
  try {
    const report = await importDataset(ws, file);
    expect(report).toMatchObject({ imported: 3, labeled: 2, weak: 1 });
    createSplit(ws.db, { name: 's', ratios: { train: 1 }, stratify: null, group: null, seed: 1 });
    const train = trainingRecords(ws.db, { split: 's', part: 'train', descriptorDim: 128, labeledOnly: true });
    expect(train.map((r) => [r.id, r.emotion, r.aus])).toEqual([
      ['rec-00001', 'neutral', []],
      ['rec-00002', 'happiness', ['AU6', 'AU12']],
    ]);
    expect(train[0].reasoning).toBe(NEUTRAL_REASONING);
  } finally {
    ws.close();
  }
});

test('migration 7 re-derives the neutral records an older release stored as weak, and nothing else', () => {
  const dir = workspaceAtVersion(6, (db) => {
    const now = new Date().toISOString();
    const rows: [string, string | null, string][] = [['n', 'neutral', ''], ['h', 'happiness', ''], ['a', null, 'AU12'], ['na', 'neutral', 'AU4']];
    rows.forEach(([id, emotion, aus], i) => {
      const img = insertImage(db, { sha256: String(i + 1).padStart(64, '0'), ext: 'png', width: 8, height: 8, originalName: `${id}.png`, subject: null });
      insertRecord(db, { id, imageId: img.id, source: 'old' });
      db.prepare('UPDATE records SET status = ?, emotion = ?, aus = ?, updated_at = ? WHERE id = ?').run(aus && emotion ? 'labeled' : 'weak', emotion, aus, now, id);
    });
  });
  const ws = openWorkspace(dir);
  try {
    const status = Object.fromEntries((ws.db.prepare('SELECT id, status FROM records').all() as { id: string; status: string }[]).map((r) => [r.id, r.status]));
    expect(status).toEqual({ n: 'labeled', h: 'weak', a: 'weak', na: 'labeled' });
  } finally {
    ws.close();
  }
});
