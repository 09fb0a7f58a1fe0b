/** Hash routes (#/label/<id>, #/queue, …) so a reload keeps the place. */
import { useEffect, useState } from 'react';

export type ViewName = 'label' | 'queue' | 'dashboard' | 'training' | 'settings';
export const VIEWS: { name: ViewName; title: string }[] = [
  { name: 'label', title: 'Label' },
  { name: 'queue', title: 'Queue' },
  { name: 'dashboard', title: 'Dashboard' },
  { name: 'training', title: 'Training' },
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

export function navigate(route: Route, replace = false): void {
  const hash = routeHash(route);
  if (window.location.hash === hash) return;
  if (replace) {
    history.replaceState(null, '', hash);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = hash;
  }
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
