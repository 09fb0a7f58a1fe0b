/** `records.csv`: one row per record with its label, split part, the newest model prediction and face detection. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Workspace } from '../../db/open';
import { MEDIA_DIR } from '../../db/open';
import { parseJson } from '../../db/repositories/statements';

export const CSV_COLUMNS = [
  'id', 'image', 'original_name', 'subject', 'source', 'split', 'split_name', 'status', 'emotion', 'aus',
  'predicted_emotion', 'predicted_emotion_score', 'predicted_aus', 'predicted_model', 'face_found', 'phash',
] as const;

/** RFC 4180 quoting: fields with a comma, quote, CR or LF are quoted and quotes doubled. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

interface Row {
  id: string;
  rel_path: string;
  original_name: string;
  subject: string | null;
  source: string | null;
  status: string;
  emotion: string | null;
  aus: string;
  split_name: string | null;
  part: string | null;
  p_emotion: string | null;
  p_score: number | null;
  p_model: string | null;
  a_aus: string | null;
  face_found: number | null;
  a_error: string | null;
  phash: string | null;
}

/**
 * Writes DIR/records.csv (atomically). `split` is the record's part in the newest split; predicted_* come from
 * the newest prediction with an emotion (predicted_aus: present AUs of the newest prediction with AU scores);
 * face_found is 1/0, empty when the image has no successful analysis.
 */
export async function exportCsv(ws: Workspace, outDir: string): Promise<{ rows: number; file: string }> {
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, 'records.csv');
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  let rows = 0;
  try {
    const newestSplit = ws.db.prepare('SELECT id, name FROM splits ORDER BY created_at DESC, id DESC LIMIT 1').get() as { id: number; name: string } | undefined;
    const stmt = ws.db.prepare(`
      WITH pe AS (
        SELECT p.record_id, p.emotion, p.score, m.name || '@' || m.version AS model,
               ROW_NUMBER() OVER (PARTITION BY p.record_id ORDER BY p.created_at DESC, p.id DESC) AS rn
        FROM predictions p JOIN models m ON m.id = p.model_id WHERE p.emotion IS NOT NULL
      ), pa AS (
        SELECT p.record_id, p.aus,
               ROW_NUMBER() OVER (PARTITION BY p.record_id ORDER BY p.created_at DESC, p.id DESC) AS rn
        FROM predictions p WHERE p.aus NOT IN ('', '[]')
      )
      SELECT r.id, i.rel_path, i.original_name, i.subject, r.source, r.status, r.emotion, r.aus,
             CASE WHEN sa.part IS NULL THEN NULL ELSE @splitName END AS split_name, sa.part,
             pe.emotion AS p_emotion, pe.score AS p_score, pe.model AS p_model, pa.aus AS a_aus,
             a.face_found, a.error AS a_error, a.phash
      FROM records r JOIN images i ON i.id = r.image_id
      LEFT JOIN split_assignments sa ON sa.record_id = r.id AND sa.split_id = @splitId
      LEFT JOIN pe ON pe.record_id = r.id AND pe.rn = 1
      LEFT JOIN pa ON pa.record_id = r.id AND pa.rn = 1
      LEFT JOIN analyses a ON a.image_id = i.id
      ORDER BY r.id`);
    let buf = csvLine(CSV_COLUMNS);
    for (const r of stmt.iterate({ splitId: newestSplit?.id ?? -1, splitName: newestSplit?.name ?? null }) as Iterable<Row>) {
      // Entries are {au, score, present}; a bare "AUn" string (a model that only names AUs) counts as present.
      const present = parseJson<({ au: string; present?: boolean } | string)[]>(r.a_aus, [])
        .map((a) => (typeof a === 'string' ? a : a.present === false ? null : a.au))
        .filter((a): a is string => !!a);
      buf += csvLine([
        r.id,
        `${MEDIA_DIR}/${r.rel_path}`,
        r.original_name,
        r.subject,
        r.source,
        r.part,
        r.split_name,
        r.status,
        r.emotion,
        r.aus,
        r.p_emotion,
        r.p_score,
        present.join(' '),
        r.p_model,
        r.face_found === null || r.a_error !== null ? null : r.face_found,
        r.phash,
      ]);
      rows++;
      if (buf.length > 1 << 16) {
        fs.writeSync(fd, buf);
        buf = '';
      }
    }
    fs.writeSync(fd, buf);
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
  return { rows, file };
}
