/**
 * Import benchmark: generates a 20,000-record Facial-R1 JSONL with 20,000 distinct 48×48 PNGs, times the
 * import service, and in the same run a minimal baseline (parse each line, read and sha256 each image, place its
 * bytes in media/ the same way — a new file written with them (copy, the default), or a hard link with
 * BENCH_MEDIA=link — and insert the same image/record/revision/AU rows with better-sqlite3 in one transaction).
 * Target: ratio ≤ 3 in both modes. Prints one JSON object.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openWorkspace } from '../db/open';
import { makeSmoothPng } from '../tests/support/png';
import { importDataset } from '../services/import/import';

const N = Number(process.env.BENCH_RECORDS ?? 20000);
/** copy (default: `fea import`) or link (`fea import --link`); the baseline places media the same way. */
const MEDIA = process.env.BENCH_MEDIA === 'link' ? 'link' : 'copy';
const EMOTIONS = ['anger', 'disgust', 'fear', 'happiness', 'neutral', 'sadness', 'surprise'];
const AU_SETS = [['AU4', 'AU5', 'AU7', 'AU23'], ['AU9', 'AU15', 'AU16'], ['AU1', 'AU2', 'AU4', 'AU5', 'AU20', 'AU26'], ['AU6', 'AU12', 'AU25'], [], ['AU1', 'AU4', 'AU15'], ['AU1', 'AU2', 'AU5', 'AU26']];

function generate(dir: string): string {
  const lines: string[] = [];
  for (let i = 0; i < N; i++) {
    const folder = `p${String(Math.floor(i / 1000)).padStart(3, '0')}`;
    if (i % 1000 === 0) fs.mkdirSync(path.join(dir, 'images', folder), { recursive: true });
    const image = `${folder}/img_${i}.png`;
    fs.writeFileSync(path.join(dir, 'images', image), makeSmoothPng(i + 1));
    const e = i % 7;
    lines.push(
      JSON.stringify({
        id: `bench-${i}`,
        dataset: 'BENCH',
        image,
        question: 'What is the emotion of this face?',
        AUs: AU_SETS[e],
        labels: [EMOTIONS[e]],
        description: `<think>${AU_SETS[e].map((a) => `feature (${a})`).join(', ')} indicate ${EMOTIONS[e]}.</think><answer>${EMOTIONS[e]}</answer>`,
        meta_info: { subject: `s${i % 500}` },
      }),
    );
  }
  const file = path.join(dir, 'bench.jsonl');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** The minimal baseline: no validation, no normalisation, media placed as the import does, one transaction. */
function baseline(file: string, imagesDir: string, wsDir: string): number {
  const t0 = process.hrtime.bigint();
  const ws = openWorkspace(wsDir, { create: true });
  const db = ws.db;
  const now = new Date().toISOString();
  const insImg = db.prepare('INSERT OR IGNORE INTO images (sha256, rel_path, width, height, original_name, subject, source, created_at) VALUES (?, ?, 48, 48, ?, ?, ?, ?)');
  const getImg = db.prepare('SELECT id FROM images WHERE sha256 = ?');
  const insRec = db.prepare("INSERT INTO records (id, image_id, source, question, status, emotion, aus, meta, created_at, updated_at) VALUES (?, ?, ?, ?, 'labeled', ?, ?, ?, ?, ?)");
  const insRev = db.prepare("INSERT INTO revisions (record_id, emotion, reasoning, author_id, kind, created_at) VALUES (?, ?, ?, 1, 'import', ?)");
  const insAU = db.prepare('INSERT INTO revision_aus (revision_id, au) VALUES (?, ?)');
  const setCur = db.prepare('UPDATE records SET current_revision_id = ?, author_id = 1 WHERE id = ?');
  const dirs = new Set<string>();
  db.transaction(() => {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!line) continue;
      const o = JSON.parse(line);
      const source = path.join(imagesDir, o.image);
      const bytes = fs.readFileSync(source);
      const sha = createHash('sha256').update(bytes).digest('hex');
      const dir = path.join(ws.mediaDir, sha.slice(0, 2));
      if (!dirs.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        dirs.add(dir);
      }
      const media = path.join(dir, `${sha}.png`);
      if (MEDIA === 'link') fs.linkSync(source, media);
      else fs.writeFileSync(media, bytes, { flag: 'wx' });
      insImg.run(sha, `${sha.slice(0, 2)}/${sha}.png`, path.basename(o.image), o.meta_info?.subject ?? null, o.dataset, now);
      const imageId = (getImg.get(sha) as { id: number }).id;
      insRec.run(o.id, imageId, o.dataset, o.question, o.labels[0], o.AUs.join(' '), JSON.stringify({ meta_info: o.meta_info }), now, now);
      const rev = Number(insRev.run(o.id, o.labels[0], o.description, now).lastInsertRowid);
      for (const au of o.AUs) insAU.run(rev, au);
      setCur.run(rev, o.id);
    }
  })();
  ws.close();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-bench-import-'));
  try {
    const file = generate(dir);
    const imagesDir = path.join(dir, 'images');
    const ws = openWorkspace(path.join(dir, 'ws'), { create: true });
    const t0 = process.hrtime.bigint();
    const report = await importDataset(ws, file, { imagesDir, media: MEDIA });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    ws.close();
    const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
    if (report.imported !== N || report.errors.length) throw new Error(`import went wrong: ${JSON.stringify({ ...report, errors: report.errors.slice(0, 5) })}`);
    const baselineSeconds = baseline(file, imagesDir, path.join(dir, 'ws-baseline'));
    console.log(
      JSON.stringify({
        records: N,
        seconds: round(seconds),
        recordsPerSec: Math.round(N / seconds),
        peakRssMB,
        baselineSeconds: round(baselineSeconds),
        ratio: round(seconds / baselineSeconds),
        images: report.images.new,
        media: MEDIA,
        cpus: os.cpus().length,
        loadavg1: round(os.loadavg()[0]),
      }),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
