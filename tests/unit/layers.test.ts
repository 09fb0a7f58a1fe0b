/**
 * Enforces CONTRIBUTING.md's layer table: imports only go downwards, the renderer never reaches Node, and inside
 * pipelines/ each subfolder imports only the subfolders its row names. The tables are today's imports, kept tight:
 * a new import across a line is a decision to make in CONTRIBUTING.md and here, not a side effect.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinModules } from 'node:module';

const ROOT = path.resolve(__dirname, '../..');
const FOLDERS = ['renderer', 'electron', 'server', 'cli', 'services', 'contract', 'db', 'pipelines', 'fixtures'] as const;
type Folder = (typeof FOLDERS)[number];

/** What each top-level folder may import from the rest of the project (besides itself): folders or single modules. */
const ALLOWED: Record<Folder, string[]> = {
  renderer: ['contract/api', 'contract/types', 'contract/transport', 'contract/training-choices', 'pipelines/facs'],
  electron: ['contract', 'services', 'pipelines/runtime/package-root'],
  server: ['contract', 'services', 'pipelines/runtime/package-root'],
  cli: ['contract', 'services', 'db', 'pipelines', 'server'],
  services: ['contract', 'db', 'pipelines', 'fixtures'],
  contract: ['pipelines/facs/vocabulary', 'pipelines/facs/mark-schema', 'pipelines/eval/metrics', 'pipelines/formats/engine-formats', 'pipelines/formats/import-formats', 'pipelines/model/config', 'pipelines/rl/run-values', 'pipelines/splits/limits'],
  db: ['pipelines/facs', 'pipelines/runtime/package-root'],
  pipelines: [],
  fixtures: ['pipelines/facs', 'pipelines/random'],
};

/** Modules a folder may import types from only (`import type`): nothing of them is loaded at run time. */
const TYPE_ONLY: Partial<Record<Folder, string[]>> = {
  contract: ['pipelines/eval/metrics'],
};

/** Inside pipelines/: which other subfolders each subfolder may import. Every subfolder must have a row. */
const PIPELINES: Record<string, string[]> = {
  facs: [],
  random: [],
  data: [],
  runtime: [],
  rewards: [],
  tokenizer: ['facs'],
  splits: ['random'],
  synthesis: ['facs', 'rewards'],
  formats: ['facs'],
  eval: ['facs', 'rewards'],
  vision: ['facs', 'runtime'],
  model: ['eval', 'runtime', 'tokenizer'],
  sft: ['model', 'runtime', 'tokenizer'],
  rl: ['model', 'rewards', 'runtime', 'sft', 'tokenizer'],
};

/** npm packages that must never appear in a layer. */
const FORBIDDEN_PACKAGES: Partial<Record<Folder, RegExp>> = {
  renderer: /^(better-sqlite3|sharp|electron|@tensorflow\/tfjs-node|@vladmandic|express)/,
  pipelines: /^(electron|react|react-dom|express)$/,
  db: /^(electron|react|react-dom)$/,
  contract: /^(electron|react|better-sqlite3|sharp|express)/,
  services: /^(electron|react|react-dom)$/,
  server: /^(electron|react|react-dom)$/,
};

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sourceFiles(p);
    return /\.(ts|tsx)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

interface ImportRef {
  spec: string;
  typeOnly: boolean;
}

function importsOf(file: string): ImportRef[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g)];
  return specs.map((m) => ({ spec: m[1] ?? m[2] ?? m[3], typeOnly: /^(import|export)\s+type\s/.test(m[0]) }));
}

/** `target` (a path without extension, relative to the root) is `allowed` or inside it. */
const within = (target: string, allowed: string) => target === allowed || target.startsWith(`${allowed}/`) || target.startsWith(`${allowed}.`);

/** Pipelines subfolder of a root-relative path (`pipelines/facs/x` → `facs`), or null. */
const pipelinesSub = (rel: string): string | null => {
  const parts = rel.split('/');
  return parts[0] === 'pipelines' && parts.length > 2 ? parts[1] : parts[0] === 'pipelines' && parts.length === 2 ? parts[1].replace(/\..*$/, '') : null;
};

/** Every violation of the tables in the given files (paths relative to the root use `/`). */
export function layerViolations(files: { rel: string; imports: ImportRef[] }[]): string[] {
  const violations: string[] = [];
  for (const { rel, imports } of files) {
    const folder = rel.split('/')[0] as Folder;
    for (const { spec, typeOnly } of imports) {
      if (spec.startsWith('.')) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec));
        if (target.startsWith('..') || target.startsWith('node_modules')) continue;
        const top = target.split('/')[0];
        if (top === 'package.json') continue;
        if (top === folder) {
          const from = folder === 'pipelines' ? pipelinesSub(rel) : null;
          const to = folder === 'pipelines' ? pipelinesSub(target) : null;
          if (from && to && from !== to && !(PIPELINES[from] ?? []).includes(to)) violations.push(`${rel} imports ${target} (pipelines/${from} may import ${PIPELINES[from]?.join(', ') || 'nothing'} of pipelines/)`);
          continue;
        }
        if (!ALLOWED[folder].some((allowed) => within(target, allowed))) violations.push(`${rel} imports ${target}`);
        else if (!typeOnly && (TYPE_ONLY[folder] ?? []).some((t) => within(target, t))) violations.push(`${rel} imports ${target} at run time (types only: use import type)`);
      } else {
        const pkg = spec.startsWith('node:') ? spec : spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
        if (folder === 'renderer' && (spec.startsWith('node:') || builtinModules.includes(pkg))) violations.push(`${rel} imports Node module ${spec}`);
        const forbidden = FORBIDDEN_PACKAGES[folder];
        if (forbidden && forbidden.test(pkg)) violations.push(`${rel} imports forbidden package ${spec}`);
      }
    }
  }
  return violations;
}

const scanned = FOLDERS.flatMap((folder) =>
  sourceFiles(path.join(ROOT, folder)).map((file) => ({ rel: path.relative(ROOT, file).split(path.sep).join('/'), imports: importsOf(file) })),
);

test('every import follows the layer table', () => {
  expect(layerViolations(scanned)).toEqual([]);
});

test('every pipelines/ subfolder has a row in the pipelines table', () => {
  const subfolders = fs
    .readdirSync(path.join(ROOT, 'pipelines'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
  expect(subfolders.filter((s) => !(s in PIPELINES))).toEqual([]);
  expect(Object.keys(PIPELINES).filter((s) => !subfolders.includes(s))).toEqual([]);
});

test('the checker flags each kind of violation', () => {
  const file = (rel: string, ...specs: string[]) => ({ rel, imports: specs.map((spec) => ({ spec, typeOnly: false })) });
  expect(
    layerViolations([
      file('pipelines/facs/x.ts', '../random/seeded'),
      file('pipelines/vision/x.ts', '../../db/open'),
      file('contract/x.ts', '../pipelines/facs/reasoning', '../pipelines/eval/metrics'),
      file('renderer/src/x.ts', '../../contract/dispatch', 'node:fs'),
      file('pipelines/splits/x.ts', '../random/seeded', './stratified'),
      { rel: 'contract/y.ts', imports: [{ spec: '../pipelines/eval/metrics', typeOnly: true }] },
    ]),
  ).toEqual([
    'pipelines/facs/x.ts imports pipelines/random/seeded (pipelines/facs may import nothing of pipelines/)',
    'pipelines/vision/x.ts imports db/open',
    'contract/x.ts imports pipelines/facs/reasoning',
    'contract/x.ts imports pipelines/eval/metrics at run time (types only: use import type)',
    'renderer/src/x.ts imports contract/dispatch',
    'renderer/src/x.ts imports Node module node:fs',
  ]);
});

test('the scan sees the code base', () => {
  expect(sourceFiles(path.join(ROOT, 'pipelines')).length).toBeGreaterThan(3);
  expect(sourceFiles(path.join(ROOT, 'renderer')).length).toBeGreaterThan(2);
});
