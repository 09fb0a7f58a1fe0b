/**
 * Python `str` semantics the Facial-R1 code relies on (`\s` in `re`, `str.strip()`), so that rewards and filters
 * agree with the reference implementation character for character. JavaScript's `\s` and `trim()` differ on
 * U+001C–U+001F and U+0085 (Python whitespace) and U+FEFF (JavaScript whitespace only).
 */
export const PY_WHITESPACE_CLASS = '[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';

const LEADING = new RegExp(`^${PY_WHITESPACE_CLASS}+`);
const TRAILING = new RegExp(`${PY_WHITESPACE_CLASS}+$`);

/** Python's `s.strip()` with no argument. */
export function pyStrip(s: string): string {
  return s.replace(LEADING, '').replace(TRAILING, '');
}
