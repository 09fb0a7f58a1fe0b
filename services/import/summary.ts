/** An import's report as the contract sends it: every count, and the first errors each naming its file, line and field. */
import * as path from 'node:path';
import type { ImportSummary } from '../../contract/import';
import type { ImportReport } from './import';

export function importSummary(r: ImportReport, maxErrors: number): ImportSummary {
  // JSONL errors carry no file of their own: their line is the input's.
  const inputName = path.basename(r.input);
  return {
    dryRun: r.dryRun,
    format: r.format,
    input: r.input,
    imported: r.imported,
    duplicates: r.duplicates,
    skipped: r.skipped,
    skippedBy: r.skippedBy ?? {},
    labeled: r.labeled,
    weak: r.weak,
    unlabeled: r.unlabeled,
    byEmotion: r.byEmotion,
    images: { new: r.images.new, reused: r.images.reused },
    normalised: r.normalised,
    vocabularyAdded: r.vocabularyAdded,
    nestedFolders: r.nestedFolders ?? [],
    conflicts: r.conflicts ?? 0,
    split: r.split ?? null,
    errorCount: r.errors.length,
    errors: r.errors.slice(0, maxErrors).map((e) => ({ file: e.file ?? inputName, line: e.line, field: e.field ?? null, reason: e.reason })),
    cancelled: r.cancelled,
  };
}
