/**
 * bench/real-faces: a folder tree of labelled photos (subfolders = emotions, as `fea import --format folders` reads)
 * through the public CLI, as a user would run it: import → analyze → an 80/20 split (by subject where the file
 * names carry one, --subject-pattern) → round 0 (known emotion + present AU estimates) accepted and approved into a
 * snapshot → SFT on it → RL from that → the test part's accuracy and macro-F1, next to the zero-shot expression
 * net's on the same test records, faces found, and the AU estimates' presence rates per emotion.
 * Progress on stderr; one JSON object on the last stdout line.
 * Usage: node dist/bench/real-faces.js <folder> [--limit 1200] [--classes angry,happy,…] [--subject-pattern REGEX]
 *   [--epochs 3] [--rl-steps 20] [--workers N] [--seed 1] [--expression-views 4] [--set key=value …] [--keep DIR] [--reuse DIR]
 * --limit takes a deterministic, class-proportional sample (by a hash of the seed and the file path), 0 = every image.
 * --set (repeatable) goes to the SFT run as `fea train --set`; without a classBalance of its own the run gets
 * classBalance=none (real photos in their natural class mix), and analysis stores 4 expression views unless
 * --expression-views says otherwise (TRAINING.md §8 measured with both). --reuse DIR starts from a copy of the workspace an
 * earlier `--keep DIR` run left (imported, analysed, split and round 0 approved) and runs only SFT, RL and the
 * scores, so training changes can be compared on the same analysis without paying for it again.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { parseStoredSummary } from '../services/splits/stored-summary';
import { arg, args, count } from './args';
import { fea } from './fea';

/** Views analysis stores per face here (`fea analyze --expression-views`): the face, its mirror, two photometric/geometric variants. */
const BENCH_EXPRESSION_VIEWS = 4;

const IMAGE_EXT = /\.(jpe?g|png|webp|bmp|tiff?|gif)$/i;

const r3 = (x: number) => Math.round(x * 1000) / 1000;
const log = (msg: string) => process.stderr.write(`[real-faces] ${msg}\n`);

export interface LabelledFile {
  folder: string;
  file: string;
}

/** The emotion folders' image files, or a class-proportional sample of `limit` of them (0 = all), in a seeded hash order. */
export function sampleTree(root: string, limit: number, seed: string, classes: string[] | null): LabelledFile[] {
  const folders = fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && (!classes || classes.includes(d.name)))
    .map((d) => d.name)
    .sort();
  if (folders.length === 0) throw new Error(`${root}: no emotion subfolders${classes ? ` named ${classes.join(', ')}` : ''}`);
  const byFolder = folders.map((folder) => {
    const files = fs.readdirSync(path.join(root, folder)).filter((f) => IMAGE_EXT.test(f));
    const key = (f: string) => createHash('sha1').update(`${seed}/${folder}/${f}`).digest('hex');
    return { folder, files: files.map((f) => ({ f, k: key(f) })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0)).map((x) => x.f) };
  });
  const total = byFolder.reduce((s, x) => s + x.files.length, 0);
  const take = (n: number) => (limit > 0 && limit < total ? Math.max(1, Math.round((n * limit) / total)) : n);
  return byFolder.flatMap(({ folder, files }) => files.slice(0, take(files.length)).map((file) => ({ folder, file })));
}

interface EvalReport {
  n: number;
  accuracy: number;
  macroF1: number;
  auF1Macro?: number;
  formatRate?: number;
}

interface TrainReply {
  modelId: number;
  metrics: { eval?: EvalReport } & Record<string, unknown>;
}

const Expressions = z.record(z.string(), z.number());
const AuEstimates = z.record(z.string(), z.object({ score: z.number(), present: z.boolean() }));

/** The SFT run's `--set` pairs: the recipe of TRAINING.md §8 (photos in their natural class mix) unless the run sets classBalance itself. */
export function sftSettings(given: string[]): string[] {
  return [...(given.some((kv) => kv.trim().startsWith('classBalance=')) ? [] : ['classBalance=none']), ...given];
}

/** Accuracy and macro-F1 of (truth, prediction) pairs over the truth's labels. */
export function accuracyAndMacroF1(pairs: { truth: string; predicted: string }[]): { n: number; accuracy: number; macroF1: number } {
  const labels = [...new Set(pairs.map((p) => p.truth))];
  const f1s = labels.map((l) => {
    const tp = pairs.filter((p) => p.truth === l && p.predicted === l).length;
    const fp = pairs.filter((p) => p.truth !== l && p.predicted === l).length;
    const fn = pairs.filter((p) => p.truth === l && p.predicted !== l).length;
    return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  });
  const right = pairs.filter((p) => p.truth === p.predicted).length;
  return { n: pairs.length, accuracy: pairs.length ? r3(right / pairs.length) : 0, macroF1: labels.length ? r3(f1s.reduce((a, b) => a + b, 0) / labels.length) : 0 };
}

interface AnalysedRecord {
  id: string;
  emotion: string | null;
  part: string | null;
  faceFound: boolean;
  expressions: Record<string, number>;
  present: string[];
}

function readAnalyses(ws: string, split: string): AnalysedRecord[] {
  const db = new Database(path.join(ws, 'fea.sqlite'), { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT r.id AS id, r.emotion AS emotion, sa.part AS part, a.face_found AS faceFound, a.expressions AS expressions, a.au_estimates AS aus
           FROM records r JOIN analyses a ON a.image_id = r.image_id
           LEFT JOIN split_assignments sa ON sa.record_id = r.id AND sa.split_id = (SELECT id FROM splits WHERE name = ?)
          WHERE a.error IS NULL ORDER BY r.id`,
      )
      .all(split) as { id: string; emotion: string | null; part: string | null; faceFound: number; expressions: string; aus: string }[];
    return rows.map((r) => {
      const aus = AuEstimates.parse(JSON.parse(r.aus));
      return {
        id: r.id,
        emotion: r.emotion,
        part: r.part,
        faceFound: r.faceFound === 1,
        expressions: Expressions.parse(JSON.parse(r.expressions)),
        present: Object.entries(aus).filter(([, e]) => e.present).map(([au]) => au),
      };
    });
  } finally {
    db.close();
  }
}

/** Whether any test record carries human AU labels: folders of photos bring none, and then AU F1 measures nothing. */
function testHasAuLabels(ws: string, split: string): boolean {
  const db = new Database(path.join(ws, 'fea.sqlite'), { readonly: true });
  try {
    const row = db
      .prepare(
        `SELECT COUNT(*) AS n FROM split_assignments sa JOIN splits s ON s.id = sa.split_id JOIN records r ON r.id = sa.record_id
          WHERE s.name = ? AND sa.part = 'test' AND r.aus <> ''`,
      )
      .get(split) as { n: number };
    return row.n > 0;
  } finally {
    db.close();
  }
}

/** What an earlier --keep run left in its workspace: the counts its steps printed, and round 0's approved snapshot. */
function reusedState(ws: string, split: string) {
  const db = new Database(path.join(ws, 'fea.sqlite'), { readonly: true });
  try {
    const one = (sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as Record<string, number | null>;
    const a = one('SELECT COUNT(*) AS n, COALESCE(SUM(face_found), 0) AS found FROM analyses WHERE error IS NULL');
    // the split as its step reported it: the summary `fea split` stored
    const stored = db.prepare('SELECT summary FROM splits WHERE name = ?').get(split) as { summary: string } | undefined;
    if (!stored) throw new Error(`${ws}: no split "${split}" to reuse`);
    const summary = parseStoredSummary(split, JSON.parse(stored.summary));
    const round = one("SELECT id, snapshot_id AS snapshotId FROM rounds WHERE status = 'approved' AND split = ? ORDER BY id LIMIT 1", split);
    if (!round || round.snapshotId === null) throw new Error(`${ws}: no approved round on split "${split}" to reuse (was it kept by a finished --keep run?)`);
    const c = one('SELECT COUNT(*) AS candidates, COALESCE(SUM(decision = \'accepted\'), 0) AS accepted FROM candidates WHERE round_id = ?', round.id);
    // whole subjects where the earlier run's file names carried one (--subject-pattern)
    const subjects = one('SELECT COUNT(*) AS n FROM images WHERE subject IS NOT NULL').n ?? 0;
    return {
      images: one('SELECT COUNT(*) AS n FROM images').n ?? 0,
      bySubject: subjects > 0,
      imported: one('SELECT COUNT(*) AS n FROM records').n ?? 0,
      analysed: a.n ?? 0,
      facesFound: a.found ?? 0,
      parts: summary.parts as Record<string, { n: number }>,
      roundId: round.id as number,
      snapshotId: round.snapshotId,
      candidates: c.candidates ?? 0,
      accepted: c.accepted ?? 0,
      sharedSubjects: summary.sharedSubjects,
    };
  } finally {
    db.close();
  }
}

/** The zero-shot expression net's answer, among the emotions the data set has. */
function zeroShot(expressions: Record<string, number>, labels: Set<string>): string {
  let best = '(none)';
  let p = -1;
  for (const [label, v] of Object.entries(expressions)) if (labels.has(label) && v > p) [best, p] = [label, v];
  return best;
}

function auRates(records: AnalysedRecord[]): Record<string, { n: number; facesFound: number; rates: Record<string, number> }> {
  const out: Record<string, { n: number; facesFound: number; rates: Record<string, number> }> = {};
  for (const emotion of [...new Set(records.map((r) => r.emotion ?? '(none)'))].sort()) {
    const mine = records.filter((r) => (r.emotion ?? '(none)') === emotion);
    const counts: Record<string, number> = {};
    for (const r of mine) for (const au of r.present) counts[au] = (counts[au] ?? 0) + 1;
    const rates = Object.fromEntries(
      Object.keys(counts)
        .sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)))
        .map((au) => [au, r3(counts[au] / mine.length)]),
    );
    out[emotion] = { n: mine.length, facesFound: mine.filter((r) => r.faceFound).length, rates };
  }
  return out;
}

function main(): void {
  const root = process.argv[2];
  if (!root || root.startsWith('--') || !fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error('usage: node dist/bench/real-faces.js <folder of emotion subfolders> [--limit N] [--epochs N] [--rl-steps N] …');
  }
  const limit = count('limit', 1200, 0);
  const epochs = count('epochs', 3, 1);
  const rlSteps = count('rl-steps', 20, 0);
  const seed = arg('seed', '1');
  const workers = arg('workers', '');
  const subjectPattern = arg('subject-pattern', '');
  const classesArg = arg('classes', '');
  const classes = classesArg ? classesArg.split(',').map((s) => s.trim()).filter(Boolean) : null;
  const keep = arg('keep', '');
  const reuse = arg('reuse', '');
  const views = String(count('expression-views', BENCH_EXPRESSION_VIEWS, 1));
  const sftSet = sftSettings(args('set'));
  const sets = sftSet.flatMap((kv) => ['--set', kv]);
  const t0 = performance.now();
  const seconds: Record<string, number> = {};
  const step = <T>(name: string, f: () => T): T => {
    log(`${name} …`);
    const t = performance.now();
    const v = f();
    seconds[name] = r3((performance.now() - t) / 1000);
    log(`${name} done in ${seconds[name]} s`);
    return v;
  };

  const dir = keep ? path.resolve(keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'fea-bench-real-'));
  fs.mkdirSync(dir, { recursive: true });
  const ws = path.join(dir, 'ws');
  if (fs.existsSync(ws)) throw new Error(`${ws} exists: --keep needs a new or empty folder`);
  try {
    // The sample as its own folder tree (hard links where the file system allows), so import reads only it.
    const files = sampleTree(root, limit, seed, classes);
    let prepared: ReturnType<typeof reusedState>;
    let importErrors = 0;
    if (reuse) {
      const from = path.join(path.resolve(reuse), 'ws');
      if (!fs.existsSync(path.join(from, 'fea.sqlite'))) throw new Error(`--reuse ${reuse}: no workspace at ${from}`);
      step('copy', () => fs.cpSync(from, ws, { recursive: true }));
      prepared = reusedState(ws, 'bench');
      log(`reusing ${from}: ${prepared.analysed} analysed, snapshot ${prepared.snapshotId}`);
    } else {
      const tree = path.join(dir, 'photos');
      for (const { folder, file } of files) {
        fs.mkdirSync(path.join(tree, folder), { recursive: true });
        const from = path.join(root, folder, file);
        const to = path.join(tree, folder, file);
        try {
          fs.linkSync(from, to);
        } catch {
          fs.copyFileSync(from, to);
        }
      }
      log(`${files.length} images from ${new Set(files.map((f) => f.folder)).size} emotion folders`);

      fea(['init', ws]);
      const imported = step('import', () =>
        // --allow-errors: a real set can hold the same image under two emotions; import refuses both and says so
        fea<{ imported: number; errors: unknown[] }>(['import', ws, tree, '--format', 'folders', '--allow-errors', ...(subjectPattern ? ['--subject-pattern', subjectPattern] : [])]),
      ).json;
      importErrors = imported.errors.length;
      const analysed = step('analyze', () =>
        fea<{ analyzed: number; facesFound: number; failed: number; facesBySource?: unknown }>(['analyze', ws, ...(workers ? ['--workers', workers] : []), '--expression-views', views]),
      ).json;
      const split = step('split', () =>
        fea<{ parts: Record<string, { n: number }>; sharedSubjects: number }>(['split', ws, '--name', 'bench', '--ratios', 'train=0.8,test=0.2', '--seed', seed]),
      ).json;
      fea(['users', ws, 'add', 'bench', '--role', 'lead']);
      // Round 0: the known emotion and the analysis' present AU estimates, for every training record; all of it is kept.
      const round = step('round0', () =>
        fea<{ roundId: number; candidates: number; kept: number }>(['synth', ws, '--split', 'bench', '--user', 'bench', '--seed', seed]),
      ).json;
      const reviewed = step('review', () => {
        fea(['review', ws, '--round', String(round.roundId), '--accept-passing', '--min-agreement', '0', '--user', 'bench']);
        return fea<{ accepted: number; pending: number; snapshotId?: number }>(['review', ws, '--round', String(round.roundId), '--approve', '--user', 'bench']).json;
      });
      if (reviewed.snapshotId === undefined) throw new Error('approving round 0 froze no snapshot');
      prepared = {
        images: files.length,
        bySubject: subjectPattern !== '',
        imported: imported.imported,
        analysed: analysed.analyzed,
        facesFound: analysed.facesFound,
        parts: split.parts,
        roundId: round.roundId,
        snapshotId: reviewed.snapshotId,
        candidates: round.candidates,
        accepted: reviewed.accepted,
        sharedSubjects: split.sharedSubjects,
      };
    }

    const evalOf = (reply: TrainReply, name: string): EvalReport =>
      reply.metrics.eval ?? step(`${name}-eval`, () => fea<EvalReport>(['eval', ws, '--model', String(reply.modelId), '--split', 'bench'])).json;
    const sft = step('sft', () =>
      fea<TrainReply>(['train', ws, '--stage', 'sft', '--snapshot', String(prepared.snapshotId), '--split', 'bench', '--epochs', String(epochs), '--seed', seed, ...sets]),
    ).json;
    const sftEval = evalOf(sft, 'sft');
    let rl: { modelId: number; eval: EvalReport } | null = null;
    if (rlSteps > 0) {
      const reply = step('rl', () =>
        fea<TrainReply>(['train', ws, '--stage', 'rl', '--from', String(sft.modelId), '--split', 'bench', '--steps', String(rlSteps), '--seed', seed]),
      ).json;
      rl = { modelId: reply.modelId, eval: evalOf(reply, 'rl') };
    }

    const records = readAnalyses(ws, 'bench');
    const labels = new Set(records.map((r) => r.emotion).filter((e): e is string => e !== null));
    const test = records.filter((r) => r.part === 'test' && r.emotion !== null);
    const zs = accuracyAndMacroF1(test.map((r) => ({ truth: r.emotion as string, predicted: zeroShot(r.expressions, labels) })));
    const auLabelled = testHasAuLabels(ws, 'bench');
    const pick = (e: EvalReport) => ({ n: e.n, accuracy: r3(e.accuracy), macroF1: r3(e.macroF1), ...(e.auF1Macro !== undefined && auLabelled ? { auF1Macro: r3(e.auF1Macro) } : {}), ...(e.formatRate !== undefined ? { formatRate: r3(e.formatRate) } : {}) });
    const out = {
      bench: 'real-faces',
      input: path.resolve(root),
      images: prepared.images,
      ...(reuse ? { reused: path.resolve(reuse) } : {}),
      imported: prepared.imported,
      importErrors,
      analysed: prepared.analysed,
      facesFound: prepared.facesFound,
      facesFoundRate: prepared.analysed ? r3(prepared.facesFound / prepared.analysed) : 0,
      split: { train: prepared.parts.train?.n ?? 0, test: prepared.parts.test?.n ?? 0, bySubject: prepared.bySubject, sharedSubjects: prepared.sharedSubjects },
      round0: { candidates: prepared.candidates, accepted: prepared.accepted, snapshotId: prepared.snapshotId },
      sftSet,
      zeroShot: zs,
      sft: { modelId: sft.modelId, epochs, ...pick(sftEval) },
      rl: rl ? { modelId: rl.modelId, steps: rlSteps, ...pick(rl.eval) } : null,
      auPresenceByEmotion: auRates(records),
      seconds: { ...seconds, total: r3((performance.now() - t0) / 1000) },
      cores: os.cpus().length,
      loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))),
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    main();
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
