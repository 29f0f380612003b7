/**
 * Messages between the page (`client.ts`) and the worker (`worker.ts`). The worker
 * handles one request at a time, in order.
 */

import type { BackdropOptions } from './options.js';
import type { WasmBuild } from './features.js';

/**
 * The options the worker needs, with the quality tier to run at (chosen on the page);
 * the background image travels as pixels.
 */
export type WorkerOptions = Omit<BackdropOptions, 'backgroundImage' | 'maxFrameDelayMs' | 'quality'> & {
  readonly tier: number;
};

export interface Pixels {
  readonly data: ArrayBuffer;
  readonly width: number;
  readonly height: number;
}

export interface StageTimings {
  readonly preprocessMs: number;
  readonly inferenceMs: number;
  readonly refineMs: number;
  readonly compositeMs: number;
  readonly totalMs: number;
}

export type ToWorker =
  | { type: 'init'; build: WasmBuild; models: { general: string; landscape: string }; options: WorkerOptions }
  | { type: 'options'; options: WorkerOptions }
  | { type: 'background'; image: Pixels | null }
  | { type: 'frame'; id: number; frame: VideoFrame | ImageBitmap };

export type FromWorker =
  | { type: 'progress'; loaded: number; total: number }
  | { type: 'ready'; build: WasmBuild; loadMs: number }
  | { type: 'failed'; message: string }
  | {
      type: 'frame';
      id: number;
      frame: VideoFrame | ImageBitmap;
      timings: StageTimings;
      /** The tier the frame ran at, and the worker's milliseconds for it (copies included). */
      tier: number;
      workerMs: number;
    }
  | { type: 'frame-error'; id: number; message: string };
