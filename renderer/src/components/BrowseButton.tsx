/** "Browse…" beside a path field: Electron's open dialog; absent in server mode, where the path is typed. */
import type { PickKind } from '../../../contract/transport';
import { pathPicker, type PathPicker } from '../api/pathPicker';

export function BrowseButton({ kind, onPick, picker = pathPicker(), testId }: { kind: PickKind; onPick(path: string): void; picker?: PathPicker | null; testId?: string }) {
  if (!picker) return null;
  return (
    <button type="button" className="dt-btn" onClick={() => void picker(kind).then((p) => p && onPick(p))} data-testid={testId}>
      Browse…
    </button>
  );
}
