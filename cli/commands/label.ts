/**
 * `fea label <ws> <recordId> [--emotion E] [--aus AU1,AU4] [--reasoning TEXT] --user NAME [--create-user] [--strict] [--json]`:
 * adds a human revision exactly as the UI's submit does; fields not given carry over from the current revision.
 * The submit is checked against the revision it was based on (`--base`, else the one read here), so an answer
 * saved by someone else in between is refused as a conflict rather than silently replaced. The label form's checks
 * (pipelines/facs/reasoning) run on the answer and are printed (`--strict`: a failing one refuses it), every value
 * normalised on the way in is reported, and an unknown --user is refused unless --create-user (a typo is not a new annotator).
 */
import type { Command } from 'commander';
import { vocabulary } from '../../db/repositories/vocabulary';
import { listUsers, SYSTEM_USER } from '../../db/repositories/users';
import { normaliseAU, normaliseEmotion } from '../../pipelines/facs/normalise';
import { checkReasoning } from '../../pipelines/facs/reasoning';
import type { AUMark } from '../../pipelines/facs/vocabulary';
import { isFacsAU } from '../../pipelines/formats/vocabulary-check';
import { submitAnnotation } from '../../services/annotations/annotations';
import { recordHandlers } from '../../services/records/handlers';
import { findUser, usersEnsure } from '../../services/workspace/info';
import { call, withWorkspace } from '../workspace';
import { CliError, escapeForTerminal, printJson } from '../output';

interface Normalised {
  field: 'emotion' | 'aus';
  from: string;
  to: string;
}

function parseAUList(raw: string, normalised: Normalised[]): string[] {
  const tokens = raw.split(/[,\s]+/).filter(Boolean);
  const out: string[] = [];
  for (const t of tokens) {
    const au = normaliseAU(t);
    if (!au || !isFacsAU(au)) throw new CliError(`--aus: "${t}" is not an AU (expected e.g. AU1,AU4,AU15)`);
    if (out.includes(au)) {
      normalised.push({ field: 'aus', from: t, to: `(${au} given twice: once kept)` });
      continue;
    }
    if (au !== t) normalised.push({ field: 'aus', from: t, to: au });
    out.push(au);
  }
  return out;
}

/** The emotion as the workspace stores it (the submit accepts common spellings too: this names the change). */
function storedEmotion(vocab: readonly string[], raw: string, normalised: Normalised[]): string {
  const given = raw.trim();
  if (vocab.includes(given)) return given;
  const norm = normaliseEmotion(given);
  // not a known spelling: the submit refuses it with the vocabulary named
  if (!norm || !vocab.includes(norm)) return given;
  normalised.push({ field: 'emotion', from: raw, to: norm });
  return norm;
}

/** Names that differ from `name` only in case, or by one or two edits: the names a typo would have meant. */
function closeNames(name: string, names: readonly string[]): string[] {
  const a = name.toLowerCase();
  return names.filter((n) => {
    const b = n.toLowerCase();
    return b === a || editDistance(a, b) <= 2;
  });
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

interface LabelOpts {
  user: string;
  emotion?: string;
  aus?: string;
  reasoning?: string;
  base?: string;
  createUser?: boolean;
  strict?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('label')
    .description('add a human revision to a record (as the labeling UI does, with its checks); unspecified fields keep their current value')
    .argument('<workspace>', 'workspace folder')
    .argument('<recordId>', 'record id')
    .requiredOption('--user <name>', 'annotator name (an existing profile; see --create-user)')
    .option('--create-user', 'create --user as an annotator when no profile has that name')
    .option('--emotion <emotion>', 'emotion label ("" or none to clear)')
    .option('--aus <list>', 'comma-separated AUs, e.g. AU1,AU4 ("" or none to clear)')
    .option('--reasoning <text>', 'reasoning text, <think>…</think><answer>…</answer>')
    .option('--base <revisionId>', 'the revision your answer is based on (default: the current one, read now); another current revision is refused as a conflict')
    .option('--strict', 'refuse the answer (exit 1, nothing written) when a check of the label form fails')
    .option('--json', 'print {recordId, revisionId, status, checks, normalised} as one JSON object on the last line')
    .action((workspace: string, recordId: string, opts: LabelOpts) => {
      const userName = opts.user.trim();
      if (!userName || userName.length > 64) throw new CliError('--user must be 1–64 characters');
      if (opts.emotion === undefined && opts.aus === undefined && opts.reasoning === undefined) {
        throw new CliError('nothing to change: give --emotion, --aus and/or --reasoning');
      }
      const clear = (v: string) => v.trim() === '' || v.trim().toLowerCase() === 'none';
      const base = opts.base === undefined ? undefined : clear(opts.base) ? null : Number(opts.base);
      if (base !== undefined && base !== null && !(Number.isInteger(base) && base > 0)) throw new CliError(`--base: "${opts.base}" is not a revision id`);
      const normalised: Normalised[] = [];
      const newAUs = opts.aus === undefined ? undefined : clear(opts.aus) ? [] : parseAUList(opts.aus, normalised);
      return withWorkspace(workspace, async (ctx) => {
        const db = ctx.ws.db;
        const { current } = await call(recordHandlers(ctx), 'records.get', { id: recordId });
        let aus: AUMark[] = current?.aus ?? [];
        if (newAUs !== undefined) {
          // keep intensity/side of AUs that stay
          const prev = new Map(aus.map((m) => [m.au, m]));
          aus = newAUs.map((au) => prev.get(au) ?? { au });
        }
        const emotion =
          opts.emotion === undefined ? current?.emotion ?? null : clear(opts.emotion) ? null : storedEmotion(vocabulary(db, 'emotion'), opts.emotion, normalised);
        const reasoning = opts.reasoning ?? current?.reasoning ?? '';
        // the label form's checks, on the answer as it will be stored
        const checks = checkReasoning(reasoning, emotion, aus.map((m) => m.au));
        const failing = checks.filter((c) => !c.ok);
        const report = () => {
          if (opts.json) return;
          for (const n of normalised) process.stderr.write(`fea label: --${n.field} ${escapeForTerminal(JSON.stringify(n.from))} → ${escapeForTerminal(n.to)}\n`);
          for (const c of failing) process.stderr.write(`fea label: check ${c.id} fails: ${escapeForTerminal(c.message)}\n`);
        };
        report();
        const known = findUser(db, userName);
        // One transaction: a label the service refuses leaves no new user behind.
        const result = db.transaction(() => {
          const user = known ?? usersEnsure(db, userName, 'annotator', 'cli');
          const submitted = submitAnnotation(db, { recordId, userId: user.id, emotion, aus, reasoning, baseRevisionId: base === undefined ? current?.id ?? null : base, provenance: { via: 'cli' } });
          // after the label's own checks, so a bad label is named first; the rollback removes the user again
          if (!known && !opts.createUser) {
            const close = closeNames(userName, listUsers(db).filter((u) => u.name !== user.name && u.name !== SYSTEM_USER).map((u) => u.name));
            throw new CliError(
              `no profile named "${userName}"${close.length ? ` (did you mean ${close.map((n) => `"${n}"`).join(', ')}?)` : ''}; pass --create-user to create it`,
              2,
              'unknown_user',
            );
          }
          if (opts.strict && failing.length > 0) {
            throw new CliError(`--strict: ${failing.length} check${failing.length > 1 ? 's' : ''} of the label form fail${failing.length > 1 ? '' : 's'}: ${failing.map((c) => `${c.id}: ${c.message}`).join('; ')}`, 1, 'checks_failed');
          }
          return submitted;
        }).immediate();
        if (opts.json) printJson({ recordId, revisionId: result.revisionId, status: result.status, decisionId: result.decisionId, checks, normalised });
        else process.stdout.write(`${escapeForTerminal(recordId)}: revision ${result.revisionId}, status ${result.status}${failing.length ? `, ${failing.length} check${failing.length > 1 ? 's' : ''} failing` : ', all checks pass'}\n`);
      });
    });
}
