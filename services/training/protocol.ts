/** Messages between the training service and its worker thread (plain data only). */
import type { EvalReport, SampleOutput } from '../../contract/types';

interface JobBase {
  wsDir: string;
}

export type WorkerRequest =
  | (JobBase & { kind: 'train'; runId: number; resume: boolean })
  | (JobBase & { kind: 'eval'; modelId: number; split: string; part: string })
  | (JobBase & { kind: 'samples'; modelId: number; split: string; part: string; limit: number })
  | (JobBase & { kind: 'suggest'; modelId: number; split: string; part: string });

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
  | { type: 'suggested'; written: number }
  | { type: 'error'; message: string };
