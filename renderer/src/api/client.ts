/** The renderer's API client: Electron's preload bridge when present, HTTP (server mode) otherwise. */
import type { ApiClient, ApiErrorDetails, ApiResult, MethodName } from '../../../contract/api';
import type { ApiEvent } from '../../../contract/types';
import { HTTP_CALL_PREFIX, HTTP_EVENTS_PATH, HTTP_MEDIA_PREFIX, type FeaBridge } from '../../../contract/transport';

export class ApiCallError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    /** The error's typed details (validated by the main process before they were sent). */
    public readonly details?: ApiErrorDetails,
  ) {
    super(message);
  }
}

export interface Transport {
  call(method: MethodName, input: unknown): Promise<ApiResult<unknown>>;
  subscribe(listener: (event: ApiEvent) => void): () => void;
  mediaUrl(imageKey: string): string;
}

declare global {
  interface Window {
    feaBridge?: FeaBridge;
  }
}

function bridgeTransport(bridge: FeaBridge): Transport {
  return {
    call: (method, input) => bridge.invoke(method, input),
    subscribe: (listener) => bridge.onEvent(listener),
    mediaUrl: (key) => bridge.mediaBase + key.split('/').map(encodeURIComponent).join('/'),
  };
}

function httpTransport(): Transport {
  let source: EventSource | null = null;
  const listeners = new Set<(event: ApiEvent) => void>();
  return {
    async call(method, input) {
      const res = await fetch(HTTP_CALL_PREFIX + method, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
        // A draft saved as the page unloads must still reach the server.
        keepalive: method === 'drafts.save',
      });
      return (await res.json()) as ApiResult<unknown>;
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!source) {
        source = new EventSource(HTTP_EVENTS_PATH);
        source.onmessage = (msg) => {
          const event = JSON.parse(msg.data) as ApiEvent;
          for (const l of listeners) l(event);
        };
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && source) {
          source.close();
          source = null;
        }
      };
    },
    mediaUrl: (key) => HTTP_MEDIA_PREFIX + key.split('/').map(encodeURIComponent).join('/'),
  };
}

export function createTransport(): Transport {
  return typeof window !== 'undefined' && window.feaBridge ? bridgeTransport(window.feaBridge) : httpTransport();
}

/**
 * A typed client: `api['records.get']({id})` resolves to the output or throws ApiCallError.
 * Methods are made on first use (a Proxy), so the renderer bundle does not carry the zod schemas;
 * the main process validates every call against them.
 */
export function createClient(transport: Transport): ApiClient {
  const methods = new Map<string, (input: unknown) => Promise<unknown>>();
  return new Proxy({} as ApiClient, {
    get(_target, name) {
      // Every method is "namespace.name"; anything else (then, toJSON, symbols) is not one, so the client is never a thenable.
      if (typeof name !== 'string' || !name.includes('.')) return undefined;
      let fn = methods.get(name);
      if (!fn) {
        fn = async (input: unknown) => {
          const result = await transport.call(name as MethodName, input);
          if (!result.ok) throw new ApiCallError(result.error.code, result.error.message, result.error.details);
          return result.value;
        };
        methods.set(name, fn);
      }
      return fn;
    },
  });
}
