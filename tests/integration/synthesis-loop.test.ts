/**
 * The data engine from the CLI: a round over a partly stripped workspace, the lead's review and approval (refused
 * to an annotator), the immutable snapshot, a round killed midway and resumed without duplicates, SFT on the
 * snapshot, and an iteration that stops for approval and continues after it.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { openWorkspace } from '../../db/open';
import { createContext } from '../../services/context';
import { createHandlers } from '../../services/handlers';
import { FEA_BIN, fea } from '../support/cli';
import { strippedDemoWorkspace, type StrippedWorkspace } from '../support/synthesis';

jest.setTimeout(600_000);

let dir: string;
let s: StrippedWorkspace;
const dbFile = () => path.join(s.ws, 'fea.sqlite');

function ok(args: string[], timeoutMs = 240_000) {
  const r = fea(args, { timeoutMs });
  if (r.code !== 0) throw new Error(`fea ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.json;
}

function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbFile(), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

async function withApi<T>(fn: (h: ReturnType<typeof createHandlers>) => T | Promise<T>): Promise<T> {
  const ctx = createContext(openWorkspace(s.ws));
  try {
    return await fn(createHandlers(ctx));
  } finally {
    ctx.ws.close();
  }
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-synth-'));
  s = strippedDemoWorkspace(dir, 80, 3);
  ok(['users', s.ws, 'add', 'lea', '--role', 'lead', '--json']);
  ok(['users', s.ws, 'add', 'ann', '--role', 'annotator', '--json']);
});

describe('round 0, review and approval', () => {
  let round: number;
  let accepted: number[];
  let rejected: number;
  let rejectedRecord: string;
  let rejectedStatusBefore: string;

  test('a round covers every record without a complete label, with a per-class report', () => {
    const r = ok(['synth', s.ws, '--no-analyze', '--json']);
    round = r.roundId;
    const incomplete = query<{ n: number }>("SELECT COUNT(*) AS n FROM records WHERE status != 'labeled' OR current_revision_id IS NULL OR id IN (SELECT record_id FROM revisions WHERE reasoning = '')")[0].n;
    expect(r.candidates).toBe(incomplete);
    expect(r.candidates).toBeGreaterThanOrEqual(60);
    expect(r.kept).toBe(r.candidates);
    const inputs = Object.values(r.byEmotion as Record<string, { input: number }>).reduce((a, c) => a + c.input, 0);
    expect(inputs).toBe(r.candidates);
    const rounds = ok(['rounds', s.ws, '--json']).rounds;
    expect(rounds[0]).toMatchObject({ id: round, status: 'review', model: null, candidates: r.candidates, kept: r.kept, accepted: 0, rejected: 0 });
  });

  test('accept and reject from the CLI; an annotator cannot approve, the lead can', async () => {
    const queue = await withApi((h) => h['review.queue']({ roundId: round, filter: {}, offset: 0, limit: 5 }));
    accepted = queue.rows.slice(0, 2).map((c) => c.id);
    rejected = queue.rows[2].id;
    rejectedRecord = queue.rows[2].recordId;
    rejectedStatusBefore = query<{ status: string }>('SELECT status FROM records WHERE id = ?', rejectedRecord)[0].status;
    expect(ok(['review', s.ws, '--round', String(round), '--accept', accepted.join(','), '--user', 'lea', '--json'])).toMatchObject({ accepted: 2, rejected: 0 });
    expect(ok(['review', s.ws, '--round', String(round), '--reject', String(rejected), '--reason', 'wrong AUs', '--user', 'lea', '--json'])).toMatchObject({ accepted: 2, rejected: 1 });
    const refused = fea(['review', s.ws, '--round', String(round), '--approve', '--user', 'ann', '--json']);
    expect(refused.code).toBe(1);
    expect(refused.json.error).toMatchObject({ code: 'forbidden' });
    expect(refused.stderr).toContain('needs the lead role');
    expect(query('SELECT 1 FROM snapshots')).toHaveLength(0);

    const labeledBefore = query<{ id: string }>("SELECT id FROM records WHERE status IN ('labeled', 'reviewed') AND current_revision_id IS NOT NULL ORDER BY id").map((r) => r.id);
    const approved = ok(['review', s.ws, '--round', String(round), '--approve', '--user', 'lea', '--json']);
    expect(approved).toMatchObject({ round, accepted: 2, rejected: 1, snapshotId: 1 });
    const snap = ok(['snapshots', s.ws, '--json']).snapshots[0];
    expect(snap).toMatchObject({ id: 1, name: `round-${round}`, parent: null, lineage: { round, reviewer: 'lea', model: null } });
    const acceptedRecords = query<{ record_id: string }>(`SELECT record_id FROM candidates WHERE id IN (${accepted.join(',')})`).map((r) => r.record_id);
    const pairs = query<{ record_id: string; kind: string }>(
      'SELECT sr.record_id, v.kind FROM snapshot_records sr JOIN revisions v ON v.id = sr.revision_id WHERE sr.snapshot_id = 1 ORDER BY sr.record_id',
    );
    // the labeled records (those without a reasoning were in the round: only accepted ones joined) plus the accepted
    const labeledWithReasoning = labeledBefore.filter((id) => !query('SELECT 1 FROM candidates WHERE record_id = ? AND round_id = ?', id, round).length);
    expect(pairs.map((p) => p.record_id).sort()).toEqual([...new Set([...labeledWithReasoning, ...acceptedRecords])].sort());
    expect(pairs.filter((p) => p.kind === 'synthesis').map((p) => p.record_id).sort()).toEqual([...acceptedRecords].sort());
    expect(snap.provenance).toEqual(expect.arrayContaining([{ kind: 'synthesis', round, n: 2 }]));
  });

  test('the rejected record stays in the label queue with its rejection in its history', async () => {
    const row = query<{ status: string; n: number }>(
      'SELECT status, (SELECT COUNT(*) FROM revisions WHERE record_id = records.id) AS n FROM records WHERE id = ?',
      rejectedRecord,
    )[0];
    expect(row.status).toBe(rejectedStatusBefore);
    expect(['unlabeled', 'weak', 'labeled']).toContain(row.status);
    // no revision was added for it
    expect(row.n).toBe(s.kept.get(rejectedRecord) === 'nothing' ? 0 : 1);
    const history = await withApi((h) => h['records.history']({ id: rejectedRecord }));
    expect(history.reviews).toEqual([expect.objectContaining({ candidateId: rejected, decision: 'rejected', reason: 'wrong AUs', user: 'lea', roundId: round })]);
  });

  test('snapshots are immutable: a trigger refuses updates, deletes and new pairs', () => {
    const db = new Database(dbFile());
    try {
      expect(() => db.prepare("UPDATE snapshots SET name = 'x' WHERE id = 1").run()).toThrow('snapshots are immutable');
      expect(() => db.prepare('DELETE FROM snapshots WHERE id = 1').run()).toThrow('snapshots are immutable');
      expect(() => db.prepare('DELETE FROM snapshot_records WHERE snapshot_id = 1').run()).toThrow('snapshots are immutable');
      const rec = db.prepare('SELECT id, current_revision_id AS rev FROM records WHERE current_revision_id IS NOT NULL LIMIT 1').get() as { id: string; rev: number };
      db.prepare('DELETE FROM snapshot_records WHERE 0').run();
      expect(() => db.prepare('INSERT OR REPLACE INTO snapshot_records VALUES (1, ?, ?)').run(rec.id, rec.rev)).toThrow('snapshots are immutable');
      expect(() => db.prepare('UPDATE candidate_decisions SET reason = NULL').run()).toThrow('append-only');
    } finally {
      db.close();
    }
  });

  test('an engine export of the snapshot writes exactly its records, with the labels it froze', () => {
    const out = path.join(dir, 'snapshot-export');
    const r = ok(['export', s.ws, '--format', 'easyr1', '--snapshot', '1', '--out', out, '--json']);
    const n = query<{ n: number }>('SELECT records AS n FROM snapshots WHERE id = 1')[0].n;
    expect(r.records).toBe(n);
    const lines = fs.readFileSync(r.files[0].file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(n);
    // its datasheet: counts, lineage, provenance with the round, drawn distributions; listed in the manifest
    const sheet = JSON.parse(fs.readFileSync(path.join(out, 'datasheet.json'), 'utf8'));
    expect(sheet).toMatchObject({ format: 'easyr1', records: n, snapshot: { id: 1, reviewer: 'lea' } });
    expect(sheet.provenance).toEqual(expect.arrayContaining([expect.objectContaining({ source: expect.stringMatching(/^synthesis round \d+$/), n: 2 })]));
    expect(Object.values(sheet.byEmotion as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(n);
    expect(fs.readFileSync(path.join(out, 'DATASHEET.md'), 'utf8')).toContain('![emotions](datasheet-emotions.svg)');
    expect(fs.readFileSync(path.join(out, 'datasheet-emotions.svg'), 'utf8')).toMatch(/^<svg[^>]*>.*<rect/s);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(['DATASHEET.md', 'datasheet.json', 'datasheet-aus.svg']));
  });

  test('a split of the snapshot holds exactly its records', () => {
    const r = ok(['split', s.ws, '--name', 'of-snapshot', '--snapshot', '1', '--ratios', 'train=0.5,test=0.5', '--seed', '1', '--json']);
    const n = query<{ n: number }>('SELECT records AS n FROM snapshots WHERE id = 1')[0].n;
    expect(Object.values(r.parts as Record<string, { n: number }>).reduce((a, p) => a + p.n, 0)).toBe(n);
    const inSplit = query<{ record_id: string }>("SELECT record_id FROM split_assignments sa JOIN splits s ON s.id = sa.split_id WHERE s.name = 'of-snapshot' ORDER BY record_id");
    expect(inSplit.map((x) => x.record_id)).toEqual(query<{ record_id: string }>('SELECT record_id FROM snapshot_records WHERE snapshot_id = 1 ORDER BY record_id').map((x) => x.record_id));
    expect(fea(['split', s.ws, '--name', 'nope', '--snapshot', '99', '--ratios', 'train=1', '--json']).json.error.code).toBe('not_found');
  });

  test('a decision on an approved round is refused', () => {
    const r = fea(['review', s.ws, '--round', String(round), '--accept', String(rejected), '--user', 'lea', '--json']);
    expect(r.code).toBe(1);
    expect(r.json.error.code).toBe('conflict');
  });
});

describe('a model round', () => {
  let modelId: number;

  beforeAll(() => {
    ok(['split', s.ws, '--name', 'main', '--ratios', 'train=0.8,test=0.2', '--seed', '1', '--json']);
    modelId = ok(['train', s.ws, '--stage', 'sft', '--snapshot', '1', '--split', 'main', '--steps', '20', '--json']).modelId;
  });

  test('SFT on a snapshot: its run config names it and it never trains on the test part', () => {
    const run = query<{ config: string }>('SELECT config FROM runs WHERE model_id = ?', modelId)[0];
    expect(JSON.parse(run.config)).toMatchObject({ snapshot: 1, split: 'main' });
  });

  test('a round killed midway resumes where it stopped, without duplicate candidates', async () => {
    const child = spawn(process.execPath, [FEA_BIN, 'synth', s.ws, '--model', String(modelId), '--samples', '8', '--quota', 'happiness=1', '--json'], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    let seen = 0;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      try {
        seen = query<{ n: number }>("SELECT COUNT(*) AS n FROM candidates c JOIN rounds r ON r.id = c.round_id WHERE r.model_id IS NOT NULL")[0].n;
      } catch {
        continue;
      }
      if (seen > 0) break;
    }
    child.kill('SIGKILL');
    await exited;
    const round = query<{ id: number; status: string; total: number }>('SELECT id, status, total FROM rounds WHERE model_id IS NOT NULL')[0];
    const written = query<{ n: number }>('SELECT COUNT(*) AS n FROM candidates WHERE round_id = ?', round.id)[0].n;
    expect(round.status).toBe('running');
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(round.total);

    const r = ok(['synth', s.ws, '--resume', String(round.id), '--json']);
    expect(r.candidates).toBe(round.total);
    const distinct = query<{ n: number; d: number }>('SELECT COUNT(*) AS n, COUNT(DISTINCT record_id) AS d FROM candidates WHERE round_id = ?', round.id)[0];
    expect(distinct).toEqual({ n: round.total, d: round.total });
    const methods = query<{ method: string }>('SELECT DISTINCT method FROM candidates WHERE round_id = ? ORDER BY method', round.id).map((m) => m.method);
    expect(methods).toEqual(['conditioned', 'consistency']);
    // the quota: at most one happiness candidate goes to review
    const happy = query<{ n: number }>(
      "SELECT COUNT(*) AS n FROM candidates WHERE round_id = ? AND in_review = 1 AND json_extract(target, '$.emotion') = 'happiness'",
      round.id,
    )[0].n;
    expect(happy).toBeLessThanOrEqual(1);
    // self-consistency candidates carry their sample agreement; conditioned ones their tries and retry feedback
    const c = query<{ tries: number; attempts: string }>("SELECT tries, attempts FROM candidates WHERE round_id = ? AND method = 'conditioned' AND passed = 0 LIMIT 1", round.id)[0];
    if (c) {
      expect(c.tries).toBe(6);
      expect(JSON.parse(c.attempts)[0].feedback).toContain('### Previous Response Issues');
    }
  });
});

describe('iterate', () => {
  test('SFT → RL → round, a stop for approval, then the next iteration on the new snapshot', () => {
    const args = ['iterate', s.ws, '--split', 'main', '--rounds', '2', '--sft-steps', '5', '--rl-steps', '2', '--synth-limit', '6', '--user', 'lea', '--json'];
    const first = ok(args, 400_000);
    expect(first).toMatchObject({ iteration: 1, step: 'review', waitingForApproval: true });
    expect(first.runIds).toHaveLength(2);
    const runs = query<{ stage: string; config: string }>(`SELECT stage, config FROM runs WHERE id IN (${first.runIds.join(',')}) ORDER BY id`);
    expect(runs.map((r) => r.stage)).toEqual(['sft', 'rl']);
    const sftSnapshot = JSON.parse(runs[0].config).snapshot;
    expect(sftSnapshot).toBe(query<{ id: number }>("SELECT id FROM snapshots WHERE split IS 'main' ORDER BY id LIMIT 1")[0].id);
    // waiting: running it again does nothing new
    expect(ok(args, 60_000)).toMatchObject({ iteration: 1, waitingForApproval: true, roundId: first.roundId });

    ok(['review', s.ws, '--round', String(first.roundId), '--accept-passing', '--min-agreement', '0', '--user', 'lea', '--json']);
    const approved = ok(['review', s.ws, '--round', String(first.roundId), '--approve', '--user', 'lea', '--json']);
    const second = ok(args, 400_000);
    expect(second).toMatchObject({ iteration: 2, step: 'review', waitingForApproval: true });
    const sft2 = query<{ config: string }>('SELECT config FROM runs WHERE id = ?', second.runIds[0])[0];
    expect(JSON.parse(sft2.config).snapshot).toBe(approved.snapshotId);
    const snaps = ok(['snapshots', s.ws, '--json']).snapshots;
    expect(snaps.find((x: { id: number }) => x.id === approved.snapshotId).parent).toBe(sftSnapshot);
    // what the approval changed: the accepted candidates' records were added (or relabeled) between the snapshots
    const diff = ok(['snapshots', s.ws, '--diff', String(sftSnapshot), String(approved.snapshotId), '--json']);
    expect(diff.added.length + diff.relabeled.length).toBeLessThanOrEqual(approved.accepted);
    expect(diff.added.length + diff.relabeled.length).toBe(query<{ n: number }>("SELECT COUNT(*) AS n FROM snapshot_records sr JOIN revisions v ON v.id = sr.revision_id WHERE sr.snapshot_id = ? AND json_extract(v.provenance, '$.roundId') = ?", approved.snapshotId, first.roundId)[0].n);
    expect(diff.removed).toEqual([]);
  });
});
