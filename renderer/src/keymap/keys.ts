/** Normalised key strings ("ctrl+shift+enter", "k", "?") from keyboard events, and their display form. */

const MODIFIER_KEYS = new Set(['Control', 'Shift', 'Alt', 'Meta', 'AltGraph', 'CapsLock']);

/** Keys whose printed character already carries Shift, so "shift+" is not added ("?" not "shift+?"). */
function isShiftedSymbol(key: string): boolean {
  return key.length === 1 && !/[a-z0-9 ]/i.test(key);
}

/**
 * Punctuation keys that AU bindings use, by physical key (their US-layout character): with Shift or Alt they arrive
 * as another symbol ("<" for Shift+","), which the AU's Shift (intensity) and Alt (side) bindings would never match.
 * "/" and "=" are left out: "?" and "+" are bindings of their own.
 */
const PUNCTUATION_CODES: Readonly<Record<string, string>> = {
  Comma: ',',
  Period: '.',
  Semicolon: ';',
  Quote: "'",
  BracketLeft: '[',
  BracketRight: ']',
  Backslash: '\\',
  Backquote: '`',
};

/** The normalised key string of an event, or null for a bare modifier press. */
export function eventKey(e: KeyboardEvent | React.KeyboardEvent): string | null {
  if (MODIFIER_KEYS.has(e.key)) return null;
  let key = e.key;
  let physical = false;
  // With Shift, letters arrive upper-cased and digits as symbols; use the physical key instead.
  if (/^Key[A-Z]$/.test(e.code)) key = e.code.slice(3).toLowerCase();
  else if (/^Digit[0-9]$/.test(e.code) && (e.shiftKey || e.altKey)) key = e.code.slice(5);
  else if (PUNCTUATION_CODES[e.code] && (e.shiftKey || e.altKey)) {
    key = PUNCTUATION_CODES[e.code];
    physical = true;
  } else if (key === ' ') key = 'space';
  else if (key.length > 1) key = key.toLowerCase();
  const parts: string[] = [];
  if (e.ctrlKey) parts.push('ctrl');
  if (e.metaKey) parts.push('meta');
  if (e.altKey) parts.push('alt');
  if (e.shiftKey && (physical || !isShiftedSymbol(key))) parts.push('shift');
  parts.push(key);
  return parts.join('+');
}

/** Ctrl and Meta are the same binding for the user: "mod" keys. Meta+Enter matches a Ctrl+Enter binding. */
export function matches(binding: string, pressed: string): boolean {
  if (!binding) return false;
  if (binding === pressed) return true;
  return binding.replace(/(^|\+)ctrl\+/, '$1meta+') === pressed;
}

const LABELS: Record<string, string> = {
  ctrl: 'Ctrl',
  meta: '⌘',
  alt: 'Alt',
  shift: 'Shift',
  enter: 'Enter',
  escape: 'Esc',
  arrowleft: '←',
  arrowright: '→',
  arrowup: '↑',
  arrowdown: '↓',
  space: 'Space',
  backspace: 'Backspace',
  delete: 'Del',
  tab: 'Tab',
};

/** Splits "ctrl+shift+k" into parts; a trailing "+" is the plus key itself. */
export function bindingParts(binding: string): string[] {
  if (binding === '+') return ['+'];
  if (binding.endsWith('++')) return [...binding.slice(0, -2).split('+'), '+'];
  return binding.split('+');
}

export function displayKey(binding: string): string {
  if (!binding) return '—';
  return bindingParts(binding)
    .map((p) => LABELS[p] ?? (p.length === 1 ? p.toUpperCase() : p))
    .join('+');
}

/** True when the keyboard target is a text field, where plain keys type text. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement) return true;
  if (target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'button', 'submit', 'range', 'color'].includes(target.type);
  }
  return false;
}

/** Ctrl/Meta combinations act even while typing; plain keys do not. */
export function isCommandCombo(key: string): boolean {
  return key.startsWith('ctrl+') || key.startsWith('meta+');
}
