/** Export: a snapshot (or the current labels) and a split, previewed; engine formats into a folder, as a job; then the datasheet. */
import type { ExportDatasheet, ExportPreview, SplitLeakPair } from '../../../contract/types';
import { ENGINE_FORMATS } from '../../../contract/training-choices';
import { useApi, useMediaUrl } from '../api/ApiContext';
import { ChartCard, EmptyState, ErrorBanner } from '../charts/ChartCard';
import { BrowseButton } from '../components/BrowseButton';
import { readCurrentUserId } from '../dashboard/currentUser';
import { EmotionChart } from '../dashboard/EmotionChart';
import { useExport, type ExportRun } from './useExport';
import '../charts/charts.css';
import './export.css';

function PartsTable({ sheet, testId }: { sheet: ExportDatasheet; testId: string }) {
  const emotions = Object.keys(sheet.byEmotion);
  const parts = Object.entries(sheet.parts);
  return (
    <table className="dt-table" data-testid={testId}>
      <thead>
        <tr>
          <th>part</th>
          <th>records</th>
          {emotions.map((e) => (
            <th key={e}>{e}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {parts.map(([p, c]) => (
          <tr key={p} data-part={p}>
            <td>{p}</td>
            <td>{c.n}</td>
            {emotions.map((e) => (
              <td key={e}>{c.byEmotion[e] ?? 0}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function LeakPairs({ pairs, images }: { pairs: SplitLeakPair[]; images: Record<string, string> }) {
  const mediaUrl = useMediaUrl();
  const thumb = (id: string, part: string) => (
    <figure className="ex-thumb">
      {images[id] ? <img src={mediaUrl(images[id])} alt={`record ${id}`} loading="lazy" /> : <div className="ex-thumb__none">no image</div>}
      <figcaption>
        <code>{id}</code> · {part}
      </figcaption>
    </figure>
  );
  return (
    <div className="ex-pairs" data-testid="export-leak-pairs">
      {pairs.slice(0, 12).map((p) => (
        <div className="ex-pair" key={`${p.a}|${p.b}`} data-testid="export-leak-pair">
          {thumb(p.a, p.partA)}
          {thumb(p.b, p.partB)}
          <span className="dt-muted">distance {p.distance}</span>
        </div>
      ))}
    </div>
  );
}

function Preview({ preview }: { preview: ExportPreview }) {
  const { datasheet: sheet, leakage } = preview;
  const pairs = leakage ? [...leakage.examples.exactDuplicates, ...leakage.examples.nearDuplicates] : [];
  return (
    <>
      <ChartCard title="Parts" subtitle={`${sheet.records} records`} testId="export-preview">
        {sheet.records === 0 ? <EmptyState title="Nothing to export">No labeled records in this selection.</EmptyState> : <PartsTable sheet={sheet} testId="export-preview-parts" />}
        <EmotionChart byEmotion={sheet.byEmotion} emotions={sheet.vocabulary.emotions} />
      </ChartCard>
      <ChartCard title="Leakage" subtitle={leakage ? `pHash distance ≤ ${leakage.nearDupThreshold}` : undefined} testId="export-leakage">
        {!sheet.split ? (
          <span className="dt-muted">No split chosen: no leakage report.</span>
        ) : !leakage ? (
          <span className="dt-muted">This split was made before the leakage report existed.</span>
        ) : (
          <>
            <table className="dt-table" data-testid="export-leakage-table">
              <tbody>
                <tr>
                  <th>shared subjects</th>
                  <td>{leakage.sharedSubjects}</td>
                  <th>exact duplicate pairs</th>
                  <td>{leakage.exactDuplicatePairs}</td>
                  <th>near-duplicate pairs</th>
                  <td data-testid="export-near-dups">{leakage.nearDuplicatePairs}</td>
                  <th>unhashed</th>
                  <td>{leakage.unhashed}</td>
                </tr>
              </tbody>
            </table>
            {pairs.length ? <LeakPairs pairs={pairs} images={preview.images} /> : <span className="dt-muted">No duplicate pairs across parts.</span>}
          </>
        )}
      </ChartCard>
    </>
  );
}

/** A two-column table: a name and its record count. */
function CountTable({ label, rows }: { label: string; rows: [string, number][] }) {
  return (
    <table className="dt-table">
      <thead>
        <tr>
          <th>{label}</th>
          <th>records</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([name, n]) => (
          <tr key={name}>
            <td>{name}</td>
            <td>{n}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Datasheet({ run }: { run: ExportRun }) {
  if (!run.datasheet) return null;
  const sheet = run.datasheet.datasheet;
  return (
    <ChartCard title={`Datasheet · ${run.format}`} subtitle={run.outDir} testId={`export-datasheet-${run.format}`}>
      <p className="dt-muted">
        {sheet.records} records{sheet.split ? ` of split ${sheet.split.name}` : ''}
        {sheet.snapshot ? ` from snapshot ${sheet.snapshot.id} (${sheet.snapshot.name})` : ', the current labels'}, exported {sheet.createdAt}
      </p>
      <PartsTable sheet={sheet} testId={`export-datasheet-parts-${run.format}`} />
      <EmotionChart byEmotion={sheet.byEmotion} emotions={sheet.vocabulary.emotions} />
      <div className="ex-sheet-cols">
        <CountTable label="AU" rows={Object.entries(sheet.byAU)} />
        <CountTable label="source" rows={sheet.provenance.map((p) => [p.source, p.n])} />
        <CountTable label="annotator" rows={sheet.annotators.map((a) => [a.name, a.n])} />
      </div>
      <details>
        <summary>DATASHEET.md</summary>
        <pre className="ex-md" data-testid={`export-datasheet-md-${run.format}`}>
          {run.datasheet.markdown}
        </pre>
      </details>
    </ChartCard>
  );
}

function RunLine({ run, onCancel }: { run: ExportRun; onCancel(): void }) {
  const job = run.job;
  const pct = job && job.total ? Math.round((100 * job.done) / job.total) : 0;
  const running = !job || job.status === 'running' || job.status === 'queued';
  return (
    <div className="ex-run" data-testid={`export-run-${run.format}`} data-status={job?.status ?? 'starting'}>
      <b>{run.format}</b> <code>{run.outDir}</code>
      <progress max={100} value={pct} data-testid={`export-progress-${run.format}`} />
      <span>{job ? `${job.status}: ${job.message}` : 'starting…'}</span>
      {running ? (
        <button type="button" className="dt-btn dt-btn--small" onClick={onCancel} data-testid={`export-cancel-${run.format}`}>
          Cancel
        </button>
      ) : null}
      {run.error ? <span className="dt-error">{run.error}</span> : null}
    </div>
  );
}

export function ExportView() {
  const api = useApi();
  const s = useExport(api, readCurrentUserId() ?? undefined);
  return (
    <div className="dt-root ex-root" data-testid="export-view">
      <div className="dt-pagehead">
        <h2>Export</h2>
      </div>
      {s.error ? <ErrorBanner error={s.error} /> : null}
      <ChartCard title="What to export" testId="export-form">
        <div className="ex-form">
          <label>
            Records{' '}
            <select value={s.snapshot ?? ''} onChange={(e) => s.setSnapshot(e.target.value ? Number(e.target.value) : null)} data-testid="export-snapshot">
              <option value="">current labels</option>
              {s.snapshots.map((sn) => (
                <option key={sn.id} value={sn.id}>
                  snapshot {sn.id}: {sn.name} ({sn.records})
                </option>
              ))}
            </select>
          </label>
          <label>
            Split{' '}
            <select value={s.split ?? ''} onChange={(e) => s.setSplit(e.target.value || null)} data-testid="export-split">
              <option value="">none (one file set)</option>
              {s.splits.map((sp) => (
                <option key={sp.name} value={sp.name}>
                  {sp.name}
                </option>
              ))}
            </select>
          </label>
          <fieldset className="ex-formats">
            <legend>Formats</legend>
            {ENGINE_FORMATS.map((f) => (
              <label key={f}>
                <input type="checkbox" checked={s.formats.includes(f)} onChange={() => s.toggleFormat(f)} data-testid={`export-format-${f}`} /> {f}
              </label>
            ))}
          </fieldset>
          <label className="ex-outdir">
            Output folder{' '}
            <input type="text" value={s.outDir} placeholder="/absolute/path/to/folder" onChange={(e) => s.setOutDir(e.target.value)} data-testid="export-outdir" />
          </label>
          <BrowseButton kind="folder" onPick={s.setOutDir} testId="export-browse" />
          <label title="Replace the export already in the folder">
            <input type="checkbox" checked={s.replace} onChange={(e) => s.setReplace(e.target.checked)} data-testid="export-replace" /> replace an existing export
          </label>
          <button type="button" className="dt-btn dt-btn--primary" disabled={s.blocked !== null} title={s.blocked ?? undefined} onClick={() => void s.start()} data-testid="export-start">
            Export
          </button>
          {s.blocked && !s.busy ? <span className="dt-muted">{s.blocked}</span> : null}
        </div>
        {s.formats.length > 1 ? <p className="dt-muted">Several formats: each goes into a subfolder named after it.</p> : null}
        {s.runs.map((r) => (
          <RunLine key={r.jobId} run={r} onCancel={() => s.cancel(r.jobId)} />
        ))}
      </ChartCard>
      {s.runs.map((r) => (
        <Datasheet key={r.jobId} run={r} />
      ))}
      {s.previewError ? <ErrorBanner error={s.previewError} /> : s.preview ? <Preview preview={s.preview} /> : <div className="dt-muted">Loading the preview…</div>}
    </div>
  );
}
