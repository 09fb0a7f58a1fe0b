/**
 * The dashboard: counts by status, face-analysis coverage, skipped records, time per record, label distributions,
 * labeling progress, throughput, faces per source and splits; refreshed on changes (useDashboardData).
 */
import { useEffect, useState } from 'react';
import { FACIAL_R1_AU_NAMES } from '../../../pipelines/facs/vocabulary';
import { useApi } from '../api/ApiContext';
import { ChartCard, EmptyState, ErrorBanner } from '../charts/ChartCard';
import { IterationsPanel } from '../iterations/IterationsPanel';
import { AUChart } from './AUChart';
import { readCurrentUserId } from './currentUser';
import { EmotionChart } from './EmotionChart';
import { ProgressChart } from './ProgressChart';
import { SplitsSummary } from './SplitsSummary';
import { StatusTiles } from './StatusTiles';
import { ThroughputTable } from './ThroughputTable';
import { useDashboardData } from './useDashboardData';
import { WorkTiles } from './WorkTiles';
import '../charts/charts.css';
import './dashboard.css';
import { countOf } from '../components/plural';

export function DashboardView() {
  const api = useApi();
  const { data, error, loading, load } = useDashboardData(api);
  const [userId, setUserId] = useState<number | null>(() => readCurrentUserId());
  // the profile may have changed in another view since the last load
  useEffect(() => setUserId(readCurrentUserId()), [data]);

  useEffect(() => {
    const onStorage = (e: StorageEvent) => {
      if (e.key === null || e.key === 'fea.userId') setUserId(readCurrentUserId());
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);

  const emotions = data?.info?.emotions ?? Object.keys(data?.stats.byEmotion ?? {});
  const auNames: Record<string, string> = data?.info
    ? Object.fromEntries(data.info.aus.map((a) => [a.au, a.name]))
    : { ...FACIAL_R1_AU_NAMES };

  return (
    <div className="dt-root db-root" data-testid="dashboard-view" data-loaded={data ? 'true' : 'false'}>
      <div className="dt-pagehead">
        <h2>Dashboard</h2>
        {data?.info ? (
          <span className="dt-pagehead__meta">
            {data.info.name} · {countOf(data.info.recordCount, 'record')}
          </span>
        ) : null}
        <div className="dt-pagehead__actions">
          {data ? <span className="dt-pagehead__meta">updated {new Date(data.loadedAt).toLocaleTimeString()}</span> : null}
          <button type="button" className="dt-btn" onClick={() => void load()} disabled={loading} data-testid="dashboard-refresh">
            {loading ? 'Refreshing…' : 'Refresh'}
          </button>
        </div>
      </div>
      {error ? <ErrorBanner error={error} onRetry={() => void load()} /> : null}
      {!data ? (
        error ? null : <div className="dt-muted">Loading…</div>
      ) : data.stats.records === 0 ? (
        <EmptyState title="This workspace has no records yet" testId="dashboard-empty">
          Import images and labels with <code>fea import &lt;workspace&gt; &lt;folder&gt;</code>, or create a demo workspace with{' '}
          <code>fea init &lt;workspace&gt; --demo 60</code>.
        </EmptyState>
      ) : (
        <div className="db-grid">
          <StatusTiles stats={data.stats} />
          <WorkTiles stats={data.stats} />
          <ChartCard title="Emotions" subtitle="records per label" className="db-span-5" testId="card-emotions">
            <EmotionChart byEmotion={data.stats.byEmotion} emotions={emotions} />
          </ChartCard>
          <ChartCard title="Action units" subtitle="records per AU, by AU number" className="db-span-7" testId="card-aus">
            <AUChart byAU={data.stats.byAU} auNames={auNames} records={data.stats.records} />
          </ChartCard>
          <ChartCard title="Labeling progress" subtitle="human revisions per day and cumulative" className="db-span-7" testId="card-progress">
            <ProgressChart progress={data.stats.progress} />
          </ChartCard>
          <ChartCard title="Throughput" subtitle="revisions per user" className="db-span-5" testId="card-throughput">
            <ThroughputTable throughput={data.stats.throughput} currentUserId={userId} />
          </ChartCard>
          <ChartCard title="Iterations" subtitle="dataset size, provenance, kept and accepted rates, test metrics" className="db-span-12" testId="card-iterations">
            <IterationsPanel controls={false} />
          </ChartCard>
          <ChartCard title="Splits" subtitle={`${data.splits.length} defined`} className="db-span-12" testId="card-splits">
            <SplitsSummary splits={data.splits} emotions={emotions} />
          </ChartCard>
        </div>
      )}
    </div>
  );
}
