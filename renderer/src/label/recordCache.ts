/**
 * Details, images and next-ids prefetched ahead of the annotator, so submit → next shows at once.
 * Entries are short-lived and dropped on records.changed, so a cached record is never stale for long.
 */
import type { ApiClient } from '../../../contract/api';
import type { RecordDetail } from '../../../contract/types';
import { queueKey, reverseDirection, type QueueSpec } from '../queue/queueState';

const DETAIL_TTL_MS = 60_000;
const NEXT_TTL_MS = 15_000;
const MAX_IMAGES = 24;

interface Entry<T> {
  at: number;
  value?: T;
  promise: Promise<T>;
}

export class RecordCache {
  private details = new Map<string, Entry<RecordDetail>>();
  private nexts = new Map<string, Entry<string[]>>();
  private images = new Map<string, HTMLImageElement>();

  constructor(
    private readonly api: ApiClient,
    private readonly mediaUrl: (key: string) => string,
  ) {}

  private detailKey(id: string, userId: number): string {
    return `${userId}:${id}`;
  }

  /** The cached detail, if fresh and already resolved. */
  peek(id: string, userId: number): RecordDetail | undefined {
    const e = this.details.get(this.detailKey(id, userId));
    return e && e.value && Date.now() - e.at < DETAIL_TTL_MS ? e.value : undefined;
  }

  get(id: string, userId: number, fresh = false): Promise<RecordDetail> {
    const key = this.detailKey(id, userId);
    const e = this.details.get(key);
    if (!fresh && e && Date.now() - e.at < DETAIL_TTL_MS) return e.promise;
    const entry: Entry<RecordDetail> = { at: Date.now(), promise: this.api['records.get']({ id, userId }) };
    entry.promise.then(
      (v) => {
        entry.value = v;
        this.warmImage(v.image.key);
      },
      () => this.details.get(key) === entry && this.details.delete(key),
    );
    this.details.set(key, entry);
    return entry.promise;
  }

  /** The ids after `afterId` in the queue (forward) or before it (backward, by reversing the sort). */
  nextIds(spec: QueueSpec, afterId: string | null, count: number, backward = false): Promise<string[]> {
    const sort = backward ? { ...spec.sort, dir: reverseDirection(spec.sort.dir) } : spec.sort;
    const key = `${queueKey({ filter: spec.filter, sort })}|${afterId}|${count}`;
    const e = this.nexts.get(key);
    if (e && Date.now() - e.at < NEXT_TTL_MS) return e.promise;
    const entry: Entry<string[]> = {
      at: Date.now(),
      promise: this.api['queue.next']({ filter: spec.filter, sort, afterId, count }).then((r) => r.ids),
    };
    entry.promise.then(
      (v) => (entry.value = v),
      () => this.nexts.get(key) === entry && this.nexts.delete(key),
    );
    this.nexts.set(key, entry);
    return entry.promise;
  }

  /** Fetches the details and images of `ids` in the background. */
  prefetch(ids: string[], userId: number): void {
    for (const id of ids) this.get(id, userId).catch(() => undefined);
  }

  /** True when the image is already decoded in this document, so an <img> with its URL shows at once. */
  imageReady(key: string): boolean {
    const img = this.images.get(this.mediaUrl(key));
    return !!img && img.complete && img.naturalWidth > 0;
  }

  warmImage(key: string): void {
    const src = this.mediaUrl(key);
    if (this.images.has(src)) return;
    const img = new Image();
    img.decoding = 'async';
    img.src = src;
    this.images.set(src, img);
    if (this.images.size > MAX_IMAGES) this.images.delete(this.images.keys().next().value!);
  }

  /** Forget records' details (after a draft save, or a records.changed event). */
  forget(ids: string[]): void {
    for (const key of [...this.details.keys()]) if (ids.includes(key.slice(key.indexOf(':') + 1))) this.details.delete(key);
  }

  /** Forget every record's details: a records.changed event too large to name its ids. */
  forgetAll(): void {
    this.details.clear();
  }

  /** Forget records and any next-id lists: after a submit, skip or undo the queue itself moved. */
  invalidate(ids: string[]): void {
    this.forget(ids);
    this.nexts.clear();
  }
}

const caches = new WeakMap<ApiClient, RecordCache>();

export function recordCacheFor(api: ApiClient, mediaUrl: (key: string) => string): RecordCache {
  let c = caches.get(api);
  if (!c) {
    c = new RecordCache(api, mediaUrl);
    caches.set(api, c);
  }
  return c;
}
