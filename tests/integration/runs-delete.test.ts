/** A failed run with nothing depending on it can be deleted, with its metrics and checkpoints; others are kept. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dispatch } from '../../contract/dispatch';
import { openWorkspace } from '../../db/open';
import { createModel } from '../../db/repositories/models';
import { createRun, recordStep, updateRun } from '../../db/repositories/runs';
import { createContext } from '../../services/context';
import { createHandlers } from '../../services/handlers';

test('runs.delete removes a failed run without a model; a run with a model or a live status is refused', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-runs-delete-'));
  const ctx = createContext(openWorkspace(path.join(dir, 'ws'), { create: true }));
  try {
    const db = ctx.ws.db;
    const failed = createRun(db, { stage: 'sft', split: 'main', seed: 1, backend: 'cpu', config: {} });
    recordStep(db, failed, 1, 10, { loss: 1 });
    updateRun(db, failed, { status: 'failed', error: 'boom', checkpoint_path: `runs/${failed}/ckpt-1` });
    fs.mkdirSync(path.join(ctx.ws.dir, 'runs', String(failed), 'ckpt-1'), { recursive: true });
    const withModel = createRun(db, { stage: 'sft', split: 'main', seed: 1, backend: 'cpu', config: {} });
    const model = createModel(db, { name: 'm', kind: 'policy', stage: 'sft', runId: withModel, parentModelId: null, backend: 'cpu', config: {} });
    updateRun(db, withModel, { status: 'stopped', model_id: model });

    const h = createHandlers(ctx);
    const listed = (await dispatch(h, 'runs.list', {})) as { ok: true; value: { runs: { id: number; hasCheckpoint?: boolean }[] } };
    expect(listed.value.runs.find((r) => r.id === failed)?.hasCheckpoint).toBe(true);

    expect(await dispatch(h, 'runs.delete', { runId: failed })).toEqual({ ok: true, value: { deleted: true } });
    expect(db.prepare('SELECT COUNT(*) AS n FROM runs WHERE id = ?').get(failed)).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM run_metrics WHERE run_id = ?').get(failed)).toEqual({ n: 0 });
    expect(fs.existsSync(path.join(ctx.ws.dir, 'runs', String(failed)))).toBe(false);

    const kept = await dispatch(h, 'runs.delete', { runId: withModel });
    expect(kept).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('produced a model') } });
    expect(await dispatch(h, 'runs.delete', { runId: 999 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  } finally {
    ctx.ws.close();
  }
});
