/**
 * The review view's commands: each decision or move a key or a button can ask for, named once as a typed union,
 * with its label and default keys. Handlers are a `Record` over the union, so a command nobody handles does not
 * compile (as in the label view's commands.ts).
 */
import { REJECT_REASONS } from '../../../pipelines/facs/vocabulary';

export type ReviewCommand =
  | { type: 'accept' }
  | { type: 'fix' }
  | { type: 'reject' }
  | { type: 'undo' }
  | { type: 'next' }
  | { type: 'prev' }
  | { type: 'help' };

export type ReviewCommandType = ReviewCommand['type'];

/** Label and default keys of each command; the first key is the one the buttons show. */
export const REVIEW_COMMANDS: Record<ReviewCommandType, { label: string; keys: readonly string[] }> = {
  accept: { label: 'Accept', keys: ['a'] },
  fix: { label: 'Fix & Accept', keys: ['f'] },
  reject: { label: 'Reject with a reason', keys: ['r'] },
  undo: { label: 'Undo my last decision', keys: ['u', 'ctrl+z', 'meta+z'] },
  next: { label: 'Next candidate', keys: ['j', 'arrowdown'] },
  prev: { label: 'Previous candidate', keys: ['k', 'arrowup'] },
  help: { label: 'Key help', keys: ['?'] },
};

export const REVIEW_COMMAND_ORDER = Object.keys(REVIEW_COMMANDS) as ReviewCommandType[];

export type ReviewCommandHandlers = { [K in ReviewCommandType]: (command: Extract<ReviewCommand, { type: K }>) => void };

export function runReviewCommand(handlers: ReviewCommandHandlers, command: ReviewCommand): void {
  // The mapped type pairs each type with its handler; TypeScript cannot follow that through an index, hence the cast.
  (handlers[command.type] as (c: ReviewCommand) => void)(command);
}

/** Held down, these repeat (moving through the queue); decisions fire once per press. */
export const REPEATING_REVIEW_COMMANDS: ReadonlySet<ReviewCommandType> = new Set<ReviewCommandType>(['next', 'prev']);
/** These need a candidate on screen. */
export const CANDIDATE_COMMANDS: ReadonlySet<ReviewCommandType> = new Set<ReviewCommandType>(['accept', 'fix', 'reject']);

export type ReviewKeyIndex = ReadonlyMap<string, ReviewCommand>;

/** Pressed key → command; the first command bound to a key wins. */
export function buildReviewKeyIndex(): ReviewKeyIndex {
  const index = new Map<string, ReviewCommand>();
  for (const type of REVIEW_COMMAND_ORDER) {
    for (const key of REVIEW_COMMANDS[type].keys) if (!index.has(key)) index.set(key, { type } as ReviewCommand);
  }
  return index;
}

/** The reject prompt's short list: number key n picks REJECT_REASONS[n - 1]. */
export function reasonForKey(key: string): string | null {
  if (!/^[1-9]$/.test(key)) return null;
  return REJECT_REASONS[Number(key) - 1] ?? null;
}
