/**
 * Synthesis rounds are owned by a process, as runs are: a 'running' round whose process ended (kill -9, crash) is
 * found and marked stopped with how to resume it, and one that a live process holds is not resumed a second time.
 * Real processes stand for the owners; no worker is started (the resume that is allowed is checked up to the claim).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { openWorkspace, type Workspace } from '../../db/open';
import { claimRound, createRound, getRound, reapOrphanedRounds, roundHeldElsewhere, updateRound } from '../../db/repositories/rounds';
import { createContext } from '../../services/context';
import { synthesisHandlers } from '../../services/synthesis/handlers';
import { tempDir } from '../support/facial-r1';

let ws: Workspace;
let sleeper: ChildProcess;
let deadPid: number;

function newRound(owner: { host?: string; pid: number }): number {
  const id = createRound(ws.db, { modelId: null, split: null, part: null, iterationId: null, config: {}, createdBy: null });
  ws.db.prepare('UPDATE rounds SET owner_host = ?, owner_pid = ? WHERE id = ?').run(owner.host ?? os.hostname(), owner.pid, id);
  return id;
}

beforeAll(async () => {
  ws = openWorkspace(path.join(tempDir(), 'ws'), { create: true });
  sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  deadPid = child.pid!;
});

afterAll(async () => {
  if (sleeper.exitCode === null && sleeper.signalCode === null) {
    const exited = new Promise((resolve) => sleeper.once('exit', resolve));
    sleeper.kill('SIGKILL');
    await exited;
  }
  ws.close();
});

test('a new round is owned by this process; leaving "running" lets it go', () => {
  const id = createRound(ws.db, { modelId: null, split: null, part: null, iterationId: null, config: {}, createdBy: null });
  expect(getRound(ws.db, id)).toMatchObject({ status: 'running', owner_host: os.hostname(), owner_pid: process.pid });
  expect(roundHeldElsewhere(ws.db, id)).toBeNull();
  updateRound(ws.db, id, { status: 'stopped' });
  expect(getRound(ws.db, id)).toMatchObject({ status: 'stopped', owner_host: null, owner_pid: null });
  claimRound(ws.db, id);
  expect(getRound(ws.db, id)).toMatchObject({ status: 'running', owner_pid: process.pid, error: null });
  updateRound(ws.db, id, { status: 'review' });
});

test('a round whose process exited is stopped by rounds.list, saying how to resume; live and remote owners are left alone', async () => {
  const dead = newRound({ pid: deadPid });
  const live = newRound({ pid: sleeper.pid! });
  const remote = newRound({ host: 'another-host', pid: deadPid });
  const h = synthesisHandlers(createContext(ws));
  const { rounds } = await h['rounds.list']({});
  const status = (id: number) => rounds.find((r) => r.id === id)!;
  expect(status(dead)).toMatchObject({ status: 'stopped', error: expect.stringContaining(`--resume ${dead}`) });
  expect(status(live).status).toBe('running');
  expect(status(remote).status).toBe('running');
  expect(reapOrphanedRounds(ws.db)).toEqual([]);

  // The live process's round is not resumed here too: two workers would fight over the same candidates.
  expect(roundHeldElsewhere(ws.db, live)).toMatchObject({ owner_pid: sleeper.pid });
  expect(() => h['rounds.resume']({ roundId: live })).toThrow(new RegExp(`round ${live} is running in another process \\(pid ${sleeper.pid}`));

  // Once that process is gone, the same round is reaped and can be resumed.
  const exited = new Promise((resolve) => sleeper.once('exit', resolve));
  sleeper.kill('SIGKILL');
  await exited;
  expect(reapOrphanedRounds(ws.db)).toEqual([live]);
  expect(roundHeldElsewhere(ws.db, live)).toBeNull();
});
