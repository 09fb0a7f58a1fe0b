/** Loads @vladmandic/face-api (node-wasm build) once per thread, on the backend chosen by initBackend(). */
import * as path from 'node:path';
import { initBackend, type BackendName } from '../runtime/backend';
import type * as FaceApiModule from '@vladmandic/face-api/dist/face-api.node-wasm';

export type FaceApi = typeof FaceApiModule;

export const FACE_API_DIR = path.dirname(require.resolve('@vladmandic/face-api/package.json'));
export const FACE_API_MODEL_DIR = path.join(FACE_API_DIR, 'model');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the package's own package.json, read at run time (outside rootDir for tsc)
export const FACE_API_VERSION: string = require('@vladmandic/face-api/package.json').version;

let loaded: Promise<{ faceapi: FaceApi; backend: BackendName }> | null = null;

/** The face-api module with the tiny detector, 68 landmarks, expression and recognition nets loaded. */
export function loadFaceApi(): Promise<{ faceapi: FaceApi; backend: BackendName }> {
  if (!loaded) {
    loaded = (async () => {
      const backend = await initBackend();
      // Required only after the backend is set: the bundle picks up the tfjs instance it shares with us.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- must load after initBackend(), which a hoisted import would precede
      const faceapi: FaceApi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
      await Promise.all([
        faceapi.nets.tinyFaceDetector.loadFromDisk(FACE_API_MODEL_DIR),
        faceapi.nets.faceLandmark68Net.loadFromDisk(FACE_API_MODEL_DIR),
        faceapi.nets.faceExpressionNet.loadFromDisk(FACE_API_MODEL_DIR),
        faceapi.nets.faceRecognitionNet.loadFromDisk(FACE_API_MODEL_DIR),
      ]);
      return { faceapi, backend };
    })();
    loaded.catch(() => {
      loaded = null;
    });
  }
  return loaded;
}
