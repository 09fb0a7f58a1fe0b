/** The signed-in local profile, as the app shell stores it. */
export const CURRENT_USER_KEY = 'fea.userId';

export function readCurrentUserId(): number | null {
  try {
    const raw = window.localStorage.getItem(CURRENT_USER_KEY);
    if (raw === null) return null;
    const n = Number(JSON.parse(raw));
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}
