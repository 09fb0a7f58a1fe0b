/**
 * Bounds on imported fields. Every record id rides on events, lists and URLs, and questions and reasoning are
 * returned whole by records.get, so one careless line must not make every later call heavy.
 */

/** Record ids, in characters (code points). */
export const MAX_ID_CHARS = 256;
/** Question and reasoning (description), in UTF-8 bytes. */
export const MAX_TEXT_BYTES = 64 * 1024;
/**
 * A JSONL line, in UTF-8 bytes: room for a question and a description at their limits even when every character
 * is written as a \uXXXX escape, plus meta_info. Longer lines are refused unread, so memory stays bounded.
 */
export const MAX_LINE_BYTES = 1024 * 1024;

/** Why an id is refused, or null when it is within bounds. */
export function idTooLong(id: string): string | null {
  // Code points: a string's length counts UTF-16 units, which splits emoji in two (and is never smaller).
  if (id.length <= MAX_ID_CHARS) return null;
  const n = Array.from(id).length;
  return n > MAX_ID_CHARS ? `id is ${n} characters, over the ${MAX_ID_CHARS}-character limit` : null;
}

/** Why a text field is refused, or null when it is within bounds. */
export function textTooLong(field: string, text: string): string | null {
  // Cheap reject first: UTF-8 takes at most 3 bytes per UTF-16 unit.
  if (text.length * 3 <= MAX_TEXT_BYTES) return null;
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes > MAX_TEXT_BYTES ? `${field} is ${bytes} bytes, over the ${MAX_TEXT_BYTES}-byte (64 KB) limit` : null;
}
