import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openWorkspace } from '../../db/open';
import { exportFacialR1 } from '../../services/export/export';
import { importDataset } from '../../services/import/import';
import { createSplit } from '../../services/splits/splits';
import { submitAnnotation } from '../../services/annotations/annotations';
import { upsertUser } from '../../db/repositories';
import { tempDir, validLine, writeJsonl } from '../support/facial-r1';

const sha = (p: string) => createHash('sha256').update(fs.readFileSync(p)).digest('hex');

function readJsonl(file: string): Record<string, any>[] {
  return fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

describe('Facial-R1 export', () => {
  test('import → export keeps id, image bytes, label, AU set and description; meta_info carries provenance and subject', async () => {
    const src = tempDir();
    const emotions = ['happiness', 'sadness', 'anger', 'fear', 'surprise', 'disgust', 'neutral'];
    const lines = Array.from({ length: 30 }, (_, i) =>
      validLine(src, i, {
        labels: [emotions[i % 7]],
        AUs: i % 3 === 0 ? ['AU1', 'AU4', 'AU15'] : ['AU12', 'AU6'],
        description: `<think>Reason ${i} (AU6).</think><answer>${emotions[i % 7]}</answer>`,
        meta_info: { subject: `p${i % 6}`, origin_note: `n${i}` },
        ...(i === 4 ? { accu_reward_method: 'default' } : {}),
      }),
    );
    writeJsonl(path.join(src, 'train.jsonl'), lines);
    const ws = openWorkspace(path.join(tempDir(), 'ws'), { create: true });
    await importDataset(ws, path.join(src, 'train.jsonl'));
    const out = path.join(tempDir(), 'out');
    const report = exportFacialR1(ws, out);
    expect(report.records).toBe(30);
    const file = report.files[0].file;
    expect(path.basename(file)).toBe('ws.jsonl');
    const exported = new Map(readJsonl(file).map((r) => [r.id, r]));
    for (const l of lines) {
      const e = exported.get(l.id as string)!;
      expect(e).toBeDefined();
      expect(sha(path.join(out, 'images', e.image))).toBe(sha(path.join(src, l.image as string)));
      expect(e.labels).toEqual(l.labels);
      expect(new Set(e.AUs)).toEqual(new Set(l.AUs as string[]));
      expect(e.AUs).toEqual([...(e.AUs as string[])].sort((a, b) => Number(a.slice(2)) - Number(b.slice(2))));
      expect(e.description).toBe(l.description);
      expect(e.dataset).toBe('TEST-DB');
      expect(e.meta_info).toMatchObject({ subject: (l.meta_info as any).subject, origin_note: (l.meta_info as any).origin_note, provenance: { kind: 'import', author: 'system', source: 'import' } });
      expect(typeof e.meta_info.provenance.revision_id).toBe('number');
    }
    expect(exported.get('rec-00004')!.accu_reward_method).toBe('default');
    const config = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8'));
    expect(Object.keys(config)).toEqual(['ws.jsonl']);
    expect(Object.keys(config['ws.jsonl'].emotions)).toEqual(expect.arrayContaining(emotions));
    expect(config['ws.jsonl'].AUs).toEqual({ AU1: 0.333333, AU4: 0.333333, AU6: 0.666667, AU12: 0.666667, AU15: 0.333333 });

    // and back: exporting then importing into a fresh workspace gives the same labels
    const ws2 = openWorkspace(path.join(tempDir(), 'ws2'), { create: true });
    const again = await importDataset(ws2, file, { imagesDir: path.join(out, 'images') });
    expect(again).toMatchObject({ imported: 30, errors: [] });
    const a = ws.db.prepare('SELECT r.id, r.emotion, r.aus, i.sha256, i.subject FROM records r JOIN images i ON i.id = r.image_id ORDER BY r.id').all();
    const b = ws2.db.prepare('SELECT r.id, r.emotion, r.aus, i.sha256, i.subject FROM records r JOIN images i ON i.id = r.image_id ORDER BY r.id').all();
    expect(b).toEqual(a);
    ws.close();
    ws2.close();
  });

  test('one JSONL per split part with a registry entry each; human edits export with their provenance', async () => {
    const src = tempDir();
    const lines = Array.from({ length: 40 }, (_, i) => validLine(src, i, { labels: [i % 2 ? 'happiness' : 'sadness'], meta_info: { subject: `p${i % 10}` } }));
    writeJsonl(path.join(src, 'a.jsonl'), lines);
    const ws = openWorkspace(path.join(tempDir(), 'ws'), { create: true });
    await importDataset(ws, path.join(src, 'a.jsonl'));
    const alice = upsertUser(ws.db, 'alice', 'annotator').user.id;
    submitAnnotation(ws.db, { recordId: 'rec-00003', userId: alice, emotion: 'anger', aus: [{ au: 'AU4' }, { au: 'AU23', intensity: 'C' }], reasoning: '<think>(AU4) (AU23)</think><answer>anger</answer>' });
    createSplit(ws.db, { name: 'main', ratios: { train: 0.75, test: 0.25 }, stratify: 'emotion', group: 'subject', seed: 1 });
    const out = path.join(tempDir(), 'out');
    const report = exportFacialR1(ws, out, { split: 'main' });
    expect(report.files.map((f) => path.basename(f.file))).toEqual(['main-test.jsonl', 'main-train.jsonl']);
    expect(report.files.reduce((s, f) => s + f.records, 0)).toBe(40);
    const config = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8'));
    expect(Object.keys(config).sort()).toEqual(['main-test.jsonl', 'main-train.jsonl']);
    for (const f of report.files) {
      const recs = readJsonl(f.file);
      expect(recs).toHaveLength(f.records);
      for (const r of recs) {
        expect(r.meta_info).toBeDefined();
        expect(fs.existsSync(path.join(out, 'images', r.image))).toBe(true);
      }
      const edited = recs.find((r) => r.id === 'rec-00003');
      if (edited) expect(edited).toMatchObject({ labels: ['anger'], AUs: ['AU4', 'AU23'], meta_info: { provenance: { author: 'alice', kind: 'human', source: 'human' } } });
    }
    ws.close();
  });
});
