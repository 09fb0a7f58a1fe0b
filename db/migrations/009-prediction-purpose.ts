import type Database from 'better-sqlite3';

/**
 * Predictions carry their purpose: a `suggestion` is offered to annotators, an `eval` output is kept only to score a
 * model (offering it would copy a model's answers into the labels it is evaluated against). Until now only evaluation
 * wrote a policy's predictions, so those become `eval`. A split may allow suggestions on its held-out (test) records.
 * The suggestion source (face analysis unless a policy is chosen) lives in `meta` under `suggestion_model`.
 */
export function up(db: Database.Database): void {
  db.exec(`
    ALTER TABLE predictions ADD COLUMN purpose TEXT NOT NULL DEFAULT 'suggestion' CHECK (purpose IN ('suggestion', 'eval'));
    UPDATE predictions SET purpose = 'eval' WHERE model_id IN (SELECT id FROM models WHERE kind = 'policy');
    CREATE INDEX predictions_record_purpose ON predictions (record_id, purpose);
    ALTER TABLE splits ADD COLUMN suggestions_on_test INTEGER NOT NULL DEFAULT 0 CHECK (suggestions_on_test IN (0, 1));
  `);
}
