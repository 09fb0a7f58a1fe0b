/** The dashboard's throughput counts submissions, not ones their author undid. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fea } from '../support/cli';
import { openWorkspace } from '../../db/open';
import { createContext } from '../../services/context';
import { createHandlers } from '../../services/handlers';
import { call } from '../../cli/workspace';

test('an undone submission leaves the annotator\'s throughput', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-throughput-'));
  const ws = path.join(dir, 'ws');
  expect(fea(['init', ws, '--demo', '3', '--json']).code).toBe(0);
  const ctx = createContext(openWorkspace(ws));
  try {
    const h = createHandlers(ctx);
    const user = await call(h, 'users.upsert', { name: 'tess', role: 'annotator' });
    const body = { userId: user.id, emotion: 'happiness', aus: [{ au: 'AU6' }, { au: 'AU12' }], reasoning: '<think>Cheeks raised (AU6), lip corners up (AU12).</think><answer>happiness</answer>', lastWriteWins: true };
    await call(h, 'annotations.submit', { ...body, recordId: 'demo-000001' });
    await call(h, 'annotations.submit', { ...body, recordId: 'demo-000002' });
    const before = (await call(h, 'stats.get', {})).throughput.find((t) => t.name === 'tess');
    expect(before).toMatchObject({ total: 2, lastHour: 2 });
    await call(h, 'decisions.undo', { userId: user.id });
    const after = (await call(h, 'stats.get', {})).throughput.find((t) => t.name === 'tess');
    expect(after).toMatchObject({ total: 1, lastHour: 1, last24h: 1 });
  } finally {
    ctx.ws.close();
  }
});
