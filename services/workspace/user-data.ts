/** The per-user data folder and the demo workspace `npm start` and the Electron shell open when given none. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DB_FILE } from '../../db/open';

export const APP_FOLDER = 'fea-studio';
export const DEMO_RECORDS = 300;
export const DEMO_SEED = 1;

type Env = Record<string, string | undefined>;

/** XDG_DATA_HOME or ~/.local/share on Linux, %APPDATA% on Windows, ~/Library/Application Support on macOS. */
export function userDataDir(env: Env = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  if (platform === 'win32') return path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), APP_FOLDER);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_FOLDER);
  return path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), APP_FOLDER);
}

/** FEA_WORKSPACE overrides the demo workspace's place. */
export function defaultWorkspaceDir(env: Env = process.env): string {
  return env.FEA_WORKSPACE ? path.resolve(env.FEA_WORKSPACE) : path.join(userDataDir(env), 'demo-workspace');
}

export function isWorkspace(dir: string): boolean {
  return fs.existsSync(path.join(dir, DB_FILE));
}

type InitWorkspace = typeof import('./init').initWorkspace;
type ProgressFn = NonNullable<NonNullable<Parameters<InitWorkspace>[1]>['onProgress']>;


/**
 * Creates the demo workspace on first run. It is built in a sibling folder and renamed into place,
 * so a run killed half-way leaves no half-made workspace behind (paths inside a workspace are relative).
 */
export async function ensureDemoWorkspace(
  dir: string,
  options: { demo?: number; seed?: number; onProgress?: ProgressFn } = {},
): Promise<{ dir: string; created: boolean }> {
  if (isWorkspace(dir)) return { dir, created: false };
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    throw new Error(`${dir} exists but is not an FEA Studio workspace (no ${DB_FILE}); set FEA_WORKSPACE to another folder`);
  }
  // Loaded on first run only: the demo generator is not needed to open an existing workspace.
  const { initWorkspace } = await import('./init');
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  // Same basename inside a hidden sibling folder: the workspace takes its name from its folder.
  const stagingParent = path.join(path.dirname(dir), `.creating-${path.basename(dir)}-${process.pid}`);
  const staging = path.join(stagingParent, path.basename(dir));
  fs.rmSync(stagingParent, { recursive: true, force: true });
  try {
    await initWorkspace(staging, { demo: options.demo ?? DEMO_RECORDS, seed: options.seed ?? DEMO_SEED, onProgress: options.onProgress });
    if (fs.existsSync(dir)) fs.rmdirSync(dir);
    fs.renameSync(staging, dir);
  } finally {
    fs.rmSync(stagingParent, { recursive: true, force: true });
  }
  return { dir, created: true };
}
