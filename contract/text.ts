/**
 * Text that is not what it seems, refused at the boundary: ill-formed UTF-16 (a lone surrogate is stored as
 * invalid UTF-8 and read back altered), and profile names that hide or disguise what they say.
 */
import { z } from 'zod';

/** With the `u` flag a surrogate range matches only unpaired halves: a valid pair is one code point. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export function isWellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

/**
 * The path of the first ill-formed string (a value or an object key) in a decoded JSON input, or null.
 * dispatch runs it on every call, so every string field of every method shares the one rule.
 */
export function illFormedPath(value: unknown, at: (string | number)[] = []): (string | number)[] | null {
  if (typeof value === 'string') return isWellFormed(value) ? null : at;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = illFormedPath(value[i], [...at, i]);
      if (p) return p;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (!isWellFormed(k)) return [...at, k];
      const p = illFormedPath(v, [...at, k]);
      if (p) return p;
    }
  }
  return null;
}

export const PROFILE_NAME_MAX = 64;

/** C0, DEL and C1 controls (NUL, ESC, newline…). */
const CONTROL = /\p{Cc}/u;
/** Bidi embeddings, overrides and isolates, and the invisible direction marks: `ann\u202Enimda` shows as "annadmin". */
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
/** What draws nothing: format characters (zero-width space/joiners, BOM…), separators, whitespace, combining marks alone. */
const INVISIBLE = /[\p{Cf}\p{Z}\s\p{M}\u115F\u1160\u3164\uFFA0]/gu;

export type NameCheck = { ok: true; name: string } | { ok: false; reason: string };

/** A profile name: trimmed, NFC-normalised (so NFC/NFD twins are one user), with something visible and nothing disguising. */
export function checkProfileName(raw: string): NameCheck {
  if (!isWellFormed(raw)) return { ok: false, reason: 'contains an unpaired surrogate (ill-formed UTF-16)' };
  const name = raw.normalize('NFC').trim();
  if (CONTROL.test(name)) return { ok: false, reason: 'contains a control character' };
  if (BIDI_CONTROL.test(name)) return { ok: false, reason: 'contains a bidirectional override, isolate or mark' };
  if (name.replace(INVISIBLE, '') === '') return { ok: false, reason: 'has no visible character' };
  if (name.length > PROFILE_NAME_MAX) return { ok: false, reason: `is longer than ${PROFILE_NAME_MAX} characters` };
  return { ok: true, name };
}

export const ProfileNameSchema = z.string().transform((raw, ctx) => {
  const c = checkProfileName(raw);
  if (c.ok) return c.name;
  ctx.addIssue({ code: 'custom', message: `name ${c.reason}` });
  return z.NEVER;
});

const TERMINAL_UNSAFE = /[\p{Cc}\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]|[\uD800-\uDFFF]/gu;

/**
 * User-controlled text made safe for a terminal or a log line: controls (ESC, CR, LF, NUL…), bidi controls,
 * zero-width characters and lone surrogates become visible `\u{…}` escapes, so no line can be forged or recoloured.
 */
export function escapeForTerminal(s: string): string {
  return s.replace(TERMINAL_UNSAFE, (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`);
}
