/**
 * The Electron shell: one sandboxed window showing dist/renderer through `fea-app://`, the contract over IPC,
 * workspace images through `fea-media://`. Business logic lives in services/; this file only wires.
 *
 * Workspace: `--workspace <dir>` (or `--workspace=<dir>`), else FEA_WORKSPACE, else the per-user demo workspace.
 */
import * as path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, session, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY, IPC_EVENT_CHANNEL } from '../contract/transport';
import { METHOD_NAMES } from '../contract/api';
import { APP_ENTRY_URL, isAppUrl, registerDialogHandler, registerIpcHandlers } from './ipc';
import { rendererDir } from '../pipelines/runtime/package-root';
import { PRIVILEGED_SCHEMES, registerProtocols } from './protocols';
import { defaultWorkspaceDir, ensureDemoWorkspace } from '../services/workspace/user-data';
import { openServices, type OpenedServices } from '../services/open';

/** Passed to the preload, which cannot import the contract in a sandbox. */
export const METHODS_ARG_PREFIX = '--fea-methods=';

export function workspaceFromArgv(argv: readonly string[], env: Record<string, string | undefined> = process.env): string | null {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--workspace=')) return path.resolve(a.slice('--workspace='.length));
    if (a === '--workspace' && argv[i + 1]) return path.resolve(argv[i + 1]);
  }
  return env.FEA_WORKSPACE ? path.resolve(env.FEA_WORKSPACE) : null;
}

const log = (line: string) => process.stderr.write(`[fea main] ${line}\n`);

protocol.registerSchemesAsPrivileged(PRIVILEGED_SCHEMES);
app.enableSandbox();

/** Every web contents, including any a bug might create, may not navigate, open windows or embed webviews. */
app.on('web-contents-created', (_e, contents: WebContents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

let services: OpenedServices | null = null;
const trustedIds = new Set<number>();

/** The open workspace's services (tests publish events through it). */
export function currentServices(): OpenedServices | null {
  return services;
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1300,
    height: 800,
    show: false,
    title: 'FEA Studio',
    webPreferences: {
      preload: path.join(__dirname, 'preload.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      additionalArguments: [METHODS_ARG_PREFIX + METHOD_NAMES.join(',')],
    },
  });
  const id = win.webContents.id;
  trustedIds.add(id);
  win.on('closed', () => trustedIds.delete(id));
  win.once('ready-to-show', () => win.show());
  win.webContents.on('render-process-gone', (_e, details) => log(`renderer gone: ${details.reason} (exit ${details.exitCode})`));
  void win.loadURL(APP_ENTRY_URL);
  return win;
}

/** One shell per user: a second launch focuses the first window instead of opening the workspace twice. */
const primaryInstance = app.requestSingleInstanceLock();
if (!primaryInstance) app.quit();
app.on('second-instance', () => {
  const win = BrowserWindow.getAllWindows()[0];
  if (!win) return;
  if (win.isMinimized()) win.restore();
  win.focus();
});

async function main(): Promise<void> {
  if (!primaryInstance) return;
  await app.whenReady();
  const argDir = workspaceFromArgv(process.argv.slice(1));
  const workspaceDir = argDir ?? (await ensureDemoWorkspace(defaultWorkspaceDir())).dir;
  log(`workspace ${workspaceDir}`);
  services = openServices(workspaceDir);

  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });

  registerProtocols(protocol, { mediaDir: services.ctx.ws.mediaDir, rendererDir: rendererDir() });
  registerIpcHandlers(ipcMain, services.handlers, trustedIds, log);
  const windowOf = (id: number) => BrowserWindow.getAllWindows().find((w) => !w.isDestroyed() && w.webContents.id === id) ?? null;
  registerDialogHandler(ipcMain, dialog, windowOf, trustedIds, log);
  services.ctx.events.subscribe((event) => {
    for (const win of BrowserWindow.getAllWindows()) {
      if (!win.isDestroyed() && trustedIds.has(win.webContents.id)) win.webContents.send(IPC_EVENT_CHANNEL, event);
    }
  });

  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', (event) => {
  if (!services) return;
  // Let training runs checkpoint before the process ends.
  event.preventDefault();
  const closing = services.close();
  services = null;
  void closing.finally(() => app.exit(0));
});

/** Resolves once the window is created (tests await it). */
export const ready: Promise<void> = main().catch((err: unknown) => {
  log(`failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  app.exit(1);
});
