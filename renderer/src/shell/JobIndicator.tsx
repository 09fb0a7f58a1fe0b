/** Running jobs (import, analysis, training…) from job.progress events, in the top bar. */
import { useEffect, useState } from 'react';
import type { Job, JobKind } from '../../../contract/types';
import { useApi, useApiEvents } from '../api/ApiContext';
import { routeHash, type ViewName } from './route';

/** Where each kind of job is watched and cancelled. */
const JOB_VIEW: Record<JobKind, ViewName> = { import: 'import', analyze: 'import', export: 'export', train: 'training', eval: 'training', synth: 'training' };

export function JobIndicator() {
  const api = useApi();
  const [jobs, setJobs] = useState<Map<string, Job>>(new Map());

  useEffect(() => {
    api['jobs.list']({}).then(
      (r) => setJobs((m) => new Map([...r.jobs.map((j) => [j.id, j] as const), ...m])),
      () => undefined,
    );
  }, [api]);

  useApiEvents((event) => {
    if (event.type !== 'job.progress') return;
    setJobs((m) => new Map(m).set(event.job.id, event.job));
  });

  // Finished jobs linger briefly, then leave the bar.
  useEffect(() => {
    const finished = [...jobs.values()].filter((j) => j.status !== 'running' && j.status !== 'queued');
    if (!finished.length) return;
    const t = setTimeout(() => setJobs((m) => new Map([...m].filter(([, j]) => j.status === 'running' || j.status === 'queued'))), 6000);
    return () => clearTimeout(t);
  }, [jobs]);

  const list = [...jobs.values()].sort((a, b) => a.startedAt.localeCompare(b.startedAt)).slice(-2);
  if (!list.length) return <div className="jobs idle" data-testid="jobs">no jobs running</div>;
  return (
    <div className="jobs" data-testid="jobs">
      {list.map((j) => {
        const pct = j.total > 0 ? Math.min(100, (100 * j.done) / j.total) : null;
        return (
          <div key={j.id} className={`job job-${j.status}`} title={`${j.kind} · ${j.status} · ${j.message}`} data-testid="job">
            <a className="job-kind" href={routeHash({ view: JOB_VIEW[j.kind], id: null })}>
              {j.kind}
            </a>
            <span className="job-bar">
              <span style={{ width: `${pct ?? 100}%` }} className={pct === null ? 'indeterminate' : ''} />
            </span>
            <span className="job-text">{j.status === 'running' ? (pct !== null ? `${Math.floor(pct)}%` : j.message) : j.status}</span>
          </div>
        );
      })}
    </div>
  );
}
