/**
 * Word-level tokenizer for Facial-R1 outputs (`<think>…</think><answer>…</answer>`), built from the workspace's
 * descriptions and saved with the model. Tags, every AU<n> and every emotion word are single tokens, so the AU set,
 * the answer and the format survive encode → decode exactly; other words are lower-cased and decode re-capitalises
 * sentence starts, so texts in canonical spacing round-trip unchanged.
 */
import { DEFAULT_AUS, auNumber } from '../facs';

export const PAD = '<pad>';
export const BOS = '<bos>';
export const EOS = '<eos>';
export const UNK = '<unk>';
export const SPECIAL_TOKENS = [PAD, BOS, EOS, UNK] as const;
export const TAG_TOKENS = ['<think>', '</think>', '<answer>', '</answer>'] as const;
export const PUNCTUATION_TOKENS = ['(', ')', ',', ';', '.', ':'] as const;

// Tags are case-sensitive (the format reward is); AU tokens are not (the AU reward upper-cases them).
const PIECE = /<\/?think>|<\/?answer>|<pad>|<bos>|<eos>|<unk>|[Aa][Uu]\d+(?![\p{L}\p{N}])|[\p{L}\p{N}][\p{L}\p{N}'’-]*|[^\s]/gu;
const AU_TOKEN = /^AU\d+$/i;
/** No space before these when decoding. */
const CLOSING = new Set([')', ',', ';', '.', ':', '!', '?', '</think>', '<answer>', '</answer>']);
/** No space after these. */
const OPENING = new Set(['(', '<think>', '<answer>']);
const SENTENCE_END = new Set(['.', '!', '?']);

export interface TokenizerOptions {
  /** Emotion words, each a single token (lower-case nouns: anger, happiness, …). */
  emotions: string[];
  /** Plain words seen fewer times than this map to <unk>. AUs, emotions, tags and punctuation are always kept. */
  minFrequency?: number;
}

export interface TokenizerJSON {
  kind: 'fea-word-tokenizer';
  version: 1;
  vocab: string[];
  emotions: string[];
  minFrequency: number;
}

export interface EncodeOptions {
  bos?: boolean;
  eos?: boolean;
}

/** Splits text into vocabulary pieces: tags, AU tokens (upper-cased), lower-cased words, single symbols. */
export function pretokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(PIECE)) {
    const piece = m[0];
    if (piece.startsWith('<') && piece.length > 1) out.push(piece);
    else if (AU_TOKEN.test(piece)) out.push(piece.toUpperCase());
    else out.push(piece.toLowerCase());
  }
  return out;
}

export class WordTokenizer {
  readonly vocab: readonly string[];
  readonly emotions: readonly string[];
  readonly minFrequency: number;
  private readonly index: Map<string, number>;

  private constructor(vocab: string[], emotions: string[], minFrequency: number) {
    this.vocab = vocab;
    this.emotions = emotions;
    this.minFrequency = minFrequency;
    this.index = new Map(vocab.map((t, i) => [t, i]));
    if (this.index.size !== vocab.length) throw new Error('Tokenizer vocabulary has duplicate tokens');
    for (const t of [...SPECIAL_TOKENS, ...TAG_TOKENS, ...PUNCTUATION_TOKENS]) {
      if (!this.index.has(t)) throw new Error(`Tokenizer vocabulary lacks "${t}"`);
    }
  }

  /** Builds the vocabulary: specials, tags, punctuation, AUs (the 30 Facial-R1 AUs + any seen), emotions, then words by frequency. */
  static build(corpus: Iterable<string>, options: TokenizerOptions): WordTokenizer {
    const minFrequency = options.minFrequency ?? 1;
    const emotions = [...new Set(options.emotions.map((e) => e.trim().toLowerCase()).filter(Boolean))];
    const fixed = new Set<string>([...SPECIAL_TOKENS, ...TAG_TOKENS, ...PUNCTUATION_TOKENS]);
    const aus = new Set<string>(DEFAULT_AUS);
    const counts = new Map<string, number>();
    for (const text of corpus) {
      for (const piece of pretokenize(text)) {
        if (AU_TOKEN.test(piece)) aus.add(piece);
        else if (!fixed.has(piece)) counts.set(piece, (counts.get(piece) ?? 0) + 1);
      }
    }
    const auList = [...aus].sort((a, b) => auNumber(a) - auNumber(b) || a.localeCompare(b));
    const emotionSet = new Set(emotions);
    const words = [...counts.entries()]
      .filter(([w, c]) => c >= minFrequency && !emotionSet.has(w))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([w]) => w);
    return new WordTokenizer([...fixed, ...auList, ...emotions, ...words], emotions, minFrequency);
  }

  static fromJSON(json: TokenizerJSON | string): WordTokenizer {
    const data = (typeof json === 'string' ? JSON.parse(json) : json) as TokenizerJSON;
    if (!data || data.kind !== 'fea-word-tokenizer' || data.version !== 1 || !Array.isArray(data.vocab)) {
      throw new Error('Not a fea-word-tokenizer v1 JSON object');
    }
    return new WordTokenizer([...data.vocab], [...(data.emotions ?? [])], data.minFrequency ?? 1);
  }

  toJSON(): TokenizerJSON {
    return { kind: 'fea-word-tokenizer', version: 1, vocab: [...this.vocab], emotions: [...this.emotions], minFrequency: this.minFrequency };
  }

  get vocabSize(): number {
    return this.vocab.length;
  }
  get padId(): number {
    return this.index.get(PAD)!;
  }
  get bosId(): number {
    return this.index.get(BOS)!;
  }
  get eosId(): number {
    return this.index.get(EOS)!;
  }
  get unkId(): number {
    return this.index.get(UNK)!;
  }

  tokenToId(token: string): number {
    return this.index.get(token) ?? this.unkId;
  }

  idToToken(id: number): string {
    const t = this.vocab[id];
    if (t === undefined) throw new Error(`Token id ${id} is outside the vocabulary (size ${this.vocab.length})`);
    return t;
  }

  has(token: string): boolean {
    return this.index.has(token);
  }

  encode(text: string, options: EncodeOptions = {}): number[] {
    const ids = pretokenize(text).map((p) => this.tokenToId(p));
    if (options.bos) ids.unshift(this.bosId);
    if (options.eos) ids.push(this.eosId);
    return ids;
  }

  /**
   * Canonical Facial-R1 text: no whitespace around tags, "word (AU6), word; word." spacing, sentence starts
   * capitalised inside <think>. <pad> and <bos> are skipped and decoding stops at the first <eos>.
   */
  decode(ids: Iterable<number>): string {
    let out = '';
    let prev: string | null = null;
    let capitalise = false;
    for (const id of ids) {
      const token = this.idToToken(id);
      if (token === EOS) break;
      if (token === PAD || token === BOS) continue;
      if (prev !== null && !OPENING.has(prev) && !CLOSING.has(token) && token !== '<think>') out += ' ';
      let piece = token;
      if (token === '<think>') capitalise = true;
      else if (token === '<answer>' || token === '</think>') capitalise = false;
      else if (SENTENCE_END.has(token)) capitalise = true;
      else if (/^[\p{L}\p{N}]/u.test(token) || token === UNK) {
        if (capitalise && !AU_TOKEN.test(token) && token !== UNK) piece = token.charAt(0).toUpperCase() + token.slice(1);
        capitalise = false;
      }
      out += piece;
      prev = token;
    }
    return out;
  }
}
