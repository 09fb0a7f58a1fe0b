import type Database from 'better-sqlite3';

/** The AUs of a space-separated records.aus value, as rows of json_each (AU names hold no quotes). */
const ausRows = (aus: string) => `json_each('["' || replace(${aus}, ' ', '","') || '"]')`;
/** A full-text phrase query matching the text of `col` as a substring (double quotes doubled). */
const phrase = (col: string) => `('"' || replace(${col}, '"', '""') || '"')`;

/** The analysis-coverage tallies moved by the records of analysis row `a`'s image. */
const coverageDelta = (sign: '+' | '-', a: 'NEW' | 'OLD') =>
  `UPDATE tallies SET n = n ${sign} (SELECT COUNT(*) FROM records r WHERE r.image_id = ${a}.image_id)
     WHERE ${a}.error IS NULL AND (name = 'analyzed' OR (name = 'facesFound' AND ${a}.face_found = 1));`;
/** The same moved by one record `rec`: by whether its image has a (face-finding) analysis. */
const recordCoverageDelta = (sign: '+' | '-', rec: 'NEW' | 'OLD') =>
  `UPDATE tallies SET n = n ${sign} 1
     WHERE (name = 'analyzed' AND EXISTS (SELECT 1 FROM analyses a WHERE a.image_id = ${rec}.image_id AND a.error IS NULL))
        OR (name = 'facesFound' AND EXISTS (SELECT 1 FROM analyses a WHERE a.image_id = ${rec}.image_id AND a.error IS NULL AND a.face_found = 1));`;
/** records' (status, emotion, AU set) tally row of `rec` moved by one. */
const labelTally = (rec: 'NEW' | 'OLD', sign: '+' | '-') =>
  sign === '+'
    ? `INSERT INTO record_tallies (status, emotion, aus, n) VALUES (${rec}.status, COALESCE(${rec}.emotion, ''), ${rec}.aus, 1)
         ON CONFLICT (status, emotion, aus) DO UPDATE SET n = n + 1;`
    : `UPDATE record_tallies SET n = n - 1 WHERE status = ${rec}.status AND emotion = COALESCE(${rec}.emotion, '') AND aus = ${rec}.aus;`;

/**
 * The queue's AU filter, search and one-status uncertain order, and the dashboard's counts, at a million records.
 * - record_aus holds one row per (AU, record) of the current labels, kept from records.aus by triggers: the AU filter
 *   is an index range (count and page) instead of a substring test of every record's AU list.
 * - records_search and images_search are trigram full-text indexes over what the search box matches (the record id;
 *   the image's subject and file name): a search of three or more characters reads the index instead of LIKE over
 *   every row. images_search reads its text from images (external content, keyed by images.id). records_search keeps
 *   its own copy of the id and is read by id, not rowid: a records rowid is not stable (VACUUM may renumber it).
 * - records_status_uncertain is the `uncertain` order within one status (the to-do rank is then constant), spelled as
 *   db/repositories/records.ts's UNCERTAINTY so the planner matches it.
 * - record_tallies counts records per (status, emotion, AU set) and tallies counts the records whose image has an
 *   analysis (and a face), both kept by triggers: `fea stats` and the dashboard read a few rows instead of walking
 *   every record (group-bys over three indexes and a join with analyses were most of a second at 1M);
 *   analyses_failed lists the failed analyses for the not-analysable counts.
 */
export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE record_aus (
      au TEXT NOT NULL,
      record_id TEXT NOT NULL,
      PRIMARY KEY (au, record_id)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO record_aus (au, record_id) SELECT j.value, r.id FROM records r, ${ausRows('r.aus')} j WHERE r.aus <> '';
    CREATE TRIGGER records_aus_insert AFTER INSERT ON records WHEN NEW.aus <> '' BEGIN
      INSERT OR IGNORE INTO record_aus (au, record_id) SELECT value, NEW.id FROM ${ausRows('NEW.aus')};
    END;
    CREATE TRIGGER records_aus_update AFTER UPDATE OF id, aus ON records WHEN OLD.aus IS NOT NEW.aus OR OLD.id IS NOT NEW.id BEGIN
      DELETE FROM record_aus WHERE record_id = OLD.id AND OLD.aus <> '' AND au IN (SELECT value FROM ${ausRows('OLD.aus')});
      INSERT OR IGNORE INTO record_aus (au, record_id) SELECT value, NEW.id FROM ${ausRows('NEW.aus')} WHERE NEW.aus <> '';
    END;
    CREATE TRIGGER records_aus_delete AFTER DELETE ON records WHEN OLD.aus <> '' BEGIN
      DELETE FROM record_aus WHERE record_id = OLD.id AND au IN (SELECT value FROM ${ausRows('OLD.aus')});
    END;

    CREATE INDEX records_status_uncertain ON records (status, COALESCE(suggestion_score, 2), id);

    CREATE VIRTUAL TABLE records_search USING fts5(id, tokenize = 'trigram');
    INSERT INTO records_search (id) SELECT id FROM records;
    CREATE TRIGGER records_search_insert AFTER INSERT ON records BEGIN
      INSERT INTO records_search (id) VALUES (NEW.id);
    END;
    CREATE TRIGGER records_search_update AFTER UPDATE OF id ON records BEGIN
      DELETE FROM records_search WHERE rowid IN (SELECT rowid FROM records_search WHERE records_search MATCH ${phrase('OLD.id')}) AND id = OLD.id;
      INSERT INTO records_search (id) VALUES (NEW.id);
    END;
    CREATE TRIGGER records_search_delete AFTER DELETE ON records BEGIN
      DELETE FROM records_search WHERE rowid IN (SELECT rowid FROM records_search WHERE records_search MATCH ${phrase('OLD.id')}) AND id = OLD.id;
    END;

    CREATE TABLE record_tallies (
      status TEXT NOT NULL,
      emotion TEXT NOT NULL,
      aus TEXT NOT NULL,
      n INTEGER NOT NULL,
      PRIMARY KEY (status, emotion, aus)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO record_tallies (status, emotion, aus, n) SELECT status, COALESCE(emotion, ''), aus, COUNT(*) FROM records GROUP BY 1, 2, 3;
    CREATE TRIGGER records_tally_insert AFTER INSERT ON records BEGIN ${labelTally('NEW', '+')} END;
    CREATE TRIGGER records_tally_update AFTER UPDATE OF status, emotion, aus ON records BEGIN ${labelTally('OLD', '-')} ${labelTally('NEW', '+')} END;
    CREATE TRIGGER records_tally_delete AFTER DELETE ON records BEGIN ${labelTally('OLD', '-')} END;

    CREATE INDEX analyses_failed ON analyses (image_id) WHERE error IS NOT NULL;
    CREATE TABLE tallies (name TEXT PRIMARY KEY, n INTEGER NOT NULL) STRICT;
    INSERT INTO tallies (name, n) VALUES
      ('analyzed', (SELECT COUNT(*) FROM records r JOIN analyses a ON a.image_id = r.image_id WHERE a.error IS NULL)),
      ('facesFound', (SELECT COUNT(*) FROM records r JOIN analyses a ON a.image_id = r.image_id WHERE a.error IS NULL AND a.face_found = 1));
    CREATE TRIGGER analyses_tally_insert AFTER INSERT ON analyses BEGIN ${coverageDelta('+', 'NEW')} END;
    CREATE TRIGGER analyses_tally_update AFTER UPDATE OF image_id, error, face_found ON analyses BEGIN ${coverageDelta('-', 'OLD')} ${coverageDelta('+', 'NEW')} END;
    CREATE TRIGGER analyses_tally_delete AFTER DELETE ON analyses BEGIN ${coverageDelta('-', 'OLD')} END;
    CREATE TRIGGER records_coverage_insert AFTER INSERT ON records BEGIN ${recordCoverageDelta('+', 'NEW')} END;
    CREATE TRIGGER records_coverage_update AFTER UPDATE OF image_id ON records BEGIN ${recordCoverageDelta('-', 'OLD')} ${recordCoverageDelta('+', 'NEW')} END;
    CREATE TRIGGER records_coverage_delete AFTER DELETE ON records BEGIN ${recordCoverageDelta('-', 'OLD')} END;

    CREATE VIRTUAL TABLE images_search USING fts5(subject, original_name, content = 'images', content_rowid = 'id', tokenize = 'trigram');
    INSERT INTO images_search (images_search) VALUES ('rebuild');
    CREATE TRIGGER images_search_insert AFTER INSERT ON images BEGIN
      INSERT INTO images_search (rowid, subject, original_name) VALUES (NEW.id, NEW.subject, NEW.original_name);
    END;
    CREATE TRIGGER images_search_update AFTER UPDATE OF id, subject, original_name ON images BEGIN
      INSERT INTO images_search (images_search, rowid, subject, original_name) VALUES ('delete', OLD.id, OLD.subject, OLD.original_name);
      INSERT INTO images_search (rowid, subject, original_name) VALUES (NEW.id, NEW.subject, NEW.original_name);
    END;
    CREATE TRIGGER images_search_delete AFTER DELETE ON images BEGIN
      INSERT INTO images_search (images_search, rowid, subject, original_name) VALUES ('delete', OLD.id, OLD.subject, OLD.original_name);
    END;
  `);
}
