/** Hash routes (#/label/<id>, #/queue, …) so a reload keeps the place. */
import { useSyncExternalStore } from 'react';
import { flushSync } from 'react-dom';

export type ViewName = 'label' | 'queue' | 'review' | 'dashboard' | 'training' | 'import' | 'export' | 'settings';
export const VIEWS: { name: ViewName; title: string }[] = [
  { name: 'label', title: 'Label' },
  { name: 'queue', title: 'Queue' },
  { name: 'review', title: 'Review' },
  { name: 'dashboard', title: 'Dashboard' },
  { name: 'training', title: 'Training' },
  { name: 'import', title: 'Import' },
  { name: 'export', title: 'Export' },
  { name: 'settings', title: 'Settings' },
];

export interface Route {
  view: ViewName;
  /** The record id for #/label/<id>. */
  id: string | null;
}

export function parseHash(hash: string): Route {
  const [view, ...rest] = hash.replace(/^#\/?/, '').split('/');
  const known = VIEWS.find((v) => v.name === view);
  if (!known) return { view: 'label', id: null };
  const id = rest.length ? decodeURIComponent(rest.join('/')) : null;
  return { view: known.name, id: known.name === 'label' && id ? id : null };
}

export function routeHash(route: Route): string {
  return route.id ? `#/${route.view}/${encodeURIComponent(route.id)}` : `#/${route.view}`;
}

let current: Route = parseHash(window.location.hash);
const listeners = new Set<() => void>();

function publish(): void {
  const next = parseHash(window.location.hash);
  if (next.view === current.view && next.id === current.id) return;
  current = next;
  for (const l of listeners) l();
}

window.addEventListener('hashchange', publish);
window.addEventListener('popstate', publish);

/**
 * Moves to a route. The new view renders synchronously (flushSync), so the next record is on screen in the
 * same task as the keypress that asked for it; history still gets an entry (or a replacement).
 */
export function navigate(route: Route, replace = false): void {
  const hash = routeHash(route);
  if (window.location.hash === hash) return;
  if (replace) history.replaceState(null, '', hash);
  else history.pushState(null, '', hash);
  flushSync(publish);
}

export function useRoute(): Route {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
}
