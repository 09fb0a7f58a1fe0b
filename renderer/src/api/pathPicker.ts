/** Electron's open dialog, where the preload offers one; null in server mode (there the user types the path). */
import type { PickKind } from '../../../contract/transport';

export type PathPicker = (kind: PickKind) => Promise<string | null>;

export function pathPicker(): PathPicker | null {
  const bridge = typeof window === 'undefined' ? undefined : window.feaBridge;
  if (!bridge || typeof bridge.pickPath !== 'function') return null;
  return (kind) => bridge.pickPath(kind);
}
