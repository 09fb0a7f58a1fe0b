/** Output conventions of the `fea` CLI: with --json the last stdout line is one JSON object; progress goes to stderr on a TTY. */
import { SingleBar, Presets } from 'cli-progress';
import { CommanderError } from 'commander';
import { ApiError } from '../contract/dispatch';
import { escapeForTerminal } from '../contract/text';
import { WorkspaceError } from '../db/open';

/** The one escape of user-controlled text (record ids, names, file contents, error messages) printed to a terminal. */
export { escapeForTerminal };

/** A usage error (exit 2) or another failure the command itself detects. */
export class CliError extends Error {
  constructor(
    message: string,
    public readonly exitCode = 2,
    public readonly code = exitCode === 2 ? 'usage' : 'failed',
  ) {
    super(message);
  }
}

/** Bad input to a command is a usage error (2); any other refusal of a handler (not_found, conflict, empty, …) fails it (1). */
const EXIT_CODE_OF_API_ERROR: Record<string, number> = { invalid_input: 2, invalid_label: 2 };

interface CliFailure {
  code: string;
  message: string;
  exitCode: number;
}

/** The one error mapping of every command. */
function failureOf(err: unknown): CliFailure {
  if (err instanceof CliError) return { code: err.code, message: err.message, exitCode: err.exitCode };
  if (err instanceof ApiError) return { code: err.code, message: err.message, exitCode: EXIT_CODE_OF_API_ERROR[err.code] ?? 1 };
  if (err instanceof WorkspaceError) return { code: 'workspace', message: err.message, exitCode: 1 };
  if (err instanceof CommanderError) return { code: 'usage', message: err.message, exitCode: err.exitCode === 0 ? 0 : 2 };
  return { code: 'internal', message: err instanceof Error ? err.message : String(err), exitCode: 1 };
}

/**
 * Prints a failure: the message on stderr (commander has printed its own already), and with --json the last stdout
 * line is {"error": {code, message}}. Returns the exit code.
 */
export function reportFailure(err: unknown, json: boolean): number {
  const f = failureOf(err);
  if (f.exitCode === 0) return 0;
  if (!(err instanceof CommanderError)) process.stderr.write(`fea: ${escapeForTerminal(f.message)}\n`);
  if (json) printJson({ error: { code: f.code, message: f.message } });
  return f.exitCode;
}

/** "1 record", "2 records": a count with its noun in the right number. */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export interface Progress {
  update(done: number, total?: number): void;
  stop(): void;
}

/** A progress bar on stderr when it is a terminal; silent otherwise. */
export function progressBar(label: string, total: number): Progress {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({ format: `${label} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted}`, stream: process.stderr, hideCursor: true }, Presets.shades_classic);
  bar.start(total, 0);
  return {
    update: (done, t) => {
      if (t !== undefined) bar.setTotal(t);
      bar.update(done);
    },
    stop: () => bar.stop(),
  };
}
