/** The line-level pieces of the dataset importers: CSV fields, header checks, FERPlus majority, FER2013 pixels. */
import { checkHeader, numberField, parseCsvLine } from '../../pipelines/formats/csv-fields';
import { fer2013Pixels } from '../../pipelines/formats/fer2013';
import { majorityVote } from '../../pipelines/formats/ferplus';
import { alignedName } from '../../pipelines/formats/rafdb';
import { disfaSubject } from '../../pipelines/formats/au-csv';
import { probeImage } from '../../pipelines/formats/image-probe';

test('CSV fields: plain, quoted with commas and doubled quotes, empty, trailing comma; an unclosed quote is an error', () => {
  expect(parseCsvLine('a,b,c')).toEqual(['a', 'b', 'c']);
  expect(parseCsvLine('"x, y","say ""hi""",')).toEqual(['x, y', 'say "hi"', '']);
  expect(parseCsvLine(',,')).toEqual(['', '', '']);
  expect(parseCsvLine('"open,b')).toEqual({ error: 'a quoted field is not closed on its line' });
  expect(parseCsvLine('"a"b,c')).toEqual({ error: 'text after a closing quote at column 4' });
});

test('header check names file, line 1 and the missing field; case and spaces do not matter', () => {
  expect(checkHeader('t.csv', ' Emotion , pixels,usage', ['emotion', 'pixels', 'Usage'])).toEqual({ at: { emotion: 0, pixels: 1, Usage: 2 }, fields: ['Emotion', 'pixels', 'usage'] });
  expect(checkHeader('t.csv', 'emotion,Usage', ['emotion', 'pixels', 'Usage'])).toEqual({
    error: { file: 't.csv', line: 1, reason: 'header: field "pixels" is missing (found emotion,Usage; expected emotion,pixels,Usage)' },
  });
  expect(checkHeader('t.csv', undefined, ['a'])).toMatchObject({ error: { line: 1 } });
  expect(numberField('4.5', 'x', { integer: true })).toEqual({ error: 'field "x": "4.5" is not an integer' });
});

test('FERPlus majority: the top class, ties and all-zero rows are "tie"', () => {
  expect(majorityVote({ happiness: 6, neutral: 4 })).toBe('happiness');
  expect(majorityVote({ unknown: 6, NF: 4 })).toBe('unknown');
  expect(majorityVote({ happiness: 4, contempt: 4, unknown: 2 })).toBe('tie');
  expect(majorityVote({})).toBe('tie');
});

test('FER2013 pixels: 2304 values 0–255 become a 48×48 grayscale PNG; anything else is refused by field', async () => {
  const png = fer2013Pixels(Array.from({ length: 2304 }, (_, k) => k % 256).join(' '));
  expect(Buffer.isBuffer(png)).toBe(true);
  expect(await probeImage(png as Buffer)).toMatchObject({ format: 'png', width: 48, height: 48 });
  expect(fer2013Pixels('1 2 3')).toEqual({ error: 'field "pixels": 3 values, expected 2304 (48×48)' });
  expect(fer2013Pixels(`${'0 '.repeat(2303)}256`)).toEqual({ error: 'field "pixels": value 2304 ("256") is not an integer 0–255' });
});

test('RAF-DB aligned names and DISFA subjects', () => {
  expect(alignedName('train_00001.jpg')).toBe('train_00001_aligned.jpg');
  expect(disfaSubject('SN003/0001.png')).toBe('SN003');
  expect(disfaSubject('frames/sn012_0001.png')).toBe('SN012');
  expect(disfaSubject('other/0001.png')).toBeNull();
});
