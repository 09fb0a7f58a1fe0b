/** Messages between the synthesis service and its worker thread. */
export interface SynthWorkerRequest {
  wsDir: string;
  roundId: number;
}

export type SynthWorkerReply =
  | { type: 'backend'; backend: string }
  | { type: 'progress'; done: number; total: number }
  | { type: 'stopped'; done: number; total: number }
  | { type: 'done'; done: number; total: number }
  | { type: 'error'; message: string };
