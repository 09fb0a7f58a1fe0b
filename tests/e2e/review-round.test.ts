/**
 * A dataset lead reviews a synthesis round in Chromium. A demo workspace is exported, part of its labels are
 * stripped (emotion only, AUs only, nothing) and it is imported into a new workspace with a lead; a split is made,
 * a tiny model trained, and a round generated. The lead reviews three candidates with the keyboard (accepts one,
 * fixes one, rejects one) and approves the round. Then: the snapshot holds exactly the records labeled before plus
 * the accepted and fixed ones, with its lineage; the rejected record is back in the label queue with its rejection in
 * its history; and the next SFT run trains on that snapshot.
 *
 * The round is round 0 (`fea synth <ws>`, from face analysis), not `--model latest`: a 30-step model's conditioned
 * outputs rarely pass the filter, so its round can hold no candidate to review, while round 0's candidates always
 * pass, which keeps the story deterministic. The model is still trained first, as in the data engine's loop.
 * Needs `npm run build`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REJECT_REASONS } from '../../pipelines/facs/vocabulary';
import { fea, feaAsync, type FeaRun } from '../support/cli';
import { useE2E } from '../support/e2e';
import { LabelPage } from '../support/label-page';
import { ReviewPage, signInAsExisting } from '../support/review-page';

const DEMO = 16;

function checked(args: string[], r: FeaRun): FeaRun['json'] {
  if (r.code !== 0) throw new Error(`fea ${args.join(' ')} exited ${r.code}:\n${r.stderr}\n${r.stdout}`);
  return r.json;
}
/** Before the server starts (building the workspace). */
const ok = (args: string[], timeoutMs = 120_000): FeaRun['json'] => checked(args, fea([...args, '--json'], { timeoutMs }));
/** While the in-process server runs: its event loop must not be blocked. */
const okAsync = async (args: string[], timeoutMs = 120_000): Promise<FeaRun['json']> => checked(args, await feaAsync([...args, '--json'], { timeoutMs }));

/** Every line keeps its image; lines 8–10 keep only their emotion, 11–13 only their AUs, 14–16 nothing. */
function stripLabels(jsonl: string): void {
  const lines = fs.readFileSync(jsonl, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { AUs: string[]; labels: string[]; description: string });
  lines.forEach((r, i) => {
    if (i >= 7 && i < 10) Object.assign(r, { AUs: [], description: '' });
    else if (i >= 10 && i < 13) Object.assign(r, { labels: [], description: '' });
    else if (i >= 13) Object.assign(r, { AUs: [], labels: [], description: '' });
  });
  fs.writeFileSync(jsonl, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}

const story: { roundId: number; labeledBefore: string[] } = { roundId: 0, labeledBefore: [] };

const e2e = useE2E({
  workspace(tmp) {
    const demo = path.join(tmp, 'demo');
    const out = path.join(tmp, 'export');
    const ws = path.join(tmp, 'workspace');
    ok(['init', demo, '--demo', String(DEMO), '--seed', '3']);
    const exported = ok(['export', demo, '--format', 'facial-r1', '--out', out]);
    const jsonl: string = exported.files[0].file;
    stripLabels(jsonl);
    ok(['init', ws]);
    const imported = ok(['import', ws, jsonl, '--images', path.join(out, 'images')]);
    expect(imported.imported).toBe(DEMO);
    ok(['users', ws, 'add', 'lea', '--role', 'lead']);
    ok(['users', ws, 'add', 'ann', '--role', 'annotator']);
    ok(['split', ws, '--name', 'main', '--ratios', 'train=0.8,test=0.2']);
    const trained = ok(['train', ws, '--stage', 'sft', '--split', 'main', '--steps', '30'], 300_000);
    expect(trained.modelId).toBeGreaterThan(0);
    story.labeledBefore = (ok(['records', ws]).records as { id: string; status: string }[]).filter((r) => r.status === 'labeled' || r.status === 'reviewed').map((r) => r.id);
    const round = ok(['synth', ws], 300_000);
    expect(round.inReview).toBeGreaterThanOrEqual(3);
    story.roundId = round.roundId;
    return ws;
  },
});

e2e.test(
  'a lead reviews a round with the keyboard, approves it, and the next SFT run trains on its snapshot',
  async (ctx) => {
    const { api } = ctx;
    const started = Date.now();

    // An annotator may look, but the service refuses them the approval, and the view says why.
    const annotator = new ReviewPage(ctx);
    await signInAsExisting(ctx, 'ann');
    await ctx.gotoApp('#/review');
    const arrived = await annotator.waitForCandidate();
    // Keys work on arrival, before any click: J moves down the queue.
    expect((await annotator.next()).candidateId).not.toBe(arrived.candidateId);
    expect(await annotator.approveRefused()).toMatch(/lead role/);

    // The lead takes over the screen and opens the round; keys work on arrival. The queue is lowest agreement first.
    const review = annotator;
    await review.switchTo('lea');
    await review.pickRound(story.roundId);
    await review.waitForCandidate();
    const rows = await review.rows();
    expect(rows.length).toBeGreaterThanOrEqual(3);
    const { rows: served } = await api['review.queue']({ roundId: story.roundId });
    expect(rows.map((r) => r.candidateId)).toEqual(served.map((r) => r.id));
    await ctx.screenshot('review-round-queue');

    // Evidence: every AU claim in the reasoning is highlighted, those the estimator scores absent are flagged, and
    // hovering a claim lights up its face region on the image.
    // (the first candidate with claims: a neutral face names none)
    let claims = await review.claims();
    let steps = 0;
    while (claims.length === 0 && steps < rows.length - 1) {
      await review.next();
      steps++;
      claims = await review.claims();
    }
    const detail = await api['review.candidate']({ candidateId: (await review.selected()).candidateId });
    expect(claims.length).toBeGreaterThan(0);
    expect(claims.filter((c) => c.flagged).map((c) => c.au)).toEqual(claims.map((c) => c.au).filter((au) => detail.flaggedAUs.includes(au)));
    const withRegion = claims.find((c) => detail.auRegions.some((r) => r.au === c.au));
    expect(withRegion).toBeDefined();
    expect(await review.hoverClaim(withRegion!.au)).toEqual([withRegion!.au]);
    await ctx.screenshot('review-claim-region');
    for (; steps > 0; steps--) await review.previous();

    // The hallucination filter keeps the flagged candidates only, as the service counts them.
    // (This seeded workspace's round has some flagged candidates and some not.)
    const flaggedRows = served.filter((r) => r.hallucinations >= 1).length;
    expect(flaggedRows).toBeGreaterThan(0);
    expect(flaggedRows).toBeLessThan(served.length);
    expect(await review.filterFlagged(true)).toHaveLength(flaggedRows);
    expect(await review.filterFlagged(false)).toHaveLength(served.length);
    await review.waitForCandidate();

    // Batch accept shows its count before anything is accepted.
    const passing = await review.batchCount(0);
    expect(passing).toBe(rows.length);
    await review.closeDialog();
    expect((await api['rounds.get']({ roundId: story.roundId })).accepted).toBe(0);

    // One accepted, one fixed, one rejected. The second candidate is accepted by mistake: undo reopens it (and selects
    // it again), and the lead fixes it instead.
    const accepted = await review.accept();
    const mistaken = await review.accept();
    await review.undo(mistaken.candidateId);
    await review.waitForCandidate();
    expect((await review.selected()).candidateId).toBe(mistaken.candidateId);
    const fixed = await review.fix({ emotion: 'sadness' });
    expect(fixed.candidateId).toBe(mistaken.candidateId);
    const rejected = await review.reject(1);
    await ctx.screenshot('review-decided');
    const after = await review.rows();
    const decisionOf = (id: number) => after.find((r) => r.candidateId === id)?.decision;
    expect([decisionOf(accepted.candidateId), decisionOf(fixed.candidateId), decisionOf(rejected.candidateId)]).toEqual(['accepted', 'fixed', 'rejected']);
    expect(after.filter((r) => r.decision !== 'pending')).toHaveLength(3);
    const mistakeHistory = (await api['review.candidate']({ candidateId: fixed.candidateId })).history.map((d) => d.decision);
    expect(mistakeHistory).toEqual(['accepted', 'reopened', 'fixed']);
    const rejectedStatus = (await api['records.get']({ id: rejected.recordId })).row.status;

    // The lead approves in the UI: the snapshot id and its lineage are shown.
    const { snapshotId, lineage } = await review.approve();
    expect(lineage).toContain(`round ${story.roundId}`);
    expect(lineage).toContain('reviewer lea');
    await ctx.screenshot('review-approved');

    // The snapshot holds exactly the records labeled before plus the accepted and fixed ones (less the split's test part).
    const snapshots = (await okAsync(['snapshots', ctx.workspaceDir])).snapshots as { id: number; records: number; lineage: { round: number; reviewer: string } }[];
    const snap = snapshots.find((s) => s.id === snapshotId);
    expect(snap?.lineage).toMatchObject({ round: story.roundId, reviewer: 'lea' });
    const testPart = new Set(
      (ctx.db().prepare(`SELECT sa.record_id AS id FROM split_assignments sa WHERE sa.part = 'test'`).all() as { id: string }[]).map((r) => r.id),
    );
    const expected = [...new Set([...story.labeledBefore, accepted.recordId, fixed.recordId])].filter((id) => !testPart.has(id)).sort();
    const held = (ctx.db().prepare('SELECT record_id AS id FROM snapshot_records WHERE snapshot_id = ? ORDER BY record_id').all(snapshotId) as { id: string }[]).map((r) => r.id);
    expect(held).toEqual(expected);
    expect(snap?.records).toBe(expected.length);
    expect(held).not.toContain(rejected.recordId);
    const fixedRecord = await api['records.get']({ id: fixed.recordId });
    expect(fixedRecord.row.emotion).toBe('sadness');
    // The revisions the approval wrote record the candidate they came from (a fix is the fixer's human revision).
    const provenanceOf = (recordId: string) => {
      const row = ctx.db().prepare('SELECT v.kind, v.provenance FROM records r JOIN revisions v ON v.id = r.current_revision_id WHERE r.id = ?').get(recordId) as { kind: string; provenance: string };
      return { kind: row.kind, ...(JSON.parse(row.provenance) as { roundId: number; candidateId: number; reviewer: string }) };
    };
    expect(provenanceOf(fixed.recordId)).toMatchObject({ kind: 'human', roundId: story.roundId, candidateId: fixed.candidateId, reviewer: 'lea' });
    expect(provenanceOf(accepted.recordId)).toMatchObject({ kind: 'synthesis', roundId: story.roundId, candidateId: accepted.candidateId, reviewer: 'lea' });

    // The rejected record is back in the label queue, its status unchanged and its rejection in its history.
    expect((await api['records.get']({ id: rejected.recordId })).row.status).toBe(rejectedStatus);
    const { ids } = await api['queue.next']({ filter: { status: rejectedStatus }, count: 20 });
    expect(ids).toContain(rejected.recordId);
    const history = await api['records.history']({ id: rejected.recordId });
    expect(history.reviews?.map((d) => [d.decision, d.reason])).toContainEqual(['rejected', REJECT_REASONS[0]]);
    const label = new LabelPage(ctx);
    await ctx.gotoApp(`#/label/${rejected.recordId}`);
    await label.waitForRecord({ id: rejected.recordId });
    await ctx.page.waitForSelector(`[data-testid="review-history-item"][data-decision="rejected"]`);
    expect(await ctx.page.textContent('[data-testid="review-history"]')).toContain(REJECT_REASONS[0]);
    await ctx.screenshot('label-rejected-history');

    // The next SFT run trains on that snapshot: its run config names it.
    // The round ran without a split, so the snapshot has none: --split names the part that evaluates the model.
    const run = await okAsync(['train', ctx.workspaceDir, '--stage', 'sft', '--snapshot', String(snapshotId), '--split', 'main', '--steps', '5'], 300_000);
    const { run: stored } = await api['runs.get']({ runId: run.runId });
    expect(stored.config.snapshot).toBe(snapshotId);
    console.log(`review-round story: ${((Date.now() - started) / 1000).toFixed(1)} s in the browser and after`);
  },
  600_000,
);
