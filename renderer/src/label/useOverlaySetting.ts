/** Whether the analysis overlay is shown: one setting for the key and the button, kept across reloads. */
import { useCallback, useEffect, useState } from 'react';

const OVERLAY_KEY = 'fea.overlay';

export function useOverlaySetting(): [boolean, () => void] {
  const [overlay, setOverlay] = useState(() => localStorage.getItem(OVERLAY_KEY) === '1');
  useEffect(() => localStorage.setItem(OVERLAY_KEY, overlay ? '1' : '0'), [overlay]);
  const toggle = useCallback(() => setOverlay((o) => !o), []);
  return [overlay, toggle];
}
