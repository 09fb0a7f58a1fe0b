import { displayKey } from '../keymap/keys';

/** A key hint chip. */
export function Kbd({ k, className }: { k: string; className?: string }) {
  if (!k) return null;
  return <kbd className={className}>{displayKey(k)}</kbd>;
}
