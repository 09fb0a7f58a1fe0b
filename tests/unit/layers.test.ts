/** Enforces CONTRIBUTING.md's layer table: imports only go downwards, and the renderer never reaches Node. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinModules } from 'node:module';

const ROOT = path.resolve(__dirname, '../..');
const FOLDERS = ['renderer', 'electron', 'server', 'cli', 'services', 'contract', 'db', 'pipelines', 'fixtures'] as const;
type Folder = (typeof FOLDERS)[number];

/** Which top-level folders each folder may import from (besides itself). */
const ALLOWED: Record<Folder, string[]> = {
  renderer: ['contract', 'pipelines/facs'],
  electron: ['contract', 'services', 'db/open', 'pipelines/runtime/package-root'],
  server: ['contract', 'services', 'db/open', 'pipelines/runtime/package-root'],
  cli: ['contract', 'services', 'db', 'pipelines', 'fixtures', 'server'],
  services: ['contract', 'db', 'pipelines', 'fixtures'],
  contract: ['pipelines/facs', 'pipelines/eval/metrics', 'pipelines/model/config', 'pipelines/rl/run-values'],
  db: ['pipelines/facs', 'pipelines/runtime/package-root'],
  pipelines: ['db'],
  fixtures: ['pipelines/facs', 'pipelines/random'],
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

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g)];
  return specs.map((m) => m[1] ?? m[2] ?? m[3]);
}

const violations: string[] = [];
for (const folder of FOLDERS) {
  for (const file of sourceFiles(path.join(ROOT, folder))) {
    const rel = path.relative(ROOT, file);
    for (const spec of importsOf(file)) {
      if (spec.startsWith('.')) {
        const target = path.relative(ROOT, path.resolve(path.dirname(file), spec));
        if (target.startsWith('..') || target.startsWith('node_modules')) continue;
        const top = target.split(path.sep)[0];
        if (top === folder || top === 'package.json') continue;
        const ok = ALLOWED[folder].some((allowed) => target === allowed || target.startsWith(`${allowed}/`) || target.startsWith(`${allowed}.`));
        if (!ok) violations.push(`${rel} imports ${target}`);
      } else {
        const pkg = spec.startsWith('node:') ? spec : spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
        if (folder === 'renderer' && (spec.startsWith('node:') || builtinModules.includes(pkg))) violations.push(`${rel} imports Node module ${spec}`);
        const forbidden = FORBIDDEN_PACKAGES[folder];
        if (forbidden && forbidden.test(pkg)) violations.push(`${rel} imports forbidden package ${spec}`);
      }
    }
  }
}

test('every import follows the layer table', () => {
  expect(violations).toEqual([]);
});

test('the scan sees the code base', () => {
  expect(sourceFiles(path.join(ROOT, 'pipelines')).length).toBeGreaterThan(3);
  expect(sourceFiles(path.join(ROOT, 'renderer')).length).toBeGreaterThan(2);
});
