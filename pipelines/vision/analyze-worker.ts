/** Worker thread: loads face-api once, then analyses the images it is sent. Only plain data crosses the thread boundary. */
import { parentPort } from 'node:worker_threads';
import sharp from 'sharp';
import { analyzeImage, prepareAnalyzer, type AnalyzeOptions, type AnalysisResult } from './analyze';

export interface AnalyzeRequest {
  id: number;
  bytes: ArrayBuffer;
  options: AnalyzeOptions;
}

export type WorkerMessage =
  | { type: 'ready'; backend: string }
  | { type: 'init-error'; error: string }
  | { type: 'result'; id: number; result: AnalysisResult };

if (!parentPort) throw new Error('analyze-worker must run in a worker thread');
const port = parentPort;
// One image at a time per worker: libvips threads would only compete with the other workers.
sharp.concurrency(1);

let queue: Promise<void> = Promise.resolve();

prepareAnalyzer().then(
  (backend) => port.postMessage({ type: 'ready', backend } satisfies WorkerMessage),
  (err) => port.postMessage({ type: 'init-error', error: err instanceof Error ? err.message : String(err) } satisfies WorkerMessage),
);

port.on('message', (req: AnalyzeRequest) => {
  queue = queue.then(async () => {
    let result: AnalysisResult;
    try {
      result = await analyzeImage(new Uint8Array(req.bytes), req.options);
    } catch (err) {
      result = { ok: false, code: 'error', error: err instanceof Error ? err.message : String(err), backend: 'unknown' };
    }
    const transfer: ArrayBuffer[] = [];
    if (result.ok) {
      for (const a of [result.descriptor, ...result.expressionFeatures, result.crops.grayPng, result.crops.colorPng]) {
        if (a && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.buffer instanceof ArrayBuffer) transfer.push(a.buffer);
      }
    }
    port.postMessage({ type: 'result', id: req.id, result } satisfies WorkerMessage, transfer);
  });
});
