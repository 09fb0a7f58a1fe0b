/** The shell: top bar (workspace, views, jobs, user) and the current view, behind the profile gate. */
import { lazy, Suspense } from 'react';
import { ToastProvider } from './components/Toasts';
import { LabelView } from './label/LabelView';
import { LAST_RECORD_KEY } from './label/useRecordNavigation';
import { QueueView } from './queue/QueueView';
import { ProfileGate } from './session/ProfileGate';
import { SessionProvider, useSession } from './session/SessionContext';
import { SettingsView } from './settings/SettingsView';
import { JobIndicator } from './shell/JobIndicator';
import { VIEWS, routeHash, useRoute } from './shell/route';

// Charts load on demand, so the label view starts without them.
const DashboardView = lazy(() => import('./dashboard/DashboardView').then((m) => ({ default: m.DashboardView })));
const ReviewView = lazy(() => import('./review/ReviewView').then((m) => ({ default: m.ReviewView })));
const ImportView = lazy(() => import('./import/ImportView').then((m) => ({ default: m.ImportView })));
const ExportView = lazy(() => import('./export/ExportView').then((m) => ({ default: m.ExportView })));
const TrainingView = lazy(() => import('./training/TrainingView').then((m) => ({ default: m.TrainingView })));

export function App() {
  return (
    <ToastProvider>
      <SessionProvider fallback={(error) => <Splash error={error} />}>
        <Shell />
      </SessionProvider>
    </ToastProvider>
  );
}

function Splash({ error }: { error: string | null }) {
  return (
    <div className="gate" data-testid="splash">
      <div className="gate-card">
        <div className="brand big">FEA Studio</div>
        {error ? <div className="error-text">Could not open the workspace: {error}</div> : <div className="muted">Opening the workspace…</div>}
      </div>
    </div>
  );
}

function Shell() {
  const { info, user, users, selectUser, signOut } = useSession();
  const route = useRoute();
  if (!user) return <ProfileGate />;
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">FEA Studio</span>
        <span className="workspace" title={info.path} data-testid="workspace-name">
          {info.name}
        </span>
        <nav className="views">
          {VIEWS.map((v) => (
            <a key={v.name} href={routeHash({ view: v.name, id: v.name === 'label' ? (route.view === 'label' ? route.id : localStorage.getItem(LAST_RECORD_KEY)) : null })} className={route.view === v.name ? 'on' : ''} data-testid={`nav-${v.name}`}>
              {v.title}
            </a>
          ))}
        </nav>
        <span className="grow" />
        <JobIndicator />
        <label className="user" title="Current profile">
          <span className="avatar">{user.name.slice(0, 1).toUpperCase()}</span>
          <select
            data-testid="user-select"
            value={user.id}
            onChange={(e) => {
              if (e.target.value === 'new') signOut();
              else {
                const u = users.find((x) => x.id === Number(e.target.value));
                if (u) selectUser(u);
              }
            }}
          >
            {(users.some((u) => u.id === user.id) ? users : [user, ...users]).map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({u.role})
              </option>
            ))}
            <option value="new">Other profile…</option>
          </select>
        </label>
      </header>
      <main className="content" key={user.id}>
        {route.view === 'label' && <LabelView recordId={route.id} />}
        {route.view === 'queue' && <QueueView />}
        {route.view === 'review' && (
          <Suspense fallback={<div className="muted view-loading">Loading…</div>}>
            <ReviewView />
          </Suspense>
        )}
        {route.view === 'dashboard' && (
          <Suspense fallback={<div className="muted view-loading">Loading…</div>}>
            <DashboardView />
          </Suspense>
        )}
        {route.view === 'training' && (
          <Suspense fallback={<div className="muted view-loading">Loading…</div>}>
            <TrainingView />
          </Suspense>
        )}
        {route.view === 'import' && (
          <Suspense fallback={<div className="muted view-loading">Loading…</div>}>
            <ImportView />
          </Suspense>
        )}
        {route.view === 'export' && (
          <Suspense fallback={<div className="muted view-loading">Loading…</div>}>
            <ExportView />
          </Suspense>
        )}
        {route.view === 'settings' && <SettingsView />}
      </main>
    </div>
  );
}
