/**
 * The renderer's own typed client (renderer/src/api/client.ts) over HTTP from Node, for test setup and read-back:
 * `await apiClient(url)['users.upsert']({ name: 'kim', role: 'annotator' })` returns the output or throws ApiCallError.
 * Input and output types come from the contract, exactly as in the UI.
 */
import type { ApiClient } from '../../contract/api';
import { ApiCallError, createClient, type Transport } from '../../renderer/src/api/client';
import { nodeTransport } from './api-transport';

export { ApiCallError };

export function apiClient(baseUrl: string): ApiClient {
  const transport: Transport = nodeTransport(baseUrl);
  return createClient(transport);
}
