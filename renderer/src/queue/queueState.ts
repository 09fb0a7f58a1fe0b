/** The labeling queue (filter + sort) shared by the queue view and the label view, kept across reloads. */
import { useCallback, useSyncExternalStore } from 'react';
import type { RecordFilter, RecordSort } from '../../../contract/api';
import { DEFAULT_RECORD_SORT, type SortDirection } from '../../../contract/types';

export interface QueueSpec {
  filter: RecordFilter;
  sort: RecordSort;
}

const STORAGE_KEY = 'fea.queue';
export const DEFAULT_QUEUE: QueueSpec = { filter: {}, sort: { ...DEFAULT_RECORD_SORT } };

function load(): QueueSpec {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return DEFAULT_QUEUE;
    const parsed = JSON.parse(raw) as QueueSpec;
    return { filter: parsed.filter ?? {}, sort: parsed.sort ?? DEFAULT_QUEUE.sort };
  } catch {
    return DEFAULT_QUEUE;
  }
}

let current: QueueSpec = load();
const listeners = new Set<() => void>();

export function getQueue(): QueueSpec {
  return current;
}

export function setQueue(spec: QueueSpec): void {
  const filter = Object.fromEntries(Object.entries(spec.filter).filter(([, v]) => v !== undefined && v !== '')) as RecordFilter;
  current = { filter, sort: spec.sort };
  localStorage.setItem(STORAGE_KEY, JSON.stringify(current));
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
  const parts = Object.entries(spec.filter).map(([k, v]) => `${k}: ${v}`);
  return `${parts.length ? parts.join(', ') : 'all records'} · ${spec.sort.field} ${spec.sort.dir}`;
}

export function reverseDirection(dir: SortDirection): SortDirection {
  return dir === 'asc' ? 'desc' : 'asc';
}
