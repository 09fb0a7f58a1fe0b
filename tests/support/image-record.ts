/**
 * One image and its record written straight into a workspace (no import, no analysis): for tests of the analysis
 * and training paths on images of their own making. The media file is stored by its sha256 as the import stores it.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Workspace } from '../../db/open';

export function addImageRecord(
  ws: Workspace,
  name: string,
  bytes: Buffer,
  opts: { subject?: string | null; emotion?: string; status?: string } = {},
): { imageId: number; recordId: string; rel: string } {
  const sha = crypto.createHash('sha256').update(bytes).digest('hex');
  const rel = `${sha.slice(0, 2)}/${sha}${path.extname(name)}`;
  fs.mkdirSync(path.join(ws.mediaDir, sha.slice(0, 2)), { recursive: true });
  fs.writeFileSync(path.join(ws.mediaDir, rel), bytes);
  const now = new Date().toISOString();
  const imageId = Number(
    ws.db
      .prepare('INSERT INTO images (sha256, rel_path, width, height, original_name, subject, source, created_at) VALUES (?, ?, 0, 0, ?, ?, ?, ?)')
      .run(sha, rel, name, opts.subject ?? null, 'test', now).lastInsertRowid,
  );
  const recordId = `rec-${name}`;
  ws.db
    .prepare('INSERT INTO records (id, image_id, source, question, status, emotion, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(recordId, imageId, 'test', 'What is the emotion of this face?', opts.status ?? (opts.emotion ? 'labeled' : 'unlabeled'), opts.emotion ?? null, now, now);
  return { imageId, recordId, rel };
}
