import { displayKey } from '../keymap/keys';

/** A key hint chip; an unbound action shows a dash when `placeholder` is set, nothing otherwise. */
export function Kbd({ k, className, placeholder }: { k: string | undefined; className?: string; placeholder?: boolean }) {
  if (!k) return placeholder ? <kbd className={`unbound ${className ?? ''}`}>—</kbd> : null;
  return <kbd className={className}>{displayKey(k)}</kbd>;
}
