import type Database from 'better-sqlite3';

/** The AUs of a space-separated records.aus value, as rows of json_each (AU names hold no quotes). */
const ausRows = (aus: string) => `json_each('["' || replace(${aus}, ' ', '","') || '"]')`;
/** A full-text phrase query matching the text of `col` as a substring (double quotes doubled). */
const phrase = (col: string) => `('"' || replace(${col}, '"', '""') || '"')`;

/**
 * The queue's AU filter, search and one-status uncertain order at a million records.
 * - record_aus holds one row per (AU, record) of the current labels, kept from records.aus by triggers: the AU filter
 *   is an index range (count and page) instead of a substring test of every record's AU list.
 * - records_search and images_search are trigram full-text indexes over what the search box matches (the record id;
 *   the image's subject and file name): a search of three or more characters reads the index instead of LIKE over
 *   every row. images_search reads its text from images (external content, keyed by images.id). records_search keeps
 *   its own copy of the id and is read by id, not rowid: a records rowid is not stable (VACUUM may renumber it).
 * - records_status_uncertain is the `uncertain` order within one status (the to-do rank is then constant), spelled as
 *   db/repositories/records.ts's UNCERTAINTY so the planner matches it.
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
