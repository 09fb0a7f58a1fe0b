/**
 * The IPC side of the contract: one `fea:<method>` handler per contract method, each checking the sender
 * (our window, its main frame, our app origin) before dispatch() validates the input.
 */
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent, OpenDialogOptions, OpenDialogReturnValue } from 'electron';
import { METHOD_NAMES, type ApiHandlers, type ApiResult } from '../contract/api';
import { dispatch } from '../contract/dispatch';
import { IPC_CHANNEL_PREFIX, IPC_DIALOG_CHANNEL, type PickKind } from '../contract/transport';

export const APP_SCHEME = 'fea-app';
export const APP_HOST = 'app';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** What the sender check reads from an IPC event (a subset of IpcMainInvokeEvent). */
export interface SenderInfo {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Only the main frame of one of our windows, showing our own bundle, may call the API. */
export function isTrustedSender(event: SenderInfo, trustedWebContentsIds: ReadonlySet<number>): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  if (!trustedWebContentsIds.has(event.sender.id)) return false;
  return isAppUrl(frame.url);
}

export const FORBIDDEN: ApiResult<never> = { ok: false, error: { code: 'forbidden', message: 'IPC call from an untrusted frame refused' } };

export function registerIpcHandlers(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  handlers: ApiHandlers,
  trustedWebContentsIds: ReadonlySet<number>,
  log: (line: string) => void = () => undefined,
): () => void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(`${IPC_CHANNEL_PREFIX}${method}`, async (event: IpcMainInvokeEvent, input: unknown) => {
      if (!isTrustedSender(event, trustedWebContentsIds)) {
        log(`ipc ${method} refused: sender ${event.senderFrame?.url ?? '(gone)'}`);
        return FORBIDDEN;
      }
      return dispatch(handlers, method, input);
    });
  }
  return () => {
    for (const method of METHOD_NAMES) ipcMain.removeHandler(`${IPC_CHANNEL_PREFIX}${method}`);
  };
}

/** What the dialog handler needs of Electron's dialog module (tests pass a fake). */
export interface OpenDialog {
  showOpenDialog(window: BrowserWindow, options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
}

/**
 * The native open dialog for the Import and Export views' "Browse…": the page asks for a file or a folder and gets
 * back only the chosen path (or null). Same sender check as the API; the dialog is modal to the asking window.
 */
export function registerDialogHandler(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  dialog: OpenDialog,
  windowOf: (senderId: number) => BrowserWindow | null,
  trustedWebContentsIds: ReadonlySet<number>,
  log: (line: string) => void = () => undefined,
): () => void {
  ipcMain.handle(IPC_DIALOG_CHANNEL, async (event: IpcMainInvokeEvent, kind: unknown): Promise<string | null> => {
    if (!isTrustedSender(event, trustedWebContentsIds)) {
      log(`dialog refused: sender ${event.senderFrame?.url ?? '(gone)'}`);
      return null;
    }
    if (kind !== 'file' && kind !== 'folder') return null;
    const win = windowOf(event.sender.id);
    if (!win) return null;
    const picked = await dialog.showOpenDialog(win, dialogOptions(kind));
    return picked.canceled ? null : (picked.filePaths[0] ?? null);
  });
  return () => ipcMain.removeHandler(IPC_DIALOG_CHANNEL);
}

export function dialogOptions(kind: PickKind): OpenDialogOptions {
  return kind === 'folder'
    ? { title: 'Choose a folder', properties: ['openDirectory', 'createDirectory'] }
    : { title: 'Choose a file', properties: ['openFile'], filters: [{ name: 'Datasets', extensions: ['jsonl', 'json', 'csv', 'txt'] }, { name: 'All files', extensions: ['*'] }] };
}
