import type Database from 'better-sqlite3';

/**
 * The data engine: synthesis rounds and their candidates, the dataset lead's append-only review decisions,
 * immutable training-set snapshots with lineage, and iterations (SFT → RL → round → approval).
 *
 * A snapshot is written in one transaction: its row (sealed_at NULL), its (record, revision) pairs, then the seal.
 * Triggers refuse every later change: pairs of a sealed snapshot, any update but the seal itself, any delete.
 */
export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE snapshots (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      parent_id INTEGER REFERENCES snapshots (id),
      split TEXT,
      part TEXT,
      model_id INTEGER REFERENCES models (id),
      round_id INTEGER,
      reviewer_id INTEGER REFERENCES users (id),
      records INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL,
      sealed_at TEXT
    ) STRICT;
    CREATE TABLE snapshot_records (
      snapshot_id INTEGER NOT NULL REFERENCES snapshots (id),
      record_id TEXT NOT NULL REFERENCES records (id),
      revision_id INTEGER NOT NULL REFERENCES revisions (id),
      PRIMARY KEY (snapshot_id, record_id)
    ) STRICT, WITHOUT ROWID;
    CREATE TRIGGER snapshots_no_update BEFORE UPDATE ON snapshots
      WHEN OLD.sealed_at IS NOT NULL
        OR NEW.sealed_at IS NULL
        OR NEW.id IS NOT OLD.id OR NEW.name IS NOT OLD.name OR NEW.parent_id IS NOT OLD.parent_id
        OR NEW.split IS NOT OLD.split OR NEW.part IS NOT OLD.part OR NEW.model_id IS NOT OLD.model_id
        OR NEW.round_id IS NOT OLD.round_id OR NEW.reviewer_id IS NOT OLD.reviewer_id
        OR NEW.created_at IS NOT OLD.created_at
    BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END;
    CREATE TRIGGER snapshots_no_delete BEFORE DELETE ON snapshots BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END;
    CREATE TRIGGER snapshot_records_sealed BEFORE INSERT ON snapshot_records
      WHEN (SELECT sealed_at FROM snapshots WHERE id = NEW.snapshot_id) IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END;
    CREATE TRIGGER snapshot_records_no_update BEFORE UPDATE ON snapshot_records BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END;
    CREATE TRIGGER snapshot_records_no_delete BEFORE DELETE ON snapshot_records BEGIN SELECT RAISE(ABORT, 'snapshots are immutable'); END;

    CREATE TABLE iterations (
      id INTEGER PRIMARY KEY,
      split TEXT NOT NULL,
      number INTEGER NOT NULL,
      rounds_total INTEGER NOT NULL,
      step TEXT NOT NULL CHECK (step IN ('sft', 'rl', 'synth', 'review', 'done', 'failed')),
      snapshot_id INTEGER REFERENCES snapshots (id),
      sft_run_id INTEGER REFERENCES runs (id),
      rl_run_id INTEGER REFERENCES runs (id),
      round_id INTEGER,
      next_snapshot_id INTEGER REFERENCES snapshots (id),
      config TEXT NOT NULL DEFAULT '{}',
      error TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE rounds (
      id INTEGER PRIMARY KEY,
      status TEXT NOT NULL CHECK (status IN ('running', 'stopped', 'failed', 'review', 'approved')),
      model_id INTEGER REFERENCES models (id),
      split TEXT,
      part TEXT,
      iteration_id INTEGER REFERENCES iterations (id),
      config TEXT NOT NULL,
      report TEXT NOT NULL DEFAULT '{}',
      total INTEGER NOT NULL DEFAULT 0,
      error TEXT,
      created_by INTEGER REFERENCES users (id),
      approved_by INTEGER REFERENCES users (id),
      approved_at TEXT,
      snapshot_id INTEGER REFERENCES snapshots (id),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE candidates (
      id INTEGER PRIMARY KEY,
      round_id INTEGER NOT NULL REFERENCES rounds (id),
      record_id TEXT NOT NULL REFERENCES records (id),
      method TEXT NOT NULL CHECK (method IN ('conditioned', 'consistency', 'analysis')),
      base_revision_id INTEGER REFERENCES revisions (id),
      output TEXT NOT NULL,
      emotion TEXT,
      aus TEXT NOT NULL DEFAULT '',
      target TEXT NOT NULL,
      reward TEXT NOT NULL,
      checks TEXT NOT NULL,
      attempts TEXT NOT NULL DEFAULT '[]',
      agreement REAL NOT NULL,
      tries INTEGER NOT NULL,
      passed INTEGER NOT NULL,
      kept INTEGER NOT NULL,
      in_review INTEGER NOT NULL DEFAULT 0,
      face_found INTEGER NOT NULL,
      hallucinations INTEGER NOT NULL DEFAULT 0,
      flagged_aus TEXT NOT NULL DEFAULT '',
      model_id INTEGER REFERENCES models (id),
      decision TEXT NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending', 'accepted', 'fixed', 'rejected')),
      created_at TEXT NOT NULL,
      UNIQUE (round_id, record_id)
    ) STRICT;
    CREATE INDEX candidates_queue ON candidates (round_id, in_review, agreement, id);
    CREATE INDEX candidates_record ON candidates (record_id);

    CREATE TABLE candidate_decisions (
      id INTEGER PRIMARY KEY,
      candidate_id INTEGER NOT NULL REFERENCES candidates (id),
      user_id INTEGER NOT NULL REFERENCES users (id),
      decision TEXT NOT NULL CHECK (decision IN ('accepted', 'fixed', 'rejected', 'reopened')),
      reason TEXT,
      fix TEXT,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX candidate_decisions_candidate ON candidate_decisions (candidate_id, id);
    CREATE TRIGGER candidate_decisions_no_update BEFORE UPDATE ON candidate_decisions BEGIN SELECT RAISE(ABORT, 'review decisions are append-only'); END;
    CREATE TRIGGER candidate_decisions_no_delete BEFORE DELETE ON candidate_decisions BEGIN SELECT RAISE(ABORT, 'review decisions are append-only'); END;
  `);
}
