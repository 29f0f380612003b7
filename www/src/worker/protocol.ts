/**
 * Messages between the page (`client.ts`) and the worker (`worker/index.ts`). The worker
 * handles one request at a time, in order.
 */

import type { Settings } from '../options.js';
import type { WasmBuild } from '../features.js';
import type { StageTimings } from '../timings.js';

/**
 * The options the worker needs, with the quality tier to run at (chosen on the page);
 * the background image travels as pixels.
 */
export type WorkerOptions = Omit<Settings, 'backgroundImage' | 'maxFrameDelayMs' | 'quality'> & {
  readonly tier: number;
};

export interface Pixels {
  readonly data: ArrayBuffer;
  readonly width: number;
  readonly height: number;
}

/** Where the worker fetches the two models from. */
export interface ModelUrls {
  readonly general: string;
  readonly landscape: string;
}

export type ToWorker =
  | { type: 'init'; build: WasmBuild; models: ModelUrls; options: WorkerOptions }
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
