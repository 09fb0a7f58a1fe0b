import type Database from 'better-sqlite3';
import { NEUTRAL_EMOTION } from '../../pipelines/facs/vocabulary';

/**
 * A neutral face has no AUs by definition, so "neutral, no AUs" is a complete label: records stored as weak under
 * the old rule (every neutral face of an FEA-20K import, every neutral face labeled by hand) become labeled.
 * Only the derived status changes; revisions are untouched.
 */
export function up(db: Database.Database): void {
  db.prepare("UPDATE records SET status = 'labeled' WHERE status = 'weak' AND emotion = ? AND aus = ''").run(NEUTRAL_EMOTION);
}
