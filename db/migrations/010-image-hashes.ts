import type Database from 'better-sqlite3';

/**
 * The hashes a split's leakage report needs for every image, analysed or not: the 64-bit pHash and a sha256 of the
 * decoded pixels (equal pixels in different files are exact duplicates). Computed once per image, on the first split
 * that needs it (services/splits/image-hashes.ts); an image that cannot be read keeps its error and no hashes.
 */
export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE image_hashes (
      image_id INTEGER PRIMARY KEY REFERENCES images (id),
      phash TEXT,
      pixel_sha256 TEXT,
      error TEXT,
      created_at TEXT NOT NULL
    ) STRICT;
  `);
}
