/** Import: a JSONL, a folder tree or a dataset by path (Browse… in Electron), previewed, imported as a job; then face analysis. */
import { IMPORT_FORMATS, type ImportFormat, type ImportSummary, type Job } from '../../../contract/types';
import { useApi } from '../api/ApiContext';
import { pathPicker } from '../api/pathPicker';
import { ChartCard, EmptyState, ErrorBanner } from '../charts/ChartCard';
import { countOf } from '../components/plural';
import { readCurrentUserId } from '../dashboard/currentUser';
import { isActive, useImport, type ImportState } from './useImport';
import '../charts/charts.css';
import './import.css';

const FORMAT_TITLES: Record<ImportFormat, string> = {
  'facial-r1': 'Facial-R1 JSONL',
  folders: 'folder tree (one folder per emotion)',
  fer2013: 'FER2013 (fer2013.csv)',
  ferplus: 'FERPlus (fer2013new.csv + fer2013.csv)',
  affectnet: 'AffectNet (training.csv / validation.csv)',
  rafdb: 'RAF-DB (basic/)',
  disfa: 'DISFA AU table',
  'au-csv': 'AU table (CSV)',
};

const PLACEHOLDERS = { file: '/absolute/path/to/file', folder: '/absolute/path/to/folder', either: '/absolute/path/to/file-or-folder' };

function JobLine({ job, testId, onCancel }: { job: Job; testId: string; onCancel(): void }) {
  const pct = job.total ? Math.round((100 * job.done) / job.total) : 0;
  return (
    <div className="im-job" data-testid={testId} data-status={job.status}>
      <progress max={100} value={pct} data-testid={`${testId}-bar`} />
      <span data-testid={`${testId}-text`}>
        {job.total ? `${job.done} / ${job.total}` : ''} {job.status}: {job.message}
      </span>
      {isActive(job) ? (
        <button type="button" className="dt-btn dt-btn--small" onClick={onCancel} data-testid={`${testId}-cancel`}>
          Cancel
        </button>
      ) : null}
    </div>
  );
}

function Counts({ s, testId }: { s: ImportSummary; testId: string }) {
  const verb = s.dryRun ? 'would be added' : s.cancelled ? 'added before the stop' : 'added';
  const rows: [string, number, string][] = [
    ['records', s.imported, verb],
    ['labeled', s.labeled, 'emotion and AUs'],
    ['weak', s.weak, 'emotion or AUs missing'],
    ['unlabeled', s.unlabeled, 'no labels'],
    ['already in the workspace', s.duplicates, 'left unchanged: an import never rewrites a record'],
    ['skipped', s.skipped, Object.entries(s.skippedBy).map(([k, n]) => `${n} ${k}`).join(', ') || 'marked invalid in the input'],
    ['new images', s.images.new, `${s.images.reused} reused`],
    ['conflicts', s.conflicts, 'the same image under two emotion folders: neither imported'],
    ['errors', s.errorCount, s.errorCount > s.errors.length ? `the first ${s.errors.length} listed` : 'listed below'],
  ];
  return (
    <table className="dt-table im-counts" data-testid={testId}>
      <tbody>
        {rows.map(([name, n, note]) => (
          <tr key={name} data-count={name}>
            <th>{name}</th>
            <td>{n}</td>
            <td className="dt-muted">{note}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Summary({ s, prefix }: { s: ImportSummary; prefix: string }) {
  const emotions = Object.entries(s.byEmotion);
  return (
    <>
      <div className="im-cols">
        <Counts s={s} testId={`${prefix}-counts`} />
        {emotions.length ? (
          <table className="dt-table im-emotions" data-testid={`${prefix}-emotions`}>
            <thead>
              <tr>
                <th>emotion</th>
                <th>records</th>
              </tr>
            </thead>
            <tbody>
              {emotions.map(([e, n]) => (
                <tr key={e} data-emotion={e}>
                  <td>{e}</td>
                  <td>{n}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {s.nestedFolders.length ? (
          <table className="dt-table" data-testid={`${prefix}-nested`}>
            <thead>
              <tr>
                <th>nested folder</th>
                <th>images</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {s.nestedFolders.map((f) => (
                <tr key={f.folder}>
                  <td>{f.folder}</td>
                  <td>{f.images}</td>
                  <td className="dt-muted">{f.imported ? 'imported under the emotion folder' : 'not imported (tick "subfolders too")'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
      {s.vocabularyAdded.length ? <p className="dt-muted">New labels added to the vocabulary: {s.vocabularyAdded.join(', ')}</p> : null}
      {s.split ? (
        <p className="dt-muted">
          The dataset's own split <b>{s.split.name}</b>: {Object.entries(s.split.parts).map(([p, n]) => `${p} ${n}`).join(', ')}
        </p>
      ) : null}
      {s.errors.length ? (
        <table className="dt-table im-errors" data-testid={`${prefix}-errors`}>
          <thead>
            <tr>
              <th>file</th>
              <th>line</th>
              <th>field</th>
              <th>problem</th>
            </tr>
          </thead>
          <tbody>
            {s.errors.map((e) => (
              <tr key={`${e.file}:${e.line}:${e.reason}`} data-testid={`${prefix}-error-row`} data-file={e.file} data-line={e.line}>
                <td>
                  <code>{e.file}</code>
                </td>
                <td>{e.line}</td>
                <td>{e.field ?? ''}</td>
                <td>{e.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

function InputForm({ s }: { s: ImportState }) {
  return (
    <ChartCard title="Import" subtitle="a path on the machine the app runs on" testId="import-form">
      <div className="im-form">
        <label>
          Format{' '}
          <select value={s.format} onChange={(e) => s.setFormat(e.target.value as ImportFormat)} data-testid="import-format">
            {IMPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_TITLES[f]}
              </option>
            ))}
          </select>
        </label>
        <label className="im-path">
          {s.inputKind === 'folder' ? 'Folder' : 'File'}{' '}
          <input
            type="text"
            value={s.path}
            placeholder={PLACEHOLDERS[s.inputKind]}
            onChange={(e) => s.setPath(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && void s.runPreview()}
            data-testid="import-path"
          />
        </label>
        {s.canBrowse ? (
          <button type="button" className="dt-btn" onClick={() => void s.browse()} data-testid="import-browse">
            Browse…
          </button>
        ) : null}
        {s.format === 'folders' ? (
          <label title="Import images in subfolders below an emotion folder too, under that folder's emotion">
            <input type="checkbox" checked={s.recursive} onChange={(e) => s.setRecursive(e.target.checked)} data-testid="import-recursive" /> subfolders too
          </label>
        ) : null}
        <button type="button" className="dt-btn" disabled={s.pathProblem !== null || s.previewing} title={s.pathProblem ?? undefined} onClick={() => void s.runPreview()} data-testid="import-preview-button">
          {s.previewing ? 'Reading…' : 'Preview'}
        </button>
        <button type="button" className="dt-btn dt-btn--primary" disabled={s.importBlocked !== null} title={s.importBlocked ?? undefined} onClick={() => void s.startImport()} data-testid="import-start">
          Import
        </button>
        {s.importBlocked && s.path ? <span className="dt-muted">{s.importBlocked}</span> : null}
      </div>
      {s.previewError ? <ErrorBanner error={s.previewError} /> : null}
      {s.importJob ? <JobLine job={s.importJob} testId="import-job" onCancel={() => s.cancel(s.importJob!.id)} /> : null}
    </ChartCard>
  );
}

function AnalysisCard({ s }: { s: ImportState }) {
  const a = s.analysis;
  const job = s.analysisJob;
  const found = job?.counters?.facesFound ?? (job?.result?.kind === 'analyze' ? job.result.facesFound : undefined);
  return (
    <ChartCard title="Face analysis" subtitle="faces, landmarks, expressions and AU estimates: the label view's overlay and suggestions" testId="analysis-card">
      {a ? (
        <p data-testid="analysis-coverage">
          {a.analysed} of {countOf(a.images, 'image')} analysed ({a.facesFound} with a face found{a.failed ? `, ${a.failed} failed` : ''}); <b data-testid="analysis-pending">{a.pending}</b> waiting.
        </p>
      ) : null}
      <div className="im-form">
        <label>
          Workers{' '}
          <input type="number" min={1} max={16} value={s.workers} onChange={(e) => s.setWorkers(Number(e.target.value))} className="im-workers" data-testid="analysis-workers" />
        </label>
        <button type="button" className="dt-btn dt-btn--primary" disabled={s.analysisBlocked !== null} title={s.analysisBlocked ?? undefined} onClick={() => void s.startAnalysis()} data-testid="analysis-start">
          {isActive(job) ? 'Analysing…' : a && a.pending ? `Analyse ${countOf(a.pending, 'image')}` : 'Analyse'}
        </button>
      </div>
      {job ? (
        <>
          <JobLine job={job} testId="analysis-job" onCancel={() => s.cancel(job.id)} />
          {found !== undefined ? (
            <p>
              Faces found so far: <b data-testid="analysis-faces">{found}</b>
            </p>
          ) : null}
        </>
      ) : null}
    </ChartCard>
  );
}

export function ImportView() {
  const api = useApi();
  const s = useImport(api, { userId: readCurrentUserId() ?? undefined, picker: pathPicker() });
  const pending = s.analysis?.pending ?? 0;
  return (
    <div className="dt-root im-root" data-testid="import-view">
      <div className="dt-pagehead">
        <h2>Import</h2>
      </div>
      {s.error ? <ErrorBanner error={s.error} /> : null}
      <InputForm s={s} />
      {s.preview ? (
        <ChartCard title="Preview" subtitle={`${s.preview.input} — nothing written yet`} testId="import-preview">
          {s.preview.imported === 0 && s.preview.errorCount === 0 && s.preview.duplicates === 0 ? <EmptyState title="Nothing to import">No records found in this input.</EmptyState> : null}
          <Summary s={s.preview} prefix="import-preview" />
        </ChartCard>
      ) : null}
      {s.report ? (
        <ChartCard title={s.report.cancelled ? 'Import stopped' : 'Imported'} subtitle={s.report.input} testId="import-report">
          <Summary s={s.report} prefix="import-report" />
          {pending > 0 && !isActive(s.analysisJob) ? (
            <button type="button" className="dt-btn dt-btn--primary" disabled={s.analysisBlocked !== null} onClick={() => void s.startAnalysis()} data-testid="import-analyse-new">
              Analyse {countOf(pending, 'new image')}
            </button>
          ) : null}
        </ChartCard>
      ) : null}
      <AnalysisCard s={s} />
    </div>
  );
}
