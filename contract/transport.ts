/** How the contract travels. The renderer only knows this file, api.ts and types.ts. */
import type { ApiEvent } from './types';
import type { ApiResult } from './api';

/** HTTP (server mode): POST `${HTTP_CALL_PREFIX}<method>` with the JSON input; the reply is an ApiResult. */
export const HTTP_CALL_PREFIX = '/api/call/';
/** HTTP (server mode): Server-Sent Events, one ApiEvent as JSON per `data:` line. */
export const HTTP_EVENTS_PATH = '/api/events';
/** HTTP (server mode): workspace media, `/media/<imageKey>`. */
export const HTTP_MEDIA_PREFIX = '/media/';

/** Electron: the custom protocol that serves workspace media, `fea-media://media/<imageKey>`. */
export const ELECTRON_MEDIA_SCHEME = 'fea-media';
export const ELECTRON_MEDIA_BASE = `${ELECTRON_MEDIA_SCHEME}://media/`;
/** Electron: IPC channel for calls is `${IPC_CHANNEL_PREFIX}<method>`; events arrive on IPC_EVENT_CHANNEL. */
export const IPC_CHANNEL_PREFIX = 'fea:';
export const IPC_EVENT_CHANNEL = 'fea:event';
/** Electron: the native open dialog (not a contract method: server mode has none, its users type a path). */
export const IPC_DIALOG_CHANNEL = 'fea-dialog:open';

/** What the open dialog picks: one file or one folder. */
export type PickKind = 'file' | 'folder';

/** What the Electron preload exposes on `window.feaBridge` through contextBridge. */
export interface FeaBridge {
  invoke(method: string, input: unknown): Promise<ApiResult<unknown>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
  mediaBase: string;
  /** Electron's open dialog: the chosen path, or null when the user cancelled. */
  pickPath(kind: PickKind): Promise<string | null>;
}

/** Content-Security-Policy sent by both transports. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  `img-src 'self' data: blob: ${ELECTRON_MEDIA_SCHEME}:`,
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
