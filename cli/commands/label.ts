/**
 * `fea label <ws> <recordId> [--emotion E] [--aus AU1,AU4] [--reasoning TEXT] --user NAME [--json]`:
 * adds a human revision exactly as the UI's submit does; fields not given carry over from the current revision.
 * The submit is checked against the revision it was based on (`--base`, else the one read here), so an answer
 * saved by someone else in between is refused as a conflict rather than silently replaced.
 */
import type { Command } from 'commander';
import { normaliseAU } from '../../pipelines/facs/normalise';
import type { AUMark } from '../../pipelines/facs/vocabulary';
import { isFacsAU } from '../../pipelines/formats/vocabulary-check';
import { submitAnnotation } from '../../services/annotations/annotations';
import { recordHandlers } from '../../services/records/handlers';
import { usersEnsure } from '../../services/workspace/info';
import { call, withWorkspace } from '../workspace';
import { CliError, escapeForTerminal, printJson } from '../output';

function parseAUList(raw: string): string[] {
  const tokens = raw.split(/[,\s]+/).filter(Boolean);
  const out: string[] = [];
  for (const t of tokens) {
    const au = normaliseAU(t);
    if (!au || !isFacsAU(au)) throw new CliError(`--aus: "${t}" is not an AU (expected e.g. AU1,AU4,AU15)`);
    out.push(au);
  }
  return out;
}

export function register(program: Command): void {
  program
    .command('label')
    .description('add a human revision to a record (as the labeling UI does); unspecified fields keep their current value')
    .argument('<workspace>', 'workspace folder')
    .argument('<recordId>', 'record id')
    .requiredOption('--user <name>', 'annotator name (created as an annotator when missing)')
    .option('--emotion <emotion>', 'emotion label ("" or none to clear)')
    .option('--aus <list>', 'comma-separated AUs, e.g. AU1,AU4 ("" or none to clear)')
    .option('--reasoning <text>', 'reasoning text, <think>…</think><answer>…</answer>')
    .option('--base <revisionId>', 'the revision your answer is based on (default: the current one, read now); another current revision is refused as a conflict')
    .option('--json', 'print {recordId, revisionId, status} as one JSON object on the last line')
    .action((workspace: string, recordId: string, opts: { user: string; emotion?: string; aus?: string; reasoning?: string; base?: string; json?: boolean }) => {
      const userName = opts.user.trim();
      if (!userName || userName.length > 64) throw new CliError('--user must be 1–64 characters');
      if (opts.emotion === undefined && opts.aus === undefined && opts.reasoning === undefined) {
        throw new CliError('nothing to change: give --emotion, --aus and/or --reasoning');
      }
      const clear = (v: string) => v.trim() === '' || v.trim().toLowerCase() === 'none';
      const base = opts.base === undefined ? undefined : clear(opts.base) ? null : Number(opts.base);
      if (base !== undefined && base !== null && !(Number.isInteger(base) && base > 0)) throw new CliError(`--base: "${opts.base}" is not a revision id`);
      const newAUs = opts.aus === undefined ? undefined : clear(opts.aus) ? [] : parseAUList(opts.aus);
      return withWorkspace(workspace, async (ctx) => {
        const { current } = await call(recordHandlers(ctx), 'records.get', { id: recordId });
        let aus: AUMark[] = current?.aus ?? [];
        if (newAUs !== undefined) {
          // keep intensity/side of AUs that stay
          const prev = new Map(aus.map((m) => [m.au, m]));
          aus = newAUs.map((au) => prev.get(au) ?? { au });
        }
        const emotion = opts.emotion === undefined ? current?.emotion ?? null : clear(opts.emotion) ? null : opts.emotion.trim();
        const reasoning = opts.reasoning ?? current?.reasoning ?? '';
        const db = ctx.ws.db;
        // One transaction: a label the service refuses leaves no new user behind.
        const result = db.transaction(() => {
          const user = usersEnsure(db, userName, 'annotator', 'cli');
          return submitAnnotation(db, { recordId, userId: user.id, emotion, aus, reasoning, baseRevisionId: base === undefined ? current?.id ?? null : base, provenance: { via: 'cli' } });
        }).immediate();
        if (opts.json) printJson({ recordId, revisionId: result.revisionId, status: result.status, decisionId: result.decisionId });
        else process.stdout.write(`${escapeForTerminal(recordId)}: revision ${result.revisionId}, status ${result.status}\n`);
      });
    });
}
