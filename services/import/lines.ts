/**
 * JSONL read line by line from a stream: memory is bounded by one line (at most maxLineBytes) plus one chunk,
 * whatever the file's size. Longer lines are skipped unread to their newline and reported by number.
 */
import * as fs from 'node:fs';

export type LineEvent = { line: number; text: string } | { line: number; tooLong: number };

const NL = 0x0a;

export async function* readLines(file: string, maxLineBytes: number): AsyncGenerator<LineEvent> {
  let parts: Buffer[] = [];
  let held = 0;
  /** Bytes of the current line when it went over the limit (then its bytes are dropped, only counted). */
  let overflow = -1;
  let line = 0;
  const finish = (): LineEvent => {
    line++;
    if (overflow >= 0) {
      const ev = { line, tooLong: overflow + held };
      overflow = -1;
      parts = [];
      held = 0;
      return ev;
    }
    let buf = parts.length === 1 ? parts[0] : Buffer.concat(parts, held);
    if (buf.length && buf[buf.length - 1] === 0x0d) buf = buf.subarray(0, buf.length - 1);
    let text = buf.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    parts = [];
    held = 0;
    return { line, text };
  };
  const take = (piece: Buffer) => {
    if (piece.length === 0) return;
    if (overflow >= 0) {
      overflow += piece.length;
      return;
    }
    if (held + piece.length > maxLineBytes) {
      overflow = held + piece.length;
      parts = [];
      held = 0;
      return;
    }
    // Copy: a subarray would keep the whole 64 KB chunk alive for a short line.
    parts.push(Buffer.from(piece));
    held += piece.length;
  };
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 64 * 1024 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NL, start);
      if (nl < 0) break;
      take(chunk.subarray(start, nl));
      yield finish();
      start = nl + 1;
    }
    take(chunk.subarray(start));
  }
  if (held > 0 || overflow >= 0) yield finish();
}

/** Counts a file's lines (a last line without its newline counts), streaming: for progress totals. */
export async function countLines(file: string): Promise<number> {
  let n = 0;
  let last = NL;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    for (let at = chunk.indexOf(NL); at >= 0; at = chunk.indexOf(NL, at + 1)) n++;
    if (chunk.length) last = chunk[chunk.length - 1];
  }
  return last === NL ? n : n + 1;
}
