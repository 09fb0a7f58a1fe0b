/**
 * The data engine's speed and the self-consistency filter's precision, through the public CLI, on a demo workspace
 * whose labels were partly hidden (every 4th record kept whole; the others emotion only, AUs only, or nothing).
 * SFT on the complete records, then a round with the model: GT-conditioned generation (with retries) for the weak
 * records and self-consistency at G samples for the unlabeled ones; then one `fea iterate` for its wall time.
 * Prints one JSON object. Usage: node dist/bench/synth.js [--demo 600] [--samples 8] [--temperature 1] [--seed 1] [--no-iterate]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { fea } from './fea';
import { strippedDemoWorkspace } from '../tests/support/synthesis';
import { arg } from './args';

const r3 = (x: number) => Math.round(x * 1000) / 1000;

function main(): void {
  const demo = Number(arg('demo', '600'));
  const samples = arg('samples', '8');
  const temperature = arg('temperature', '1');
  const seed = Number(arg('seed', '1'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fea-bench-synth-'));
  try {
    const s = strippedDemoWorkspace(dir, demo, seed);
    fea(['users', s.ws, 'add', 'lead', '--role', 'lead']);
    fea(['split', s.ws, '--name', 'main', '--ratios', 'train=0.8,test=0.2', '--seed', String(seed)]);
    const sft = fea<{ modelId: number }>(['train', s.ws, '--stage', 'sft', '--split', 'main']);
    const round = fea<{ roundId: number; candidates: number; kept: number; flaggedClasses: string[] }>(['synth', s.ws, '--model', String(sft.json.modelId), '--samples', samples, '--temperature', temperature]);
    const db = new Database(path.join(s.ws, 'fea.sqlite'), { readonly: true });
    const rows = db
      .prepare('SELECT record_id AS id, method, emotion, agreement, kept, passed, tries, created_at AS at FROM candidates WHERE round_id = ? ORDER BY id')
      .all(round.json.roundId) as { id: string; method: string; emotion: string | null; agreement: number; kept: number; passed: number; tries: number; at: string }[];
    db.close();
    // the worker writes conditioned candidates first, then self-consistency: each method's rate from its own timestamps
    const rate = (method: string) => {
      const mine = rows.filter((r) => r.method === method);
      if (mine.length < 2) return null;
      const t = (Date.parse(mine[mine.length - 1].at) - Date.parse(mine[0].at)) / 1000;
      return { candidates: mine.length, perSecond: t > 0 ? r3((mine.length - 1) / t) : null, kept: mine.filter((r) => r.kept).length, meanTries: r3(mine.reduce((a, r) => a + r.tries, 0) / mine.length) };
    };
    const sc = rows.filter((r) => r.method === 'consistency');
    const atThreshold = (x: number) => {
      const kept = sc.filter((r) => r.passed && r.agreement >= x);
      const right = kept.filter((r) => r.emotion === s.hidden.get(r.id)).length;
      return { threshold: x, keptRate: r3(kept.length / Math.max(1, sc.length)), precision: kept.length ? r3(right / kept.length) : null, kept: kept.length };
    };
    let iteration: { seconds: number; result: unknown } | null = null;
    if (!process.argv.includes('--no-iterate')) {
      const it = fea(['iterate', s.ws, '--split', 'main', '--user', 'lead']);
      iteration = { seconds: r3(it.seconds), result: it.json };
    }
    process.stdout.write(
      `${JSON.stringify({
        demo,
        samples: Number(samples),
        temperature: Number(temperature),
        sftSeconds: r3(sft.seconds),
        roundSeconds: r3(round.seconds),
        round: round.json,
        conditioned: rate('conditioned'),
        selfConsistency: {
          ...rate('consistency'),
          emotionMatchesHiddenLabel: atThreshold(0),
          thresholds: [0.5, 0.75, 0.9].map(atThreshold),
        },
        iteration,
        note: 'per-second rates from the candidates\' write times (batches of 16 conditioned / 4×G consistency records); a 2-core machine shared with other work is noisy',
      })}\n`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
