/**
 * verl rows shredded a batch at a time into parquetjs' column buffers. The library's appendRow shreds each row
 * into fresh per-column objects and converts every string to a new Buffer: at a million rows that is most of an
 * export's time and garbage. Here the columns of a whole row group are filled directly, the repeated strings (the
 * prompt, roles, answers, AU names) share one Buffer each, and the library still encodes and writes every page,
 * row group and the footer. The buffer layout is parquetjs 1.8.7's (`ParquetShredder.shredRecord`; the version is
 * pinned): tests/unit/verl-columns.test.ts checks a batch against the library's own shredding, value for value.
 */
import type { VerlRow } from '../../pipelines/formats/engine-records';

interface ColumnData {
  dlevels: number[];
  rlevels: number[];
  values: unknown[];
  distinct_values: Set<unknown>;
  count: number;
}

/** parquetjs' row buffer (writer.rowBuffer): the shredded rows of the row group being filled. */
export interface ParquetRowBuffer {
  rowCount: number;
  pageRowCount: number;
  columnData: Record<string, ColumnData>;
  pages: Record<string, unknown[]>;
}

/** Every column of the verl schema (services/export/engines.ts verlSchema), nested groups included, in schema order. */
const COLUMNS = [
  'data_source', 'prompt', 'prompt,role', 'prompt,content', 'images', 'images,image', 'ability', 'reward_model',
  'reward_model,style', 'reward_model,ground_truth', 'extra_info', 'extra_info,split', 'extra_info,index', 'extra_info,id',
  'extra_info,aus', 'extra_info,answer',
] as const;

/** Strings seen in most rows (the prompt, roles, labels) keep one encoded Buffer; bounded so unique ids never pile up. */
const SHARED_LIMIT = 4096;

export class VerlColumnBatch {
  private buf!: ParquetRowBuffer;
  private readonly shared = new Map<string, Buffer>();

  constructor() {
    this.reset();
  }

  get rows(): number {
    return this.buf.rowCount;
  }

  private reset(): void {
    const columnData: Record<string, ColumnData> = {};
    const pages: Record<string, unknown[]> = {};
    for (const c of COLUMNS) {
      columnData[c] = { dlevels: [], rlevels: [], values: [], distinct_values: new Set(), count: 0 };
      pages[c] = [];
    }
    this.buf = { rowCount: 0, pageRowCount: 0, columnData, pages };
  }

  private bytes(s: string, share: boolean): Buffer {
    if (!share) return Buffer.from(s, 'utf8');
    let b = this.shared.get(s);
    if (b === undefined) {
      b = Buffer.from(s, 'utf8');
      if (this.shared.size < SHARED_LIMIT) this.shared.set(s, b);
    }
    return b;
  }

  /** One value of a column (r: repetition level, d: definition level, as the shredder gives them). */
  private put(column: (typeof COLUMNS)[number], value: string | number, r: number, d: number, share: boolean): void {
    const c = this.buf.columnData[column];
    c.distinct_values.add(value);
    c.values.push(typeof value === 'number' ? value : this.bytes(value, share));
    c.rlevels.push(r);
    c.dlevels.push(d);
    c.count++;
  }

  add(row: VerlRow): void {
    this.put('data_source', row.data_source, 0, 0, true);
    // repeated groups: the first element at repetition level 0, the next ones at 1 (an empty list is one null at 0, 0)
    if (row.prompt.length === 0) {
      this.empty('prompt,role');
      this.empty('prompt,content');
    }
    row.prompt.forEach((m, i) => {
      this.put('prompt,role', m.role, i === 0 ? 0 : 1, 1, true);
      this.put('prompt,content', m.content, i === 0 ? 0 : 1, 1, true);
    });
    if (row.images.length === 0) this.empty('images,image');
    row.images.forEach((m, i) => this.put('images,image', m.image, i === 0 ? 0 : 1, 1, false));
    this.put('ability', row.ability, 0, 0, true);
    this.put('reward_model,style', row.reward_model.style, 0, 0, true);
    this.put('reward_model,ground_truth', row.reward_model.ground_truth, 0, 0, true);
    const x = row.extra_info;
    this.put('extra_info,split', x.split, 0, 0, true);
    this.put('extra_info,index', x.index, 0, 0, false);
    this.put('extra_info,id', x.id, 0, 0, false);
    if (x.aus.length === 0) this.empty('extra_info,aus');
    x.aus.forEach((au, i) => this.put('extra_info,aus', au, i === 0 ? 0 : 1, 1, true));
    this.put('extra_info,answer', x.answer, 0, 0, true);
    this.buf.rowCount++;
    this.buf.pageRowCount++;
  }

  private empty(column: (typeof COLUMNS)[number]): void {
    const c = this.buf.columnData[column];
    c.rlevels.push(0);
    c.dlevels.push(0);
    c.count++;
  }

  /** The filled buffer, handed to the writer; the batch starts empty again. */
  take(): ParquetRowBuffer {
    const b = this.buf;
    this.reset();
    return b;
  }
}
