/** A workspace whose labels were partly stripped (emotion only, AUs only, nothing), as a round's input. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fea } from './cli';

export interface StrippedWorkspace {
  ws: string;
  /** Record id → what was left of its label. */
  kept: Map<string, 'all' | 'emotion' | 'aus' | 'nothing'>;
  /** The hidden labels: record id → emotion. */
  hidden: Map<string, string>;
}

/** `fea init --demo n`, exported as Facial-R1, every 4th record kept whole and the others stripped, imported again. */
export function strippedDemoWorkspace(dir: string, n: number, seed = 1): StrippedWorkspace {
  const demo = path.join(dir, 'demo');
  const out = path.join(dir, 'export');
  const ws = path.join(dir, 'ws');
  const run = (args: string[]) => {
    const r = fea(args, { timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`fea ${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  run(['init', demo, '--demo', String(n), '--seed', String(seed), '--json']);
  run(['export', demo, '--format', 'facial-r1', '--out', out, '--json']);
  const file = fs.readdirSync(out).find((f) => f.endsWith('.jsonl'))!;
  const kept = new Map<string, StrippedWorkspace['kept'] extends Map<string, infer V> ? V : never>();
  const hidden = new Map<string, string>();
  const lines = fs
    .readFileSync(path.join(out, file), 'utf8')
    .trim()
    .split('\n')
    .map((l, i) => {
      const r = JSON.parse(l);
      hidden.set(r.id, r.labels[0]);
      const k = i % 4;
      if (k === 1) Object.assign(r, { AUs: [], description: '' });
      else if (k === 2) Object.assign(r, { labels: [], description: '' });
      else if (k === 3) Object.assign(r, { labels: [], AUs: [], description: '' });
      kept.set(r.id, (['all', 'emotion', 'aus', 'nothing'] as const)[k]);
      return JSON.stringify(r);
    });
  fs.writeFileSync(path.join(out, 'stripped.jsonl'), `${lines.join('\n')}\n`);
  run(['init', ws, '--json']);
  run(['import', ws, path.join(out, 'stripped.jsonl'), '--images', path.join(out, 'images'), '--json']);
  return { ws, kept, hidden };
}
