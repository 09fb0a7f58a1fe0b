/**
 * Engine export benchmark: a workspace of BENCH_RECORDS records (default 100,000) sharing BENCH_IMAGES image files
 * (default 1,000, so image copying is a small part), then `fea export --format llama-factory|trl|verl|easyr1`
 * through the service, each timed with its peak RSS (sampled every 20 ms). Target: ≥ 20,000 records/s for the JSON
 * formats with flat RSS. Prints one JSON object.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openWorkspace } from '../db/open';
import { ENGINE_FORMATS, exportEngine } from '../services/export/engines';
import { importDataset } from '../services/import/import';
import { makeSmoothPng } from '../tests/support/png';

const N = Number(process.env.BENCH_RECORDS ?? 100_000);
const IMAGES = Number(process.env.BENCH_IMAGES ?? 1000);
const EMOTIONS = ['anger', 'disgust', 'fear', 'happiness', 'neutral', 'sadness', 'surprise'];

/** An au-csv table naming N hard links to IMAGES distinct PNGs (import stores each distinct file once). */
function generate(dir: string): string {
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  for (let k = 0; k < IMAGES; k++) fs.writeFileSync(path.join(dir, 'src', `${k}.png`), makeSmoothPng(k + 1));
  const out = fs.openSync(path.join(dir, 'aus.csv'), 'w');
  let buf = 'image,AU1,AU4,AU6,AU12,AU25,AU26,emotion\n';
  for (let i = 0; i < N; i++) {
    const folder = path.join(dir, 'faces', String(Math.floor(i / 1000)));
    if (i % 1000 === 0) fs.mkdirSync(folder, { recursive: true });
    fs.linkSync(path.join(dir, 'src', `${i % IMAGES}.png`), path.join(folder, `${i}.png`));
    buf += `faces/${Math.floor(i / 1000)}/${i}.png,${i % 6},${(i >> 1) % 6},${(i >> 2) % 6},${(i >> 3) % 6},${(i >> 4) % 6},${(i >> 5) % 6},${EMOTIONS[i % 7]}\n`;
    if (buf.length > 1 << 16) {
      fs.writeSync(out, buf);
      buf = '';
    }
  }
  fs.writeSync(out, buf);
  fs.closeSync(out);
  return path.join(dir, 'aus.csv');
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-bench-export-'));
  try {
    const table = generate(dir);
    const ws = openWorkspace(path.join(dir, 'ws'), { create: true });
    const t0 = performance.now();
    const imported = await importDataset(ws, table, { format: 'au-csv' });
    const importS = (performance.now() - t0) / 1000;
    const formats: Record<string, unknown> = {};
    for (const format of ENGINE_FORMATS) {
      global.gc?.();
      let peak = process.memoryUsage().rss;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
      const start = performance.now();
      const r = await exportEngine(ws, path.join(dir, format), format);
      const s = (performance.now() - start) / 1000;
      clearInterval(sampler);
      formats[format] = { records: r.records, images: r.images, seconds: round(s), recordsPerSecond: Math.round(r.records / s), peakRssMB: round(peak / 2 ** 20) };
      fs.rmSync(path.join(dir, format), { recursive: true, force: true });
    }
    ws.close();
    process.stdout.write(`${JSON.stringify({ records: imported.imported, distinctImages: IMAGES, import: { seconds: round(importS), recordsPerSecond: Math.round(imported.imported / importS) }, formats })}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
