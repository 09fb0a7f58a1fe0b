import type Database from 'better-sqlite3';

/** The suggestion source's policy (meta `suggestion_model`), or null: the face analysis' models (not policies). */
const CHOSEN_POLICY = "(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'suggestion_model' AND CAST(value AS INTEGER) > 0)";

/** The lowest top-emotion probability the suggestion source gave record `rid` (null: none). */
const scoreOf = (rid: string) => `(SELECT MIN(p.score) FROM predictions p JOIN models m ON m.id = p.model_id
  WHERE p.record_id = ${rid} AND p.purpose = 'suggestion' AND p.score IS NOT NULL
    AND (p.model_id = ${CHOSEN_POLICY} OR (${CHOSEN_POLICY} IS NULL AND m.kind <> 'policy')))`;

/** Every record that has (or had) a score from some source gets it recomputed: the source changed. */
const RESCORE_ALL = `UPDATE records SET suggestion_score = ${scoreOf('records.id')}
  WHERE suggestion_score IS NOT NULL OR id IN (SELECT record_id FROM predictions WHERE purpose = 'suggestion' AND score IS NOT NULL);`;

/**
 * The queue's `todo` and `uncertain` orders at a million records. `uncertain` sorted every record by a per-record
 * look-up into predictions (one per row, every page); the record now carries that value, `suggestion_score`, kept
 * by triggers wherever predictions or the suggestion source change (analysis workers, eval, `fea suggest --use`),
 * and both orders are expression indexes the queries match, so a page is an index walk, not a sort of the table.
 * records_aus serves the dashboard's AU counts (equal AU sets grouped in one index walk) and the AU filter's count.
 * The expressions are spelled exactly as db/repositories/records.ts's TODO_RANK / UNCERTAIN_KEY (SQLite matches an
 * indexed expression by its form).
 */
export function up(db: Database.Database): void {
  db.exec(`
    ALTER TABLE records ADD COLUMN suggestion_score REAL;
    UPDATE records SET suggestion_score = ${scoreOf('records.id')} WHERE id IN (SELECT record_id FROM predictions WHERE purpose = 'suggestion' AND score IS NOT NULL);

    CREATE TRIGGER predictions_score_insert AFTER INSERT ON predictions BEGIN
      UPDATE records SET suggestion_score = ${scoreOf('records.id')} WHERE id = NEW.record_id;
    END;
    CREATE TRIGGER predictions_score_update AFTER UPDATE OF record_id, model_id, score, purpose ON predictions BEGIN
      UPDATE records SET suggestion_score = ${scoreOf('records.id')} WHERE id IN (NEW.record_id, OLD.record_id);
    END;
    CREATE TRIGGER predictions_score_delete AFTER DELETE ON predictions BEGIN
      UPDATE records SET suggestion_score = ${scoreOf('records.id')} WHERE id = OLD.record_id;
    END;
    CREATE TRIGGER meta_suggestion_insert AFTER INSERT ON meta WHEN NEW.key = 'suggestion_model' BEGIN ${RESCORE_ALL} END;
    CREATE TRIGGER meta_suggestion_update AFTER UPDATE ON meta WHEN NEW.key = 'suggestion_model' OR OLD.key = 'suggestion_model' BEGIN ${RESCORE_ALL} END;
    CREATE TRIGGER meta_suggestion_delete AFTER DELETE ON meta WHEN OLD.key = 'suggestion_model' BEGIN ${RESCORE_ALL} END;

    CREATE INDEX records_todo ON records ((CASE status WHEN 'unlabeled' THEN 0 WHEN 'weak' THEN 1 ELSE 2 END), id);
    CREATE INDEX records_aus ON records (aus);
    CREATE INDEX records_uncertain ON records (((CASE status WHEN 'unlabeled' THEN 0 WHEN 'weak' THEN 1 ELSE 2 END) * 10 + COALESCE(suggestion_score, 2)), id);
  `);
}
