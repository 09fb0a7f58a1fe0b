/**
 * `fea export --format csv`: `records.csv`, one row per record with its label, split part, the newest model prediction
 * and face detection, under the one overwrite rule of every export (./output-guard).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Workspace } from '../../db/open';
import { csvExportRows, getSplit, newestSplit, parseStored } from '../../db/repositories';
import { PredictionAUsSchema } from '../../db/repositories/analysis-json';
import { datasheetPaths, writeDatasheet } from './datasheet';
import { DatasheetTally } from './datasheet-tally';
import { CSV_FILE, ExportError, prepareOutput, type OutputOptions } from './output-guard';

export const CSV_COLUMNS = [
  'id', 'image', 'original_name', 'subject', 'source', 'split', 'split_name', 'status', 'emotion', 'aus',
  'predicted_emotion', 'predicted_emotion_score', 'predicted_aus', 'predicted_model', 'face_found', 'phash',
  'reasoning', 'author', 'revision_kind',
] as const;

/** RFC 4180 quoting: fields with a comma, quote, CR or LF are quoted and quotes doubled. */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/**
 * Writes DIR/records.csv (atomically). `split` is the record's part in the given split (default: the newest);
 * `image` is relative to the CSV; `reasoning`, `author` and `revision_kind` are the current revision's; predicted_* come from
 * the newest prediction with an emotion (predicted_aus: present AUs of the newest prediction with AU scores);
 * face_found is 1/0, empty when the image has no successful analysis.
 */
export async function exportCsv(ws: Workspace, outDir: string, options: OutputOptions & { split?: string } = {}): Promise<{ rows: number; file: string; split: string | null; datasheet: string }> {
  const out = path.resolve(outDir);
  const split = options.split === undefined ? newestSplit(ws.db) : getSplit(ws.db, options.split);
  if (options.split !== undefined && !split) throw new ExportError(`No split named "${options.split}" (create it with "fea split")`);
  // image paths are relative to the CSV, so the table opens where it is (a spreadsheet, pandas) without the workspace's layout
  const mediaFromCsv = path.relative(out, ws.mediaDir).split(path.sep).join('/') || '.';
  const file = path.join(out, CSV_FILE);
  prepareOutput(out, [file, ...datasheetPaths(out)], options);
  fs.mkdirSync(out, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  let rows = 0;
  const tally = new DatasheetTally();
  try {
    let buf = csvLine(CSV_COLUMNS);
    for (const r of csvExportRows(ws.db, split ? { id: split.id, name: split.name } : undefined)) {
      const present = (parseStored(PredictionAUsSchema, r.a_aus, 'prediction AUs', r.id) ?? [])
        .map((a) => (a === null ? null : typeof a === 'string' ? a : a.present === false ? null : a.au))
        .filter((a): a is string => !!a);
      buf += csvLine([
        r.id,
        `${mediaFromCsv}/${r.rel_path}`,
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
        r.reasoning,
        r.author,
        r.revision_kind,
      ]);
      rows++;
      // the datasheet describes the labeled rows (of the split's records when there is one)
      if (r.emotion !== null && r.revision_kind !== null && (!split || r.part !== null)) {
        tally.add({ part: r.part ?? '', emotion: r.emotion, aus: r.aus ? r.aus.split(' ') : [], kind: r.revision_kind, round: r.revision_round, author: r.author });
      }
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
  // The datasheet describes the labeled rows (those with an emotion); unlabeled rows are in the CSV too, with status.
  const datasheet = writeDatasheet(ws, out, { format: 'csv', ...(split ? { split: split.name } : {}) }, tally.counts());
  return { rows, file, split: split?.name ?? null, datasheet };
}
