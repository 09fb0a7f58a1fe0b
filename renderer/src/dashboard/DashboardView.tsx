/** Placeholder: the dashboard (counts, distributions, progress, throughput). */
export function DashboardView() {
  return <div data-testid="dashboard-view">Dashboard</div>;
}
