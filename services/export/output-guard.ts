/**
 * One rule for every export: nothing that exists is overwritten without `force`. A folder that already holds an
 * export (a config.json registry, or records.csv) is refused whole; with `force` the previous export's own files
 * (the JSONL its config.json lists, the images those lines name, config.json, records.csv) are removed before
 * writing, so no stale part survives. Any other existing file in the way is refused, by name, unless forced.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { parseJson } from '../../db/repositories';
import { datasheetPaths } from './datasheet';

export class ExportError extends Error {}

/** The output is in the way: refused so nothing is lost, not a usage mistake. */
export class OutputExistsError extends ExportError {}

export const REGISTRY_FILE = 'config.json';
export const CSV_FILE = 'records.csv';
export const IMAGES_DIR = 'images';
/** Engine exports (llama-factory, trl, verl, easyr1): every file written, with sha256 and size; written last. */
export const MANIFEST_FILE = 'manifest.json';

const ManifestFiles = z.object({ files: z.array(z.object({ path: z.string() })) });

export interface OutputOptions {
  force?: boolean;
}

/** A path relative to a folder, refused when it could leave it. */
export function safeRelative(p: unknown): string | null {
  if (typeof p !== 'string' || p === '') return null;
  const norm = p.replace(/\\/g, '/');
  if (norm.startsWith('/') || /^[A-Za-z]:/.test(norm)) return null;
  const parts = norm.split('/').filter((s) => s !== '' && s !== '.');
  if (parts.some((s) => s === '..') || parts.length === 0) return null;
  return parts.join('/');
}

const isFile = (p: string): boolean => {
  try {
    return fs.lstatSync(p).isFile();
  } catch {
    return false;
  }
};

/** The image paths (under images/) that a JSONL export's lines name. */
function imagesNamedBy(jsonl: string): string[] {
  const out: string[] = [];
  for (const line of fs.readFileSync(jsonl, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const rec = parseJson<unknown>(line, null);
    const rel = safeRelative(rec !== null && typeof rec === 'object' && 'image' in rec ? rec.image : null);
    if (rel !== null) out.push(rel);
  }
  return out;
}

/** The files of the export already in `out` (empty when there is none), the marker that shows it first. */
export function previousExport(out: string): { marker: string; files: string[] } | null {
  const registry = path.join(out, REGISTRY_FILE);
  const csv = path.join(out, CSV_FILE);
  const files = new Set<string>();
  let marker: string | null = null;
  if (isFile(registry)) {
    marker = registry;
    files.add(registry);
    const entries = parseJson<unknown>(fs.readFileSync(registry, 'utf8'), null);
    if (entries && typeof entries === 'object' && !Array.isArray(entries)) {
      for (const name of Object.keys(entries)) {
        // Only plain .jsonl basenames: a registry never names a file outside its folder.
        if (!name.endsWith('.jsonl') || name !== path.basename(name)) continue;
        const jsonl = path.join(out, name);
        if (!isFile(jsonl)) continue;
        files.add(jsonl);
        for (const rel of imagesNamedBy(jsonl)) {
          const img = path.join(out, IMAGES_DIR, ...rel.split('/'));
          if (isFile(img)) files.add(img);
        }
      }
    }
  }
  const manifest = path.join(out, MANIFEST_FILE);
  if (isFile(manifest)) {
    marker ??= manifest;
    files.add(manifest);
    const listed = ManifestFiles.safeParse(parseJson<unknown>(fs.readFileSync(manifest, 'utf8'), null));
    for (const f of listed.success ? listed.data.files : []) {
      // Only paths inside the folder: a manifest never names a file outside it.
      const rel = safeRelative(f.path);
      if (rel !== null && isFile(path.join(out, ...rel.split('/')))) files.add(path.join(out, ...rel.split('/')));
    }
  }
  if (isFile(csv)) {
    marker ??= csv;
    files.add(csv);
  }
  // The JSONL and CSV exports keep their datasheet beside them, unlisted (the engine exports list theirs in the manifest).
  if (marker !== null) for (const f of datasheetPaths(out)) if (isFile(f)) files.add(f);
  return marker === null ? null : { marker, files: [...files] };
}

/**
 * Makes `out` ready for `planned` (absolute paths of every file the export will write), or refuses, naming the file.
 * Runs before anything is written, so a refusal leaves the folder exactly as it was.
 */
export function prepareOutput(out: string, planned: string[], options: OutputOptions = {}): void {
  const previous = previousExport(out);
  if (previous && !options.force) {
    throw new OutputExistsError(
      `${out} already holds an export (${previous.marker}); pass --force to replace it (its ${previous.files.length} files are removed first), or choose another --out`,
    );
  }
  if (!options.force) {
    const existing = planned.find((p) => fs.existsSync(p));
    if (existing !== undefined) throw new OutputExistsError(`${existing} exists; fea export does not overwrite files without --force`);
  }
  for (const f of previous?.files ?? []) fs.rmSync(f, { force: true });
  removeEmptyDirs(path.join(out, IMAGES_DIR));
}

/** Folders the removed images leave empty go too (the folder itself is recreated when needed). */
function removeEmptyDirs(dir: string): boolean {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  let empty = true;
  for (const e of entries) {
    if (e.isDirectory() && !e.isSymbolicLink() && removeEmptyDirs(path.join(dir, e.name))) continue;
    empty = false;
  }
  if (empty) fs.rmdirSync(dir);
  return empty;
}
