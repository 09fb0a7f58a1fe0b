/** Dev-only story page: both views against the fake transport. `?view=training|dashboard&empty=1`. */
import { createRoot } from 'react-dom/client';
import { ApiProvider } from '../../api/ApiContext';
import { DashboardView } from '../../dashboard/DashboardView';
import { TrainingView } from '../../training/TrainingView';
import { createFakeTransport } from './fakeTransport';

const params = new URLSearchParams(location.search);
const transport = createFakeTransport({ empty: params.get('empty') === '1' });
localStorage.setItem('fea.userId', '1');
createRoot(document.getElementById('root')!).render(
  <ApiProvider transport={transport}>{params.get('view') === 'dashboard' ? <DashboardView /> : <TrainingView />}</ApiProvider>,
);
