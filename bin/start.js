#!/usr/bin/env node
'use strict';
/**
 * `npm start`: the Electron shell when its binary is installed, otherwise server mode on the demo workspace.
 *
 *   npm start [-- --workspace DIR] [--port P] [--server]     (env: FEA_WORKSPACE, FEA_PORT)
 *
 * The Electron binary is looked up the way `require('electron')` does (node_modules/electron/path.txt,
 * ELECTRON_OVERRIDE_DIST_PATH) but without its side effect: when the binary is missing, require('electron')
 * tries to download it, which cannot work offline.
 * The demo workspace lives in the per-user data folder (FEA_WORKSPACE overrides it) and is made on first run.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');

const ROOT = path.join(__dirname, '..');
const DIST = path.join(ROOT, 'dist');

function parseArgs(argv) {
  const out = { workspace: null, port: null, server: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (a.includes('=')) return a.slice(a.indexOf('=') + 1);
      i += 1;
      return argv[i];
    };
    if (a === '--server' || a === '--no-electron') out.server = true;
    else if (a.startsWith('--workspace')) out.workspace = path.resolve(value());
    else if (a.startsWith('--port')) out.port = Number(value());
    else {
      process.stderr.write(`fea start: unknown argument ${a}\nusage: npm start [-- --workspace DIR] [--port P] [--server]\n`);
      process.exit(2);
    }
  }
  return out;
}

/** The Electron executable when it is really there, else null. */
function electronBinary() {
  let pkgDir;
  try {
    pkgDir = path.dirname(require.resolve('electron/package.json', { paths: [ROOT] }));
  } catch {
    return null;
  }
  const pathFile = path.join(pkgDir, 'path.txt');
  const rel = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : null;
  let exe = null;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) exe = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, rel || 'electron');
  else if (rel) exe = path.join(pkgDir, 'dist', rel);
  return exe && fs.existsSync(exe) ? exe : null;
}

function hasDisplay() {
  return process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

function built(rel) {
  const file = path.join(DIST, rel);
  if (!fs.existsSync(file)) {
    process.stderr.write(`fea start: ${path.relative(ROOT, file)} is missing; run "npm run build" in ${ROOT}\n`);
    process.exit(1);
  }
  return file;
}

const requireBuilt = (rel) => require(built(rel));

/** Resolves with true when Electron ran and exited normally, false when it failed at start (then we fall back). */
function runElectron(exe, workspace) {
  return new Promise((resolve) => {
    const args = [path.join(DIST, 'electron', 'main.js')];
    if (workspace) args.push('--workspace', workspace);
    const started = Date.now();
    const child = spawn(exe, args, { stdio: 'inherit', env: { ...process.env, ELECTRON_RUN_AS_NODE: '' } });
    const forward = (sig) => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (err) => {
      process.stderr.write(`fea start: could not run Electron (${err.message})\n`);
      resolve(false);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      if (code !== 0 && !signal && Date.now() - started < 15000) {
        process.stderr.write(
          `fea start: Electron exited with code ${code} while starting (native modules such as better-sqlite3 need an Electron build: "npx electron-builder install-app-deps"); falling back to server mode\n`,
        );
        resolve(false);
        return;
      }
      process.exitCode = code ?? 0;
      resolve(true);
    });
  });
}

async function runServer(opts) {
  const { defaultWorkspaceDir, ensureDemoWorkspace } = requireBuilt('services/workspace/user-data.js');
  const { startServer, DEFAULT_PORT } = requireBuilt('server/index.js');
  const workspace = opts.workspace || defaultWorkspaceDir();
  if (!opts.workspace) {
    const exists = fs.existsSync(path.join(workspace, 'fea.sqlite'));
    if (!exists) process.stdout.write(`Creating the demo workspace in ${workspace} (first run)…\n`);
    await ensureDemoWorkspace(workspace, {
      onProgress: (done, total, phase) => {
        if (process.stderr.isTTY) process.stderr.write(`\r  ${phase === 'ingest' ? 'saving' : 'drawing'} demo faces ${done}/${total}   `);
      },
    });
    if (!exists && process.stderr.isTTY) process.stderr.write('\n');
  }
  const port = opts.port ?? (process.env.FEA_PORT ? Number(process.env.FEA_PORT) : DEFAULT_PORT);
  let server;
  try {
    server = await startServer({ workspaceDir: workspace, port });
  } catch (err) {
    if (err && err.code === 'EADDRINUSE' && opts.port === null) server = await startServer({ workspaceDir: workspace, port: 0 });
    else throw err;
  }
  process.stdout.write(`FEA Studio (server mode) is serving ${workspace}\nOpen ${server.url} in your browser. Ctrl+C stops it.\n`);
  const stop = () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!opts.server) {
    const exe = electronBinary();
    if (exe && hasDisplay()) {
      built('electron/main.js');
      if (await runElectron(exe, opts.workspace)) return;
    } else if (exe) {
      process.stdout.write('No display found; using server mode.\n');
    } else {
      process.stdout.write("Electron's binary is not installed; using server mode.\n");
    }
  }
  await runServer(opts);
}

main().catch((err) => {
  process.stderr.write(`fea start: ${err && err.message ? err.message : String(err)}\n`);
  process.exit(1);
});
