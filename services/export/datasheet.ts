/**
 * A datasheet next to every engine export: counts and emotion/AU distributions, provenance mix, annotators and their
 * shares, the split with its leakage report, the vocabulary and AU inventory, creation time and lineage. Written as
 * `datasheet.json` and `DATASHEET.md`, with the distributions drawn as small SVG bar charts beside it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import type { ExportDatasheet } from '../../contract/types';
import type { Workspace } from '../../db/open';
import { datasheetCounts } from '../../db/repositories/datasheet';
import { getSnapshot } from '../../db/repositories/snapshots';
import { getSplit } from '../../db/repositories/splits';
import { vocabulary } from '../../db/repositories/vocabulary';
import { sortAUs } from '../../pipelines/facs/vocabulary';
import { parseStoredSummary } from '../splits/stored-summary';
import type { DatasheetCounts } from './datasheet-tally';

export const DATASHEET_FILES = { json: 'datasheet.json', md: 'DATASHEET.md', emotions: 'datasheet-emotions.svg', aus: 'datasheet-aus.svg', provenance: 'datasheet-provenance.svg' } as const;

/** Declared in the contract, which returns it (export.preview, export.datasheet). */
export type Datasheet = ExportDatasheet;

const counts = z.record(z.string(), z.number().int().nonnegative());
/** datasheet.json as read back from an export folder (a file anyone could have edited). */
export const DatasheetFile = z.object({
  format: z.string(),
  createdAt: z.string(),
  records: z.number().int().nonnegative(),
  parts: z.record(z.string(), z.object({ n: z.number().int().nonnegative(), byEmotion: counts })),
  byEmotion: counts,
  byAU: counts,
  provenance: z.array(z.object({ source: z.string(), n: z.number(), share: z.number() })),
  annotators: z.array(z.object({ name: z.string(), n: z.number(), share: z.number() })),
  split: z.object({ name: z.string(), summary: z.unknown() }).nullable(),
  snapshot: z
    .object({ id: z.number(), name: z.string(), parent: z.number().nullable(), model: z.number().nullable(), round: z.number().nullable(), reviewer: z.string().nullable(), createdAt: z.string() })
    .nullable(),
  vocabulary: z.object({ emotions: z.array(z.string()), aus: z.array(z.string()) }),
  auInventory: z.array(z.string()),
}) satisfies z.ZodType<ExportDatasheet>;

const share = (n: number, total: number) => (total ? Number((n / total).toFixed(4)) : 0);

/** `counts`: what an export tallied of the records it wrote (./datasheet-tally); without it they are counted in the database. */
export function buildDatasheet(ws: Workspace, o: { format: string; split?: string; snapshot?: number }, counts?: DatasheetCounts): Datasheet {
  const db = ws.db;
  const split = o.split ? getSplit(db, o.split) : undefined;
  const snap = o.snapshot ? getSnapshot(db, o.snapshot) : undefined;
  const c = counts ?? datasheetCounts(db, { splitId: split?.id ?? null, snapshotId: snap?.id ?? null });
  const records = c.byPart.reduce((a, p) => a + p.n, 0);
  const parts: Datasheet['parts'] = {};
  for (const p of c.byPart) parts[p.part || 'all'] = { n: p.n, byEmotion: {} };
  const byEmotion: Record<string, number> = {};
  for (const e of c.byEmotion) {
    parts[e.part || 'all'].byEmotion[e.emotion] = e.n;
    byEmotion[e.emotion] = (byEmotion[e.emotion] ?? 0) + e.n;
  }
  const emotions = vocabulary(db, 'emotion');
  const rank = (e: string) => (emotions.includes(e) ? emotions.indexOf(e) : emotions.length);
  const ordered = Object.fromEntries(Object.entries(byEmotion).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b)));
  const byAU = Object.fromEntries(sortAUs(c.byAU.map((a) => a.au)).map((au) => [au, c.byAU.find((a) => a.au === au)!.n]));
  return {
    format: o.format,
    createdAt: new Date().toISOString(),
    records,
    parts,
    byEmotion: ordered,
    byAU,
    provenance: c.provenance.map((p) => ({ source: p.kind === 'synthesis' && p.round !== null ? `synthesis round ${p.round}` : p.kind, n: p.n, share: share(p.n, records) })),
    annotators: c.annotators.map((a) => ({ ...a, share: share(a.n, records) })),
    split: split ? { name: split.name, summary: parseStoredSummary(split.name, split.summary) } : null,
    snapshot: snap ? { id: snap.id, name: snap.name, parent: snap.parent_id, model: snap.model_id, round: snap.round_id, reviewer: snap.reviewer, createdAt: snap.created_at } : null,
    vocabulary: { emotions, aus: vocabulary(db, 'au') },
    auInventory: Object.keys(byAU),
  };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A horizontal bar chart as a standalone SVG (one bar per label, its count at the end). */
export function barChartSvg(title: string, data: Record<string, number>): string {
  const rows = Object.entries(data);
  const max = Math.max(1, ...rows.map(([, n]) => n));
  const W = 420;
  const label = 130;
  const bar = 16;
  const H = 28 + rows.length * (bar + 4);
  const bars = rows
    .map(([k, n], i) => {
      const y = 24 + i * (bar + 4);
      const w = Math.round(((W - label - 50) * n) / max);
      return `<text x="${label - 6}" y="${y + 12}" text-anchor="end">${esc(k)}</text><rect x="${label}" y="${y}" width="${w}" height="${bar}" fill="#4e79a7"/><text x="${label + w + 4}" y="${y + 12}">${n}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11"><text x="4" y="14" font-weight="bold">${esc(title)}</text>${bars}</svg>\n`;
}

function table(head: string[], rows: (string | number)[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The datasheet's files: name → content. */
export function datasheetFiles(d: Datasheet): Record<string, string> {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const leak = (d.split?.summary ?? null) as { sharedSubjects?: number; exactDuplicatePairs?: number; nearDuplicatePairs?: number } | null;
  const md = [
    `# Datasheet`,
    '',
    `Exported as **${d.format}** on ${d.createdAt}: ${d.records} records${d.split ? ` of split \`${d.split.name}\`` : ''}${d.snapshot ? ` from snapshot ${d.snapshot.id} (\`${d.snapshot.name}\`)` : ''}.`,
    '',
    '## Lineage',
    d.snapshot
      ? table(['snapshot', 'parent', 'model', 'round', 'reviewer', 'frozen at'], [[d.snapshot.id, d.snapshot.parent ?? '–', d.snapshot.model ?? '–', d.snapshot.round ?? '–', d.snapshot.reviewer ?? '–', d.snapshot.createdAt]])
      : 'The workspace\'s current labels (no snapshot).',
    '',
    '## Parts',
    table(['part', 'records'], Object.entries(d.parts).map(([p, c]) => [p, c.n])),
    '',
    '## Emotions',
    `![emotions](${DATASHEET_FILES.emotions})`,
    '',
    table(['emotion', 'records', 'share'], Object.entries(d.byEmotion).map(([e, n]) => [e, n, pct(n / Math.max(1, d.records))])),
    '',
    '## Action units',
    `![AUs](${DATASHEET_FILES.aus})`,
    '',
    table(['AU', 'records'], Object.entries(d.byAU)),
    '',
    '## Provenance',
    `![provenance](${DATASHEET_FILES.provenance})`,
    '',
    table(['source', 'records', 'share'], d.provenance.map((p) => [p.source, p.n, pct(p.share)])),
    '',
    '## Annotators',
    table(['author', 'records', 'share'], d.annotators.map((a) => [a.name, a.n, pct(a.share)])),
    '',
    '## Leakage',
    leak
      ? table(['shared subjects', 'exact duplicate pairs', 'near-duplicate pairs'], [[leak.sharedSubjects ?? '–', leak.exactDuplicatePairs ?? '–', leak.nearDuplicatePairs ?? '–']])
      : 'No split: no leakage report.',
    '',
    '## Vocabulary',
    `Emotions: ${d.vocabulary.emotions.join(', ')}. AUs in the data: ${d.auInventory.join(', ') || 'none'}.`,
    '',
  ].join('\n');
  return {
    [DATASHEET_FILES.json]: `${JSON.stringify(d, null, 2)}\n`,
    [DATASHEET_FILES.md]: md,
    [DATASHEET_FILES.emotions]: barChartSvg('records per emotion', d.byEmotion),
    [DATASHEET_FILES.aus]: barChartSvg('records per AU', d.byAU),
    [DATASHEET_FILES.provenance]: barChartSvg('records per provenance', Object.fromEntries(d.provenance.map((p) => [p.source, p.n]))),
  };
}

/** Where an export in `out` keeps its datasheet's files. */
export function datasheetPaths(out: string): string[] {
  return Object.values(DATASHEET_FILES).map((name) => path.join(out, name));
}

/**
 * Writes the datasheet of what an export just wrote into `out`, each file atomically (the JSONL and CSV exports; the
 * engine exports list theirs in the manifest instead). Returns DATASHEET.md's path.
 */
export function writeDatasheet(ws: Workspace, out: string, o: { format: string; split?: string; snapshot?: number }, counts?: DatasheetCounts): string {
  for (const [name, text] of Object.entries(datasheetFiles(buildDatasheet(ws, o, counts)))) {
    const file = path.join(out, name);
    fs.writeFileSync(`${file}.tmp`, text);
    fs.renameSync(`${file}.tmp`, file);
  }
  return path.join(out, DATASHEET_FILES.md);
}
