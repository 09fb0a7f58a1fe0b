import type Database from 'better-sqlite3';

/** The first schema: images, records, immutable revisions, predictions, users, audit log, splits, analysis, runs, models. */
export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

    CREATE TABLE vocabulary (
      kind TEXT NOT NULL CHECK (kind IN ('emotion', 'au')),
      label TEXT NOT NULL,
      position INTEGER NOT NULL,
      PRIMARY KEY (kind, label)
    ) STRICT;

    CREATE TABLE users (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      role TEXT NOT NULL CHECK (role IN ('annotator', 'lead', 'researcher', 'admin')),
      settings TEXT NOT NULL DEFAULT '{}',
      created_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE images (
      id INTEGER PRIMARY KEY,
      sha256 TEXT NOT NULL UNIQUE,
      rel_path TEXT NOT NULL,
      width INTEGER NOT NULL,
      height INTEGER NOT NULL,
      original_name TEXT NOT NULL,
      subject TEXT,
      source TEXT,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX images_subject ON images (subject);

    CREATE TABLE records (
      id TEXT PRIMARY KEY,
      image_id INTEGER NOT NULL REFERENCES images (id),
      source TEXT,
      question TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('unlabeled', 'weak', 'labeled', 'reviewed')),
      current_revision_id INTEGER REFERENCES revisions (id),
      emotion TEXT,
      aus TEXT NOT NULL DEFAULT '',
      author_id INTEGER REFERENCES users (id),
      meta TEXT NOT NULL DEFAULT '{}',
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX records_status ON records (status, id);
    CREATE INDEX records_emotion ON records (emotion, id);
    CREATE INDEX records_source ON records (source, id);
    CREATE INDEX records_author ON records (author_id, id);
    CREATE INDEX records_updated ON records (updated_at, id);
    CREATE INDEX records_image ON records (image_id);

    CREATE TABLE revisions (
      id INTEGER PRIMARY KEY,
      record_id TEXT NOT NULL REFERENCES records (id),
      emotion TEXT,
      reasoning TEXT NOT NULL DEFAULT '',
      author_id INTEGER NOT NULL REFERENCES users (id),
      kind TEXT NOT NULL CHECK (kind IN ('human', 'import', 'model', 'synthesis')),
      parent_revision_id INTEGER REFERENCES revisions (id),
      parent_prediction_id INTEGER REFERENCES predictions (id),
      lead_time_ms INTEGER,
      provenance TEXT NOT NULL DEFAULT '{}',
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX revisions_record ON revisions (record_id, id);
    CREATE INDEX revisions_author_time ON revisions (author_id, created_at);
    CREATE INDEX revisions_time ON revisions (kind, created_at);
    CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions BEGIN SELECT RAISE(ABORT, 'revisions are immutable'); END;
    CREATE TRIGGER revisions_no_delete BEFORE DELETE ON revisions BEGIN SELECT RAISE(ABORT, 'revisions are immutable'); END;

    CREATE TABLE revision_aus (
      revision_id INTEGER NOT NULL REFERENCES revisions (id),
      au TEXT NOT NULL,
      intensity TEXT CHECK (intensity IN ('A', 'B', 'C', 'D', 'E')),
      side TEXT CHECK (side IN ('L', 'R')),
      PRIMARY KEY (revision_id, au)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX revision_aus_au ON revision_aus (au, revision_id);
    CREATE TRIGGER revision_aus_no_update BEFORE UPDATE ON revision_aus BEGIN SELECT RAISE(ABORT, 'revisions are immutable'); END;
    CREATE TRIGGER revision_aus_no_delete BEFORE DELETE ON revision_aus BEGIN SELECT RAISE(ABORT, 'revisions are immutable'); END;

    CREATE TABLE drafts (
      record_id TEXT NOT NULL REFERENCES records (id),
      user_id INTEGER NOT NULL REFERENCES users (id),
      payload TEXT NOT NULL,
      saved_at TEXT NOT NULL,
      PRIMARY KEY (record_id, user_id)
    ) STRICT;

    CREATE TABLE decisions (
      id INTEGER PRIMARY KEY,
      user_id INTEGER NOT NULL REFERENCES users (id),
      record_id TEXT NOT NULL REFERENCES records (id),
      kind TEXT NOT NULL CHECK (kind IN ('submit', 'skip')),
      revision_id INTEGER REFERENCES revisions (id),
      previous_revision_id INTEGER REFERENCES revisions (id),
      previous_status TEXT,
      reason TEXT,
      created_at TEXT NOT NULL,
      undone_at TEXT
    ) STRICT;
    CREATE INDEX decisions_user ON decisions (user_id, id);

    CREATE TABLE models (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      version TEXT NOT NULL,
      kind TEXT NOT NULL,
      stage TEXT,
      run_id INTEGER REFERENCES runs (id),
      parent_model_id INTEGER REFERENCES models (id),
      path TEXT,
      backend TEXT,
      config TEXT NOT NULL DEFAULT '{}',
      created_at TEXT NOT NULL,
      UNIQUE (name, version)
    ) STRICT;

    CREATE TABLE predictions (
      id INTEGER PRIMARY KEY,
      record_id TEXT NOT NULL REFERENCES records (id),
      model_id INTEGER NOT NULL REFERENCES models (id),
      emotion TEXT,
      score REAL,
      emotion_scores TEXT NOT NULL DEFAULT '{}',
      aus TEXT NOT NULL DEFAULT '[]',
      reasoning TEXT NOT NULL DEFAULT '',
      created_at TEXT NOT NULL,
      UNIQUE (record_id, model_id)
    ) STRICT;
    CREATE INDEX predictions_model ON predictions (model_id, score);

    CREATE TABLE analyses (
      image_id INTEGER PRIMARY KEY REFERENCES images (id),
      face_found INTEGER NOT NULL,
      box TEXT,
      landmarks TEXT NOT NULL DEFAULT '[]',
      descriptor BLOB,
      crop_gray_path TEXT,
      crop_color_path TEXT,
      au_estimates TEXT NOT NULL DEFAULT '{}',
      expressions TEXT NOT NULL DEFAULT '{}',
      phash TEXT,
      backend TEXT NOT NULL,
      error TEXT,
      created_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE splits (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      config TEXT NOT NULL,
      summary TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE split_assignments (
      split_id INTEGER NOT NULL REFERENCES splits (id) ON DELETE CASCADE,
      record_id TEXT NOT NULL REFERENCES records (id),
      part TEXT NOT NULL,
      PRIMARY KEY (split_id, record_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX split_assignments_part ON split_assignments (split_id, part, record_id);
    CREATE INDEX split_assignments_record ON split_assignments (record_id);

    CREATE TABLE runs (
      id INTEGER PRIMARY KEY,
      stage TEXT NOT NULL CHECK (stage IN ('sft', 'rl')),
      status TEXT NOT NULL CHECK (status IN ('running', 'stopped', 'done', 'failed')),
      split TEXT NOT NULL,
      seed INTEGER NOT NULL,
      backend TEXT NOT NULL,
      config TEXT NOT NULL,
      step INTEGER NOT NULL DEFAULT 0,
      total_steps INTEGER NOT NULL DEFAULT 0,
      checkpoint_path TEXT,
      model_id INTEGER REFERENCES models (id),
      parent_model_id INTEGER REFERENCES models (id),
      error TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE run_metrics (
      run_id INTEGER NOT NULL REFERENCES runs (id),
      step INTEGER NOT NULL,
      metrics TEXT NOT NULL,
      PRIMARY KEY (run_id, step)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE evals (
      id INTEGER PRIMARY KEY,
      model_id INTEGER NOT NULL REFERENCES models (id),
      split TEXT NOT NULL,
      part TEXT NOT NULL,
      report TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX evals_model ON evals (model_id);

    CREATE TABLE audit_log (
      id INTEGER PRIMARY KEY,
      ts TEXT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      entity TEXT NOT NULL,
      entity_id TEXT,
      detail TEXT NOT NULL DEFAULT '{}'
    ) STRICT;
    CREATE INDEX audit_entity ON audit_log (entity, entity_id);
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  `);
}
