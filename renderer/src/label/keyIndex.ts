/** Pressed key → action, from a keymap: AU keys also claim Shift (intensity) and Alt (side). */
import { derivedKeys, type Keymap } from '../keymap/keymap';

export function buildKeyIndex(keymap: Keymap): Map<string, string> {
  const index = new Map<string, string>();
  const put = (key: string, action: string) => {
    if (!key || index.has(key)) return;
    index.set(key, action);
    // Meta stands in for Ctrl (macOS).
    if (key.startsWith('ctrl+')) index.set(`meta+${key.slice(5)}`, action);
  };
  for (const [action, key] of Object.entries(keymap)) put(key, action);
  for (const [action, key] of Object.entries(keymap)) {
    if (!action.startsWith('au.')) continue;
    const au = action.slice(3);
    const [shift, alt] = derivedKeys(action, key);
    if (shift) put(shift, `intensity.${au}`);
    if (alt) put(alt, `side.${au}`);
  }
  return index;
}
