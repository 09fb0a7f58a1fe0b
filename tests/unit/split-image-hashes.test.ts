import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { openWorkspace } from '../../db/open';
import { addRevision, insertImage, insertRecord, leakageRecords, systemUserId } from '../../db/repositories';
import { ensureImageHashes } from '../../services/splits/image-hashes';
import { imagePhash } from '../../pipelines/vision/image-hashes';
import { tempDir } from '../support/facial-r1';

test('the hash pass hashes each splittable image once, keeps unreadable ones as errors, and matches the analysis pHash', async () => {
  const ws = openWorkspace(path.join(tempDir(), 'ws'), { create: true });
  try {
    const sys = systemUserId(ws.db);
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 200, g: 90, b: 30 } } })
      .composite([{ input: Buffer.from('<svg width="40" height="30"><circle cx="12" cy="15" r="9" fill="#123"/></svg>'), left: 0, top: 0 }])
      .png()
      .toBuffer();
    const files: string[] = [];
    ws.db.transaction(() => {
      for (const [i, status] of ['ok', 'missing', 'unlabeled'].entries()) {
        const img = insertImage(ws.db, { sha256: String(i).padStart(64, '0'), ext: 'png', width: 40, height: 30, originalName: status });
        files.push(img.relPath);
        insertRecord(ws.db, { id: `r-${status}`, imageId: img.id });
        if (status !== 'unlabeled') addRevision(ws.db, { recordId: `r-${status}`, emotion: 'happiness', aus: [], reasoning: '', authorId: sys, kind: 'import' });
      }
    })();
    fs.mkdirSync(path.dirname(path.join(ws.mediaDir, files[0])), { recursive: true });
    fs.writeFileSync(path.join(ws.mediaDir, files[0]), png);
    const seen: number[] = [];
    // the unlabeled record's image is not part of any split: not hashed
    expect(await ensureImageHashes(ws, (done, total) => seen.push(done, total))).toEqual({ hashed: 1, failed: 1 });
    expect(seen).toEqual([2, 2]);
    expect(await ensureImageHashes(ws)).toEqual({ hashed: 0, failed: 0 });
    const rows = leakageRecords(ws.db);
    expect(rows.map((r) => [r.id, r.phash, r.pixelHash?.length ?? null])).toEqual([
      ['r-missing', null, null],
      ['r-ok', await imagePhash(png), 64],
    ]);
  } finally {
    ws.db.close();
  }
});
