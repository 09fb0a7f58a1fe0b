/**
 * The sandboxed preload: exposes exactly `window.feaBridge` (FeaBridge). A sandboxed preload can only require
 * `electron`, so the contract's constants are restated here and pinned to it by their types, and the method
 * names arrive from main through `additionalArguments`. The page never sees ipcRenderer or an IpcRendererEvent.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type * as Transport from '../contract/transport';
import type { ApiResult } from '../contract/api';
import type { ApiEvent } from '../contract/types';

const IPC_CHANNEL_PREFIX: typeof Transport.IPC_CHANNEL_PREFIX = 'fea:';
const IPC_EVENT_CHANNEL: typeof Transport.IPC_EVENT_CHANNEL = 'fea:event';
const IPC_DIALOG_CHANNEL: typeof Transport.IPC_DIALOG_CHANNEL = 'fea-dialog:open';
const ELECTRON_MEDIA_BASE: typeof Transport.ELECTRON_MEDIA_BASE = 'fea-media://media/';
const METHODS_ARG_PREFIX = '--fea-methods=';

const methodArg = process.argv.find((a) => a.startsWith(METHODS_ARG_PREFIX));
const knownMethods: ReadonlySet<string> = new Set(methodArg ? methodArg.slice(METHODS_ARG_PREFIX.length).split(',').filter(Boolean) : []);

const bridge: Transport.FeaBridge = {
  invoke(method: string, input: unknown): Promise<ApiResult<unknown>> {
    if (typeof method !== 'string' || !knownMethods.has(method)) {
      return Promise.resolve({ ok: false, error: { code: 'unknown_method', message: `Unknown method ${String(method)}` } });
    }
    return ipcRenderer.invoke(IPC_CHANNEL_PREFIX + method, input) as Promise<ApiResult<unknown>>;
  },
  onEvent(listener: (event: ApiEvent) => void): () => void {
    const wrapped = (_event: IpcRendererEvent, payload: ApiEvent) => listener(payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, wrapped);
    };
  },
  mediaBase: ELECTRON_MEDIA_BASE,
  pickPath(kind: Transport.PickKind): Promise<string | null> {
    if (kind !== 'file' && kind !== 'folder') return Promise.resolve(null);
    return ipcRenderer.invoke(IPC_DIALOG_CHANNEL, kind) as Promise<string | null>;
  },
};

contextBridge.exposeInMainWorld('feaBridge', bridge);
