/** The queue: filters, sort, a search over ids, subjects and file names, a virtualized list over records.query; Enter opens the label view. */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useRef, useState } from 'react';
import type { RecordFilter } from '../../../contract/api';
import { RECORD_SORT_FIELDS, type RecordRow, type RecordSortField, type SplitSummary } from '../../../contract/types';
import { RECORD_STATUSES } from '../../../pipelines/facs/vocabulary';
import { useApi, useMediaUrl } from '../api/ApiContext';
import { relativeTime } from '../label/time';
import { useSession } from '../session/SessionContext';
import { navigate } from '../shell/route';
import { usePagedRows } from './pagedRows';
import { queueKey, reverseDirection, useQueue, type QueueSpec } from './queueState';
import { countOf } from '../components/plural';

const ROW_HEIGHT = 42;

export function QueueView() {
  const api = useApi();
  const { info } = useSession();
  const [spec, setSpec] = useQueue();
  const rows = usePagedRows(api, spec);
  const [sources, setSources] = useState<{ sources: string[]; authors: string[] }>({ sources: [], authors: [] });
  const [splits, setSplits] = useState<SplitSummary[]>([]);
  const [selected, setSelected] = useState(0);
  const [search, setSearch] = useState(spec.filter.search ?? '');
  const scrollRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    api['records.sources']({}).then(setSources, () => undefined);
    api['splits.list']({}).then((s) => setSplits(s.splits), () => undefined);
  }, [api]);

  // The search waits for a pause in typing.
  useEffect(() => {
    if ((spec.filter.search ?? '') === search) return;
    const t = setTimeout(() => setSpec({ ...spec, filter: { ...spec.filter, search: search || undefined } }), 250);
    return () => clearTimeout(t);
  }, [search, spec, setSpec]);

  const total = rows.total ?? 0;
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;
  const { ensure } = rows;
  // While the list flies past (scrollbar drag), only the rows it stops on are fetched.
  useEffect(() => {
    const t = setTimeout(() => ensure(first, last), 40);
    return () => clearTimeout(t);
  }, [first, last, ensure, total]);

  // The keys (/, ↑↓, Enter) work on arrival: the list has the focus, not the page body.
  useEffect(() => {
    if (!(document.activeElement instanceof HTMLInputElement)) scrollRef.current?.focus({ preventScroll: true });
  }, []);

  // Another queue starts at its top.
  const specKey = queueKey(spec);
  useEffect(() => {
    setSelected(0);
    virtualizer.scrollToIndex(0);
  }, [specKey, virtualizer]);

  const setFilter = (patch: Partial<RecordFilter>) => setSpec({ ...spec, filter: { ...spec.filter, ...patch } });
  const open = (row: RecordRow | undefined) => row && navigate({ view: 'label', id: row.id });
  const onRowClick = useCallback((index: number, row: RecordRow | undefined) => {
    setSelected(index);
    if (row) navigate({ view: 'label', id: row.id });
  }, []);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.target instanceof HTMLSelectElement) return;
    if (e.target instanceof HTMLInputElement) {
      if (e.key === 'ArrowDown' || e.key === 'Enter') {
        e.preventDefault();
        scrollRef.current?.focus();
      }
      return;
    }
    const move = (to: number) => {
      const i = Math.max(0, Math.min(total - 1, to));
      setSelected(i);
      virtualizer.scrollToIndex(i);
    };
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 500) / ROW_HEIGHT) - 1);
    if (e.key === 'ArrowDown' || e.key === 'j') move(selected + 1);
    else if (e.key === 'ArrowUp' || e.key === 'k') move(selected - 1);
    else if (e.key === 'PageDown') move(selected + page);
    else if (e.key === 'PageUp') move(selected - page);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(total - 1);
    else if (e.key === 'Enter') open(rows.row(selected));
    else if (e.key === '/') searchRef.current?.focus();
    else return;
    e.preventDefault();
  };

  const splitValue = spec.filter.split ? `${spec.filter.split}\u0000${spec.filter.part ?? ''}` : '';

  return (
    <div className="queue-view" data-testid="queue-view" onKeyDown={onKeyDown}>
      <div className="filters">
        <input
          ref={searchRef}
          className="search"
          data-testid="queue-search"
          placeholder="Search id, subject, file  ( / )"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <Select label="Status" testId="filter-status" value={spec.filter.status ?? ''} options={RECORD_STATUSES} onChange={(v) => setFilter({ status: v || undefined })} />
        <Select label="Emotion" testId="filter-emotion" value={spec.filter.emotion ?? ''} options={info.emotions} onChange={(v) => setFilter({ emotion: v || undefined })} />
        <Select label="AU" testId="filter-au" value={spec.filter.au ?? ''} options={info.aus.map((a) => a.au)} labels={Object.fromEntries(info.aus.map((a) => [a.au, `${a.au} ${a.name}`]))} onChange={(v) => setFilter({ au: v || undefined })} />
        <Select label="Source" testId="filter-source" value={spec.filter.source ?? ''} options={sources.sources} onChange={(v) => setFilter({ source: v || undefined })} />
        <Select
          label="Split"
          testId="filter-split"
          value={splitValue}
          options={splits.flatMap((s) => Object.keys(s.parts).map((p) => `${s.name}\u0000${p}`))}
          labels={Object.fromEntries(splits.flatMap((s) => Object.entries(s.parts).map(([p, v]) => [`${s.name}\u0000${p}`, `${s.name} / ${p} (${v.n})`])))}
          onChange={(v) => {
            const [split, part] = v ? v.split('\u0000') : [undefined, undefined];
            setFilter({ split, part });
          }}
        />
        <Select label="Author" testId="filter-author" value={spec.filter.author ?? ''} options={sources.authors} onChange={(v) => setFilter({ author: v || undefined })} />
        <Select
          label="Skipped"
          testId="filter-skipped"
          value={spec.filter.skipped === undefined ? '' : spec.filter.skipped ? 'yes' : 'no'}
          options={SKIPPED_CHOICES}
          labels={{ yes: 'skipped', no: 'not skipped' }}
          onChange={(v) => setFilter({ skipped: v === '' ? undefined : v === 'yes' })}
        />
        <span className="grow" />
        <label className="sort">
          Sort
          <select data-testid="sort-field" value={spec.sort.field} onChange={(e) => setSpec({ ...spec, sort: { ...spec.sort, field: e.target.value as RecordSortField } })}>
            {RECORD_SORT_FIELDS.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
          <button type="button" className="small" data-testid="sort-dir" onClick={() => setSpec({ ...spec, sort: { ...spec.sort, dir: reverseDirection(spec.sort.dir) } })}>
            {spec.sort.dir === 'asc' ? '↑ asc' : '↓ desc'}
          </button>
        </label>
        {Object.keys(spec.filter).length > 0 && (
          <button
            type="button"
            className="small"
            onClick={() => {
              setSearch('');
              setSpec({ filter: {}, sort: spec.sort });
            }}
          >
            Clear filters
          </button>
        )}
      </div>
      <div className="queue-summary">
        <span data-testid="queue-total">{rows.total === null ? 'loading…' : countOf(rows.total, 'record')}</span>
        {rows.error && <span className="error-text">{rows.error}</span>}
        <span className="grow" />
        <button type="button" className="small primary" disabled={!total} onClick={() => navigate({ view: 'label', id: null })} data-testid="queue-start">
          Label this queue
        </button>
        <span className="muted">↑↓ move · Enter open · / search</span>
      </div>
      <div className="queue-head">
        <span className="c-thumb" />
        <span className="c-id">id</span>
        <span className="c-status">status</span>
        <span className="c-emotion">emotion</span>
        <span className="c-aus">AUs</span>
        <span className="c-source">source</span>
        <span className="c-author">author</span>
        <span className="c-updated">updated</span>
      </div>
      <div className="queue-list" ref={scrollRef} tabIndex={0} data-testid="queue-list">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => (
            <QueueRow
              key={item.key}
              index={item.index}
              top={item.start}
              row={rows.row(item.index)}
              selected={item.index === selected}
              onClick={onRowClick}
            />
          ))}
        </div>
        {rows.total === 0 && <div className="empty-list muted">No records match these filters.</div>}
      </div>
    </div>
  );
}

const QueueRow = memo(function QueueRow({ index, top, row, selected, onClick }: { index: number; top: number; row: RecordRow | undefined; selected: boolean; onClick(index: number, row: RecordRow | undefined): void }) {
  const mediaUrl = useMediaUrl();
  return (
    <div
      className={`queue-row${selected ? ' selected' : ''}${row ? '' : ' placeholder'}`}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      data-testid="queue-row"
      data-index={index}
      data-record-id={row?.id}
      onClick={() => onClick(index, row)}
    >
      <span className="c-thumb">{row && <img src={mediaUrl(row.imageKey)} loading="lazy" decoding="async" alt="" />}</span>
      <span className="c-id">{row?.id ?? '…'}</span>
      <span className="c-status">{row && <span className={`status status-${row.status}`}>{row.status}</span>}</span>
      <span className="c-emotion">{row?.emotion ?? ''}</span>
      <span className="c-aus">{row?.aus.join(' ')}</span>
      <span className="c-source">{row?.source ?? ''}</span>
      <span className="c-author">{row?.author ?? ''}</span>
      <span className="c-updated" title={row?.updatedAt ?? ''}>
        {row?.updatedAt ? relativeTime(row.updatedAt) : ''}
      </span>
    </div>
  );
});

const SKIPPED_CHOICES = ['yes', 'no'] as const;

/** A filter picker; "" is "any". */
function Select<T extends string>({ label, testId, value, options, labels, onChange }: { label: string; testId: string; value: T | ''; options: readonly T[]; labels?: Record<string, string>; onChange(v: T | ''): void }) {
  return (
    <label className={`filter${value ? ' active' : ''}`}>
      {label}
      <select data-testid={testId} value={value} onChange={(e) => onChange(e.target.value as T | '')}>
        <option value="">any</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {labels?.[o] ?? o}
          </option>
        ))}
      </select>
    </label>
  );
}

export type { QueueSpec };
