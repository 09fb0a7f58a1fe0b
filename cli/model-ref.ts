/** A model named on the command line: its id, or `latest` (the newest trained policy, whatever its stage). */
import type Database from 'better-sqlite3';
import { latestPolicy } from '../db/repositories/models';
import { CliError } from './output';

export const LATEST_MODEL = 'latest';

/** Checks the form of a model reference before the workspace opens (usage errors come first). */
export function checkModelRef(flag: string, value: string): void {
  if (value === LATEST_MODEL) return;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${flag}: "${value}" is not a model id or "${LATEST_MODEL}"`);
}

/** The id a reference names; `latest` with no trained policy is refused. */
export function resolveModelRef(db: Database.Database, flag: string, value: string): number {
  checkModelRef(flag, value);
  if (value !== LATEST_MODEL) return Number(value);
  const m = latestPolicy(db);
  if (!m) throw new CliError(`${flag} ${LATEST_MODEL}: the workspace has no trained model yet (train one with "fea train")`, 1, 'not_found');
  return m.id;
}
