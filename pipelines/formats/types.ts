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
  /** The field of the line that is wrong (a JSONL key such as `labels`, or `image` for an image that cannot be read). */
  field?: string;
}

export type ParseOutcome =
  | { kind: 'record'; record: ImportCandidate }
  | { kind: 'skipped'; line: number; reason: string }
  | { kind: 'error'; error: LineError }
  | { kind: 'blank' };

/** A face box in source-image pixels. */
export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * What the dataset importers (fer2013, ferplus, affectnet, rafdb, au-csv, disfa) produce: a candidate plus what
 * only some layouts carry.
 */
export interface DatasetCandidate extends ImportCandidate {
  /** Pixels-in-CSV layouts: the PNG made from them (imagePath is then only a name). */
  bytes?: Buffer;
  /** AffectNet: the face box, cut out of the source image to become the record's image. */
  crop?: FaceBox;
  /** The split part the dataset itself assigns (FER2013 Usage, RAF-DB file prefix). */
  part?: string;
  /** AU intensities (A–E) of the present AUs. */
  intensities?: Record<string, 'A' | 'B' | 'C' | 'D' | 'E'>;
  /** Revision provenance beyond the defaults (FERPlus votes, AffectNet valence/arousal). */
  provenance?: Record<string, unknown>;
}

/** `reason` of a skipped line doubles as the key it is counted under (unknown, NF, uncertain…). */
export type DatasetOutcome =
  | { kind: 'record'; record: DatasetCandidate }
  | { kind: 'skipped'; line: number; reason: string }
  | { kind: 'error'; error: LineError }
  | { kind: 'blank' };
