/** Stored JSON is read with its schema: what does not fit reads as null and is reported once per place, never cast. */
import { z } from 'zod';
import { parseStored } from '../../db/repositories/statements';

const Marks = z.array(z.object({ au: z.string().regex(/^AU\d+$/) }));

test('a value that fits is returned as parsed; absent text is null without a word', () => {
  const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    expect(parseStored(Marks, '[{"au":"AU12","extra":1}]', 'test marks a', 'r0')).toEqual([{ au: 'AU12' }]);
    expect(parseStored(Marks, null, 'test marks a')).toBeNull();
    expect(parseStored(Marks, '', 'test marks a')).toBeNull();
    expect(write).not.toHaveBeenCalled();
  } finally {
    write.mockRestore();
  }
});

test('not JSON, or JSON of another shape, reads as null; the first of each kind is reported, naming its row and field', () => {
  const lines: string[] = [];
  const write = jest.spyOn(process.stderr, 'write').mockImplementation((s) => (lines.push(String(s)), true));
  try {
    expect(parseStored(Marks, '[{"au":"smile"}]', 'AUs', 'record r1')).toBeNull();
    expect(parseStored(Marks, '[{"au":"frown"}]', 'AUs', 'record r9')).toBeNull(); // the same kind: not reported again
    expect(parseStored(Marks, '{not json', 'draft', 'r2')).toBeNull();
  } finally {
    write.mockRestore();
  }
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/stored AUs of record r1 does not fit its schema \(field 0\.au: .*further ones are not reported/);
  expect(lines[1]).toMatch(/stored draft of r2 is not JSON/);
});
