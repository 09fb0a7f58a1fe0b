/**
 * One CSV line into fields (RFC 4180 quoting within the line). The dataset tables have no line breaks inside
 * fields, so each line is parsed alone and the file is streamed line by line; a quote left open is an error.
 */
import type { LineError } from './types';

export function parseCsvLine(text: string): string[] | { error: string } {
  const fields: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    if (i < n && text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return { error: 'a quoted field is not closed on its line' };
        value += text.slice(i, q);
        if (text[q + 1] === '"') {
          value += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      if (i < n && text[i] !== ',') return { error: `text after a closing quote at column ${i + 1}` };
      fields.push(value);
    } else {
      const c = text.indexOf(',', i);
      const end = c < 0 ? n : c;
      fields.push(text.slice(i, end));
      i = end;
    }
    if (i >= n) return fields;
    i++; // the comma
    if (i === n) {
      fields.push('');
      return fields;
    }
  }
}

export interface HeaderIndex {
  /** Column position of each named field. */
  at: Record<string, number>;
  fields: string[];
}

/**
 * Checks a table's first line: every `required` column present (case and surrounding spaces ignored). The error
 * names the file, line 1 and the missing field.
 */
export function checkHeader(file: string, headerLine: string | undefined, required: readonly string[]): HeaderIndex | { error: LineError } {
  if (headerLine === undefined || headerLine.trim() === '') return { error: { file, line: 1, reason: `header: the file is empty; expected the columns ${required.join(',')}` } };
  const parsed = parseCsvLine(headerLine);
  if ('error' in parsed) return { error: { file, line: 1, reason: `header: ${parsed.error}` } };
  const fields = parsed.map((f) => f.trim());
  const lower = fields.map((f) => f.toLowerCase());
  const at: Record<string, number> = {};
  for (const name of required) {
    const k = lower.indexOf(name.toLowerCase());
    if (k < 0) return { error: { file, line: 1, reason: `header: field "${name}" is missing (found ${fields.join(',')}; expected ${required.join(',')})` } };
    at[name] = k;
  }
  return { at, fields };
}

/** A field as a number in [min, max] (integer when asked), or why not. */
export function numberField(raw: string | undefined, name: string, opts: { min?: number; max?: number; integer?: boolean } = {}): number | { error: string } {
  const s = (raw ?? '').trim();
  if (s === '') return { error: `field "${name}" is empty` };
  const v = Number(s);
  if (!Number.isFinite(v) || (opts.integer && !Number.isInteger(v))) return { error: `field "${name}": "${s.slice(0, 40)}" is not ${opts.integer ? 'an integer' : 'a number'}` };
  if ((opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max)) {
    return { error: `field "${name}": ${v} is outside ${opts.min ?? '-∞'}–${opts.max ?? '∞'}` };
  }
  return v;
}
