/** The normalised record every importer produces, before its image is read. */
export interface ImportCandidate {
  /** 1-based line (JSONL) or file ordinal (folders). */
  line: number;
  id: string;
  source: string | null;
  question: string | null;
  emotion: string | null;
  aus: string[];
  reasoning: string;
  subject: string | null;
  /** The image as named in the input, and its resolved absolute path. */
  image: string;
  imagePath: string;
  /** Kept so export can write it back (meta_info, unknown keys, extra labels). */
  meta: Record<string, unknown>;
  normalised: { field: 'label' | 'AU'; from: string; to: string }[];
}

export interface LineError {
  line: number;
  reason: string;
  file?: string;
}

export type ParseOutcome =
  | { kind: 'record'; record: ImportCandidate }
  | { kind: 'skipped'; line: number; reason: string }
  | { kind: 'error'; error: LineError }
  | { kind: 'blank' };
