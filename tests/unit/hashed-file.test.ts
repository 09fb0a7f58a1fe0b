/** The export's hashed file: bytes and texts of any size, across its 1 MB buffer, land in order with their sha256 and size. */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HashedFile } from '../../services/export/hashed-file';
import { tempDir } from '../support/facial-r1';

test('small and large parts, text and bytes, multi-byte characters at the buffer edge', () => {
  const file = path.join(tempDir(), 'out.jsonl');
  const f = new HashedFile(file);
  const expected: Buffer[] = [];
  const put = (p: string | Buffer) => {
    expected.push(typeof p === 'string' ? Buffer.from(p, 'utf8') : p);
    if (typeof p === 'string') f.text(p);
    else f.bytes(p);
  };
  const prompt = Buffer.from('### Prompt ✓ 😀 '.repeat(70), 'utf8');
  for (let i = 0; i < 3000; i++) {
    put(prompt);
    put(`{"id":"r${i}","é":"${'ü'.repeat(i % 50)}😀"}\n`);
  }
  put('x'.repeat(1.5 * (1 << 20)));
  put(Buffer.alloc(3 << 20, 7));
  put('end ✓\n');
  const sha = f.finish();
  const data = fs.readFileSync(file);
  const want = Buffer.concat(expected);
  expect(data.equals(want)).toBe(true);
  expect(f.bytesWritten).toBe(want.length);
  expect(sha).toBe(createHash('sha256').update(want).digest('hex'));
});
