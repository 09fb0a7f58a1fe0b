/** The labeling queue (filter + sort) shared by the queue view and the label view, kept across reloads. */
import { useCallback, useSyncExternalStore } from 'react';
import type { RecordFilter, RecordSort } from '../../../contract/api';
import type { RecordSortField, SortDirection } from '../../../contract/types';
import { parseHash } from '../shell/route';

export interface QueueSpec {
  filter: RecordFilter;
  sort: RecordSort;
}

const STORAGE_KEY = 'fea.queue';
/** A new labeler's queue is a to-do list: unlabeled records, then weak ones. */
export const DEFAULT_QUEUE: QueueSpec = { filter: {}, sort: { field: 'todo', dir: 'asc' } };

/** The orders the label view offers in one step: a short name for the menu, and what it means. */
export const QUEUE_ORDERS: { field: RecordSortField; short: string; title: string }[] = [
  { field: 'todo', short: 'to do', title: 'to do (unlabeled, then weak)' },
  { field: 'uncertain', short: 'uncertain first', title: 'uncertain first (to do, least sure suggestion first)' },
  { field: 'id', short: 'by id', title: 'by id' },
];

function parse(raw: string | null): QueueSpec | null {
  try {
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<QueueSpec>;
    return { filter: parsed.filter ?? {}, sort: parsed.sort ?? DEFAULT_QUEUE.sort };
  } catch {
    return null;
  }
}

/**
 * The queue at start: a reload keeps this tab's queue (`tab`, session storage). A new tab or window keeps the last
 * visit's queue (`last`), except that one opened on a record's URL (a link, a bookmark) starts without the old
 * filter: that record may not be in it, and "next" would silently continue in a queue nobody chose this time.
 */
export function loadQueue(saved: { tab: string | null; last: string | null }, hash: string): QueueSpec {
  const tab = parse(saved.tab);
  if (tab) return tab;
  const spec = parse(saved.last) ?? DEFAULT_QUEUE;
  const route = parseHash(hash);
  return route.view === 'label' && route.id ? { filter: {}, sort: spec.sort } : spec;
}

let current: QueueSpec = loadQueue({ tab: sessionStorage.getItem(STORAGE_KEY), last: localStorage.getItem(STORAGE_KEY) }, window.location.hash);
const listeners = new Set<() => void>();

export function getQueue(): QueueSpec {
  return current;
}

export function setQueue(spec: QueueSpec): void {
  const filter = Object.fromEntries(Object.entries(spec.filter).filter(([, v]) => v !== undefined && v !== '')) as RecordFilter;
  current = { filter, sort: spec.sort };
  localStorage.setItem(STORAGE_KEY, JSON.stringify(current));
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(current));
  for (const l of listeners) l();
}

export function useQueue(): [QueueSpec, (spec: QueueSpec) => void] {
  const spec = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
  return [spec, useCallback((s: QueueSpec) => setQueue(s), [])];
}

export function queueKey(spec: QueueSpec): string {
  return JSON.stringify(spec);
}

export function describeQueue(spec: QueueSpec): string {
  return `${describeFilter(spec)} · ${describeOrder(spec)}`;
}

export function describeFilter(spec: QueueSpec): string {
  const parts = Object.entries(spec.filter).map(([k, v]) => `${k}: ${v}`);
  return parts.length ? parts.join(', ') : 'all records';
}

export function describeOrder(spec: QueueSpec): string {
  const named = spec.sort.dir === 'asc' ? QUEUE_ORDERS.find((o) => o.field === spec.sort.field) : undefined;
  if (named && named.field !== 'id') return named.title;
  return `${spec.sort.field} ${spec.sort.dir}`;
}

export function reverseDirection(dir: SortDirection): SortDirection {
  return dir === 'asc' ? 'desc' : 'asc';
}
