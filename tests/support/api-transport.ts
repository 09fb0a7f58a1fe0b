/**
 * The renderer client's Transport for Node: the same HTTP calls server mode's page makes (POST
 * `${HTTP_CALL_PREFIX}<method>`), against a server's base URL. No jest globals and no DOM types, so bench/ compiles it.
 */
import type { ApiResult, Input, MethodName, Output } from '../../contract/api';
import type { ApiEvent } from '../../contract/types';
import { HTTP_CALL_PREFIX, HTTP_MEDIA_PREFIX } from '../../contract/transport';

/** The shape of renderer/src/api/client.ts's Transport (that file needs the DOM types, this one must not). */
export interface NodeTransport {
  call(method: MethodName, input: unknown): Promise<ApiResult<unknown>>;
  subscribe(listener: (event: ApiEvent) => void): () => void;
  mediaUrl(imageKey: string): string;
}

export function nodeTransport(baseUrl: string): NodeTransport {
  return {
    async call(method, input) {
      const res = await fetch(new URL(HTTP_CALL_PREFIX + method, baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
      return (await res.json()) as ApiResult<unknown>;
    },
    subscribe() {
      throw new Error('nodeTransport: events are read in the page, not from Node');
    },
    mediaUrl: (key) => new URL(HTTP_MEDIA_PREFIX + key.split('/').map(encodeURIComponent).join('/'), baseUrl).href,
  };
}

/** One call typed by the contract, answering the ApiResult (bench/ui; tests use ./api's client, which throws). */
export async function callMethod<K extends MethodName>(transport: NodeTransport, method: K, input: Input<K>): Promise<ApiResult<Output<K>>> {
  return (await transport.call(method, input)) as ApiResult<Output<K>>;
}
