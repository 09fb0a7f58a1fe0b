import * as fs from 'node:fs';
import * as path from 'node:path';
import { countLines, readLines, type LineEvent } from '../../services/import/lines';
import { tempDir } from '../support/facial-r1';

async function all(file: string, max: number): Promise<LineEvent[]> {
  const out: LineEvent[] = [];
  for await (const ev of readLines(file, max)) out.push(ev);
  return out;
}

describe('JSONL line reader', () => {
  test('splits on \\n and \\r\\n, drops BOMs, keeps a last line without newline, and counts the same lines', async () => {
    const file = path.join(tempDir(), 'a.jsonl');
    fs.writeFileSync(file, '\uFEFFone\r\ntwo\n\nthré€\nlast');
    expect(await all(file, 100)).toEqual([
      { line: 1, text: 'one' },
      { line: 2, text: 'two' },
      { line: 3, text: '' },
      { line: 4, text: 'thré€' },
      { line: 5, text: 'last' },
    ]);
    expect(await countLines(file)).toBe(5);
    fs.writeFileSync(file, 'a\nb\n');
    expect(await countLines(file)).toBe(2);
    fs.writeFileSync(file, '');
    expect(await all(file, 100)).toEqual([]);
    expect(await countLines(file)).toBe(0);
  });

  test('a line over the limit, even across many chunks, is reported by number and size and never held', async () => {
    const file = path.join(tempDir(), 'long.jsonl');
    const long = 'x'.repeat(5 * 64 * 1024 + 17);
    fs.writeFileSync(file, `short\n${long}\nafter\n${'y'.repeat(101)}`);
    expect(await all(file, 100)).toEqual([
      { line: 1, text: 'short' },
      { line: 2, tooLong: long.length },
      { line: 3, text: 'after' },
      { line: 4, tooLong: 101 },
    ]);
  });
});
