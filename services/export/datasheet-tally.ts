/**
 * A datasheet's counts gathered from the rows an export writes, as it writes them: at a million records the five
 * grouping queries of db/repositories/datasheet.ts cost more than the whole export's own reading. Gives what
 * datasheetCounts gives for the same records, in its row order (tests/integration/datasheet-tally.test.ts compares them).
 */
import type { datasheetCounts } from '../../db/repositories/datasheet';

export type DatasheetCounts = ReturnType<typeof datasheetCounts>;

/** One exported record as the datasheet counts it: labeled by a revision of `kind` by `author`. */
export interface TallyRow {
  /** '' without a split. */
  part: string;
  emotion: string;
  aus: readonly string[];
  kind: string;
  /** The synthesis round in the revision's provenance, or null. */
  round: number | null;
  author: string | null;
}

const bump = <K>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);
/** SQLite's BINARY order for the group keys (NULL first). */
const cmp = (a: string | number | null, b: string | number | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);

export class DatasheetTally {
  private readonly parts = new Map<string, number>();
  private readonly emotions = new Map<string, Map<string, number>>();
  private readonly aus = new Map<string, number>();
  private readonly sources = new Map<string, { kind: string; round: number | null; n: number }>();
  private readonly authors = new Map<string, number>();

  add(r: TallyRow): void {
    bump(this.parts, r.part);
    let e = this.emotions.get(r.part);
    if (!e) this.emotions.set(r.part, (e = new Map()));
    bump(e, r.emotion);
    for (const au of r.aus) bump(this.aus, au);
    const key = `${r.kind}\u0000${r.round}`;
    const s = this.sources.get(key);
    if (s) s.n++;
    else this.sources.set(key, { kind: r.kind, round: r.round, n: 1 });
    if (r.author !== null) bump(this.authors, r.author);
  }

  counts(): DatasheetCounts {
    const byPart = [...this.parts].map(([part, n]) => ({ part, n })).sort((a, b) => cmp(a.part, b.part));
    const byEmotion = [...this.emotions]
      .flatMap(([part, m]) => [...m].map(([emotion, n]) => ({ part, emotion, n })))
      .sort((a, b) => cmp(a.part, b.part) || cmp(a.emotion, b.emotion));
    const byAU = [...this.aus].map(([au, n]) => ({ au, n }));
    const provenance = [...this.sources.values()].sort((a, b) => cmp(a.kind, b.kind) || cmp(a.round, b.round));
    const annotators = [...this.authors].map(([name, n]) => ({ name, n })).sort((a, b) => b.n - a.n || cmp(a.name, b.name));
    return { byPart, byEmotion, byAU, provenance, annotators };
  }
}
