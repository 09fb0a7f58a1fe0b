/** Messages between the training service and its worker thread (plain data only). */
import type { EvalReport, SampleOutput } from '../../contract/types';

export interface WorkerRequest {
  kind: 'train' | 'eval' | 'samples';
  wsDir: string;
  runId?: number;
  resume?: boolean;
  modelId?: number;
  split?: string;
  part?: string;
  limit?: number;
}

export interface TrainResult {
  runId: number;
  modelId: number;
  backend: string;
  metrics: Record<string, unknown>;
}

export type WorkerReply =
  | { type: 'backend'; backend: string }
  | { type: 'status'; message: string }
  | { type: 'progress'; step: number; totalSteps: number }
  | { type: 'metrics'; step: number; totalSteps: number; values: Record<string, number> }
  | { type: 'stopped'; step: number }
  | { type: 'done'; result: TrainResult }
  | { type: 'eval'; report: EvalReport }
  | { type: 'samples'; samples: SampleOutput[] }
  | { type: 'error'; message: string };
