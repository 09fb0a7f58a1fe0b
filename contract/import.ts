/**
 * The Import view's contract: what an import reads (a path the server checks, a format), what its preview and its
 * job's final report say, and face-analysis coverage for the "analyse the new images" step after it.
 */
import { z } from 'zod';
import { IMPORT_FORMATS, type ImportFormat } from '../pipelines/formats/import-formats';

export { IMPORT_FORMATS, IMPORT_INPUT_KINDS, type ImportFormat } from '../pipelines/formats/import-formats';

/** Errors a preview or a job's report lists; the rest are counted (errorCount). */
export const DEFAULT_PREVIEW_ERRORS = 50;
export const MAX_REPORT_ERRORS = 1000;

const serverPath = z.string().trim().min(1).max(4096);

export const ImportSourceSchema = z.object({
  /** An absolute path on the machine the service runs on: a JSONL file, a folder tree, a dataset's table or folder. */
  path: serverPath,
  format: z.enum(IMPORT_FORMATS).default('facial-r1'),
  /** Folders: import the images of subfolders below an emotion folder too (else they are only reported). */
  recursive: z.boolean().default(false),
  /** The folder image paths are relative to (JSONL and tables; default: the input's folder). */
  images: serverPath.optional(),
});

/** One line (or file) that cannot be imported. */
export interface ImportErrorRow {
  /** The file it is in (the JSONL, the table, or the image file of a folder tree). */
  file: string;
  /** 1-based line (JSONL, tables) or file ordinal (folders). */
  line: number;
  /** The field that is wrong, where one is (`labels`, `AUs`, `image`…). */
  field: string | null;
  reason: string;
}

/** What an import did, or (dryRun: true) would do: the preview and the import job's final report. */
export interface ImportSummary {
  dryRun: boolean;
  format: ImportFormat;
  input: string;
  /** Records added (or that would be). */
  imported: number;
  /** Ids already in the workspace (or earlier in the input): left as they are, an import never rewrites a record. */
  duplicates: number;
  /** Lines the input marks invalid, or rows the dataset's own rules drop (skippedBy says why). */
  skipped: number;
  skippedBy: Record<string, number>;
  labeled: number;
  weak: number;
  unlabeled: number;
  byEmotion: Record<string, number>;
  images: { new: number; reused: number };
  normalised: number;
  vocabularyAdded: string[];
  nestedFolders: { folder: string; images: number; imported: boolean }[];
  conflicts: number;
  split: { name: string; parts: Record<string, number> } | null;
  errorCount: number;
  /** The first errors in line order. */
  errors: ImportErrorRow[];
  cancelled: boolean;
}

/** Face-analysis coverage of the workspace's images. */
export interface AnalysisStatus {
  images: number;
  /** Images with an analysis (failed ones included: they are not retried). */
  analysed: number;
  /** Images without one: what analysis.start would work on. */
  pending: number;
  failed: number;
  facesFound: number;
}

/** A finished job's outcome, where its kind has one. */
export type JobResult =
  | { kind: 'import'; report: ImportSummary }
  | { kind: 'analyze'; analysed: number; facesFound: number; skipped: number; failed: number; remaining: number; backend: string };
