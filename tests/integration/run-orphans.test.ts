/**
 * Runs whose process ended without a word (kill -9, crash, power loss) are found and marked stopped, against real
 * processes: a pid that has exited, a live child on this host, another host, this process, and rows from before
 * migration 3. No worker is started, so this needs no build.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openWorkspace, type Workspace } from '../../db/open';
import { createRun, getRun, reapOrphanedRuns, recordStep, updateRun } from '../../db/repositories/runs';
import { createContext } from '../../services/context';
import { trainingHandlers } from '../../services/training/handlers';
import { trainingService } from '../../services/training/service';
import { ApiError } from '../../contract/dispatch';
import { tempDir } from '../support/facial-r1';
import { insertPlainRun, workspaceAtVersion } from '../support/workspace-at-version';

let ws: Workspace;
let sleeper: ChildProcess;
let deadPid: number;

async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

function newRun(owner: { host?: string | null; pid?: number | null; boot?: string | null }, step = 0): number {
  const id = createRun(ws.db, { stage: 'sft', split: 's', seed: 1, backend: 'cpu', config: {}, totalSteps: 10 });
  for (let s = 1; s <= step; s++) recordStep(ws.db, id, s, 10, { loss: 1 / s });
  const row = getRun(ws.db, id)!;
  ws.db
    .prepare('UPDATE runs SET owner_host = ?, owner_pid = ?, owner_boot = ? WHERE id = ?')
    .run(owner.host === undefined ? row.owner_host : owner.host, owner.pid === undefined ? row.owner_pid : owner.pid, owner.boot === undefined ? row.owner_boot : owner.boot, id);
  return id;
}

beforeAll(async () => {
  ws = openWorkspace(path.join(tempDir(), 'ws'), { create: true });
  sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  deadPid = await exitedPid();
});

afterAll(async () => {
  if (sleeper.exitCode === null) {
    const exited = new Promise((resolve) => sleeper.once('exit', resolve));
    sleeper.kill('SIGKILL');
    await exited;
  }
  ws.close();
});

test('a run whose process has exited becomes stopped, says how to resume, and can be claimed again', () => {
  const id = newRun({ pid: deadPid }, 5);
  expect(getRun(ws.db, id)).toMatchObject({ status: 'running', owner_host: os.hostname(), owner_pid: deadPid });

  expect(reapOrphanedRuns(ws.db)).toEqual([id]);
  const run = getRun(ws.db, id)!;
  expect(run).toMatchObject({ status: 'stopped', step: 5, owner_host: null, owner_pid: null, owner_boot: null });
  expect(run.error).toBe(`interrupted: the process running it ended at step 5; resume with "fea train ${ws.dir} --resume ${id}"`);
  expect(reapOrphanedRuns(ws.db)).toEqual([]);

  // what TrainingService.resume writes: the run is this process's now, and the reaper leaves it alone
  updateRun(ws.db, id, { status: 'running', error: null });
  expect(getRun(ws.db, id)).toMatchObject({ status: 'running', error: null, owner_host: os.hostname(), owner_pid: process.pid });
  expect(reapOrphanedRuns(ws.db)).toEqual([]);
  updateRun(ws.db, id, { status: 'done' });
  expect(getRun(ws.db, id)).toMatchObject({ status: 'done', owner_host: null, owner_pid: null });
});

test('runs of a live process on this host, of this process and of another host stay running', () => {
  const live = newRun({ pid: sleeper.pid! });
  const mine = newRun({});
  const elsewhere = newRun({ host: `not-${os.hostname()}`, pid: deadPid });
  expect(getRun(ws.db, mine)!.owner_pid).toBe(process.pid);

  expect(reapOrphanedRuns(ws.db)).toEqual([]);
  expect(getRun(ws.db, live)).toMatchObject({ status: 'running', owner_pid: sleeper.pid, error: null });
  expect(getRun(ws.db, mine)).toMatchObject({ status: 'running', owner_pid: process.pid });
  expect(getRun(ws.db, elsewhere)).toMatchObject({ status: 'running', owner_host: `not-${os.hostname()}`, owner_pid: deadPid });

  // resuming a run another live process on this host is running would run it twice
  const svc = trainingService(createContext(ws));
  expect(() => svc.resume(live)).toThrow(ApiError);
  expect(() => svc.resume(live)).toThrow(`run ${live} is already running (process ${sleeper.pid} on ${os.hostname()})`);
  for (const id of [live, mine, elsewhere]) updateRun(ws.db, id, { status: 'failed', error: 'test cleanup' });
});

test('a running row from before the owner columns is treated as interrupted', () => {
  const dir = workspaceAtVersion(2, (db) => insertPlainRun(db, { stage: 'sft', status: 'running', step: 2, totalSteps: 10 }));

  const upgraded = openWorkspace(dir);
  try {
    expect(getRun(upgraded.db, 1)).toMatchObject({ status: 'running', owner_host: null, owner_pid: null });
    expect(reapOrphanedRuns(upgraded.db)).toEqual([1]);
    expect(getRun(upgraded.db, 1)).toMatchObject({ status: 'stopped', error: `interrupted: the process running it ended at step 2; resume with "fea train ${upgraded.dir} --resume 1"` });
  } finally {
    upgraded.close();
  }
});

const hasBootId = fs.existsSync('/proc/sys/kernel/random/boot_id');
(hasBootId ? test : test.skip)('a pid recorded before a reboot does not keep the run running, even if that pid is alive now', () => {
  const id = newRun({ pid: sleeper.pid!, boot: 'boot-before-the-power-loss' });
  expect(reapOrphanedRuns(ws.db)).toEqual([id]);
  expect(getRun(ws.db, id)!.status).toBe('stopped');
});

test('runs.list reaps before listing; a read-only connection is left as it is', async () => {
  const id = newRun({ pid: await exitedPid() }, 1);
  const ro = openWorkspace(ws.dir, { readonly: true });
  try {
    expect(reapOrphanedRuns(ro.db)).toEqual([]);
  } finally {
    ro.close();
  }
  expect(getRun(ws.db, id)!.status).toBe('running');
  const { runs } = await trainingHandlers(createContext(ws))['runs.list']({});
  expect(runs.find((r) => r.id === id)).toMatchObject({ status: 'stopped', progress: { step: 1 }, error: expect.stringMatching(/^interrupted/) });
});
