import * as fs from 'node:fs';
import * as path from 'node:path';
import { openWorkspace, type Workspace } from '../../db/open';
import { listAudit } from '../../db/repositories';
import { importDataset } from '../../services/import/import';
import { tempDir, validLine, writeJsonl, writeMixedFixture } from '../support/facial-r1';
import { makePng } from '../support/png';

function newWs(): Workspace {
  return openWorkspace(path.join(tempDir(), 'ws'), { create: true });
}

function dbSnapshot(ws: Workspace) {
  const q = (sql: string) => ws.db.prepare(sql).all();
  return {
    images: q('SELECT * FROM images ORDER BY id'),
    records: q('SELECT * FROM records ORDER BY id'),
    revisions: q('SELECT * FROM revisions ORDER BY id'),
    aus: q('SELECT * FROM revision_aus ORDER BY revision_id, au'),
    audit: q('SELECT COUNT(*) AS n FROM audit_log'),
  };
}

describe('Facial-R1 JSONL import', () => {
  test('a file mixing valid and broken lines: exact counts and line numbers', async () => {
    const dir = tempDir();
    const { file, expected } = writeMixedFixture(dir);
    const ws = newWs();
    const progress: number[] = [];
    const report = await importDataset(ws, file, { onProgress: (d) => progress.push(d) });
    expect(report).toMatchObject({ imported: expected.imported, skipped: expected.skipped, duplicates: 0, weak: expected.weak, normalised: expected.normalised });
    expect(report.errors.map((e) => e.line)).toEqual(expected.errors.map((e) => e.line));
    report.errors.forEach((e, i) => expect(e.reason).toMatch(expected.errors[i].reason));
    expect(progress[progress.length - 1]).toBe(16);
    const statuses = Object.fromEntries((ws.db.prepare('SELECT id, status FROM records').all() as { id: string; status: string }[]).map((r) => [r.id, r.status]));
    expect(statuses).toEqual({
      'rec-00001': 'labeled', 'rec-00002': 'labeled', 'rec-00011': 'weak', 'rec-00012': 'weak', 'rec-00013': 'labeled', 'rec-00016': 'labeled',
    });
    const r2 = ws.db.prepare("SELECT emotion, aus FROM records WHERE id = 'rec-00002'").get();
    expect(r2).toEqual({ emotion: 'happiness', aus: 'AU6 AU12' });
    const r12 = ws.db.prepare("SELECT emotion, aus, status FROM records WHERE id = 'rec-00012'").get();
    expect(r12).toEqual({ emotion: null, aus: 'AU4 AU15', status: 'weak' });
    const subj = ws.db.prepare("SELECT i.subject FROM records r JOIN images i ON i.id = r.image_id WHERE r.id = 'rec-00013'").get();
    expect(subj).toEqual({ subject: 'subj-3' });
    // media are stored content-addressed
    const img = ws.db.prepare('SELECT sha256, rel_path FROM images LIMIT 1').get() as { sha256: string; rel_path: string };
    expect(img.rel_path).toBe(`${img.sha256.slice(0, 2)}/${img.sha256}.png`);
    expect(fs.existsSync(path.join(ws.mediaDir, img.rel_path))).toBe(true);
    expect(listAudit(ws.db, { entity: 'import' })).toHaveLength(1);
    ws.close();
  });

  test('re-importing the same file changes nothing and reports duplicates', async () => {
    const dir = tempDir();
    const { file, expected } = writeMixedFixture(dir);
    const ws = newWs();
    await importDataset(ws, file);
    const before = dbSnapshot(ws);
    const again = await importDataset(ws, file);
    expect(again).toMatchObject({ imported: 0, duplicates: expected.imported, skipped: expected.skipped });
    expect(dbSnapshot(ws)).toEqual(before);
    ws.close();
  });

  test('the same bytes under two ids are one image; ids repeated within a file count as duplicates', async () => {
    const dir = tempDir();
    const a = validLine(dir, 1);
    const b = { ...validLine(dir, 2), image: a.image };
    writeJsonl(path.join(dir, 'd.jsonl'), [a, b, a]);
    const ws = newWs();
    const r = await importDataset(ws, path.join(dir, 'd.jsonl'));
    expect(r).toMatchObject({ imported: 2, duplicates: 1, images: { new: 1, reused: 1 } });
    expect(ws.db.prepare('SELECT COUNT(*) AS n FROM images').get()).toEqual({ n: 1 });
    ws.close();
  });

  test('media are copied by default; media: link hard-links them and makes the shared file read-only', async () => {
    const dir = tempDir();
    writeJsonl(path.join(dir, 'm.jsonl'), [validLine(dir, 1)]);
    const src = path.join(dir, 'imgs', 'rec-00001.png');
    const copied = newWs();
    expect((await importDataset(copied, path.join(dir, 'm.jsonl'))).images).toMatchObject({ new: 1, linked: 0, copied: 1 });
    const rel = (copied.db.prepare('SELECT rel_path FROM images').get() as { rel_path: string }).rel_path;
    expect(fs.statSync(path.join(copied.mediaDir, rel)).ino).not.toBe(fs.statSync(src).ino);
    expect(fs.readFileSync(path.join(copied.mediaDir, rel))).toEqual(fs.readFileSync(src));
    const linked = newWs();
    expect((await importDataset(linked, path.join(dir, 'm.jsonl'), { media: 'link' })).images).toMatchObject({ new: 1, linked: 1, copied: 0 });
    const st = fs.statSync(path.join(linked.mediaDir, rel));
    expect(st.ino).toBe(fs.statSync(src).ino);
    expect(st.mode & 0o222).toBe(0);
    linked.close();
    copied.close();
  });

  test('--images resolves image paths against another folder', async () => {
    const dir = tempDir();
    const imagesRoot = path.join(dir, 'root');
    const line = validLine(imagesRoot, 3);
    fs.mkdirSync(path.join(dir, 'ann'));
    writeJsonl(path.join(dir, 'ann', 'x.jsonl'), [line]);
    const ws = newWs();
    expect((await importDataset(ws, path.join(dir, 'ann', 'x.jsonl'))).errors).toHaveLength(1);
    expect((await importDataset(ws, path.join(dir, 'ann', 'x.jsonl'), { imagesDir: imagesRoot })).imported).toBe(1);
    ws.close();
  });
});

describe('folder import', () => {
  test('folder names are labels through aliases; subjects from --subject-pattern; weak records', async () => {
    const root = path.join(tempDir(), 'FolderSet');
    const files: Record<string, string[]> = { happy: ['S01_a.png', 'S02_b.png'], sad: ['S01_c.png'], angry: ['S03_d.png'], surprised: ['S02_e.png'], bored: ['S04_f.png'] };
    let n = 0;
    for (const [dirName, names] of Object.entries(files)) {
      fs.mkdirSync(path.join(root, dirName), { recursive: true });
      for (const f of names) fs.writeFileSync(path.join(root, dirName, f), makePng(100 + n++));
    }
    fs.writeFileSync(path.join(root, 'happy', 'notes.txt'), 'ignored');
    const ws = newWs();
    const report = await importDataset(ws, root, { format: 'folders', subjectPattern: '^(S\\d+)_' });
    expect(report).toMatchObject({ imported: 5, weak: 5, duplicates: 0, normalised: 5 });
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0].reason).toMatch(/bored/);
    const rows = ws.db.prepare('SELECT r.id, r.emotion, r.source, i.subject FROM records r JOIN images i ON i.id = r.image_id ORDER BY r.id').all();
    expect(rows).toEqual([
      { id: 'angry/S03_d', emotion: 'anger', source: 'FolderSet', subject: 'S03' },
      { id: 'happy/S01_a', emotion: 'happiness', source: 'FolderSet', subject: 'S01' },
      { id: 'happy/S02_b', emotion: 'happiness', source: 'FolderSet', subject: 'S02' },
      { id: 'sad/S01_c', emotion: 'sadness', source: 'FolderSet', subject: 'S01' },
      { id: 'surprised/S02_e', emotion: 'surprise', source: 'FolderSet', subject: 'S02' },
    ]);
    expect((await importDataset(ws, root, { format: 'folders' })).duplicates).toBe(5);
    ws.close();
  });
});
