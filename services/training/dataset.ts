/** Loads a split part of a workspace as face samples: the analysis crop and descriptor where present, else the image. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Workspace } from '../../db/open';
import { descriptorFromBlob, grayPixels } from '../../pipelines/data/pixels';
import type { FaceSample } from '../../pipelines/model/inputs';

interface Row {
  id: string;
  status: string;
  emotion: string | null;
  aus: string;
  rel_path: string;
  subject: string | null;
  crop_gray_path: string | null;
  descriptor: Buffer | null;
  reasoning: string | null;
}

export interface LoadOptions {
  imageSize: number;
  descriptorDim: number;
  /** Only records a human labeled or reviewed (training); otherwise every record with an emotion. */
  labeledOnly: boolean;
  limit?: number;
}

export function splitExists(ws: Workspace, split: string): boolean {
  return !!ws.db.prepare('SELECT 1 FROM splits WHERE name = ?').get(split);
}

export function splitPartNames(ws: Workspace, split: string): string[] {
  return (
    ws.db
      .prepare('SELECT DISTINCT sa.part FROM split_assignments sa JOIN splits s ON s.id = sa.split_id WHERE s.name = ? ORDER BY sa.part')
      .all(split) as { part: string }[]
  ).map((r) => r.part);
}

export async function loadSplitSamples(ws: Workspace, split: string, part: string, opts: LoadOptions): Promise<FaceSample[]> {
  if (!splitExists(ws, split)) throw new Error(`split "${split}" does not exist in ${ws.dir} (create it with "fea split")`);
  const rows = ws.db
    .prepare(
      `SELECT r.id, r.status, r.emotion, r.aus, i.rel_path, i.subject, a.crop_gray_path, a.descriptor, rv.reasoning
       FROM split_assignments sa
       JOIN splits s ON s.id = sa.split_id
       JOIN records r ON r.id = sa.record_id
       JOIN images i ON i.id = r.image_id
       LEFT JOIN analyses a ON a.image_id = i.id AND a.face_found = 1
       LEFT JOIN revisions rv ON rv.id = r.current_revision_id
       WHERE s.name = ? AND sa.part = ? AND r.emotion IS NOT NULL
         ${opts.labeledOnly ? "AND r.status IN ('labeled', 'reviewed')" : ''}
       ORDER BY r.id ${opts.limit ? `LIMIT ${Math.floor(opts.limit)}` : ''}`,
    )
    .all(split, part) as Row[];
  const out: FaceSample[] = [];
  for (const r of rows) {
    const crop = r.crop_gray_path ? path.join(ws.dir, ...r.crop_gray_path.split('/')) : null;
    const file = crop && fs.existsSync(crop) ? crop : path.join(ws.mediaDir, ...r.rel_path.split('/'));
    let pixels: Float32Array;
    try {
      pixels = await grayPixels(file, opts.imageSize);
    } catch (err) {
      throw new Error(`record ${r.id}: cannot read image ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    out.push({
      recordId: r.id,
      imageKey: r.rel_path,
      subject: r.subject,
      pixels,
      descriptor: descriptorFromBlob(r.descriptor, opts.descriptorDim),
      emotion: r.emotion,
      aus: r.aus.split(/\s+/).filter(Boolean),
      reasoning: r.reasoning ?? '',
    });
  }
  return out;
}
