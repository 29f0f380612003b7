/**
 * Messages between the page (`client.ts`) and the worker (`worker/index.ts`). The worker
 * handles one request at a time, in order, except `ping`, which it answers at once, and
 * `source`, which it notes at once.
 */

import type { BackdropOptions } from '../options.js';
import type { WasmBuild } from '../features.js';
import type { StageTimings } from '../timings.js';
import type { TestHook } from './test-hooks.js';
import type { ModelName } from './later-models.js';

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

/** Where the worker fetches the two models from. */
export interface ModelUrls {
  readonly general: string;
  readonly landscape: string;
}

export type ToWorker =
  | { type: 'init'; build: WasmBuild; models: ModelUrls; options: WorkerOptions }
  | { type: 'options'; options: WorkerOptions }
  | { type: 'background'; image: Pixels | null }
  | { type: 'frame'; id: number; frame: VideoFrame | ImageBitmap }
  /** The watchdog's question: is the worker alive? Answered with `pong` at once. */
  | { type: 'ping' }
  /** The camera's frame size, when known (it picks the model loaded first); taken at once. */
  | { type: 'source'; width: number; height: number }
  /** Honoured only by a worker started for test hooks (test-hooks.ts). */
  | { type: 'test-hook'; hook: TestHook };

export type FromWorker =
  | { type: 'progress'; loaded: number; total: number }
  | { type: 'ready'; build: WasmBuild; loadMs: number }
  /** A model was parsed (at the start, or later when a frame first wanted it), in `ms`. */
  | { type: 'model'; model: ModelName; ms: number }
  /** Something failed that does not harm the worker (options the core rejected). */
  | { type: 'failed'; message: string }
  /**
   * The worker cannot go on (the model or wasm failed to load, or the wasm module
   * trapped, which leaves its memory in an unknown state): the page replaces it.
   */
  | { type: 'fatal'; message: string }
  | { type: 'pong' }
  | {
      type: 'frame';
      id: number;
      frame: VideoFrame | ImageBitmap;
      timings: StageTimings;
      /** The tier the frame ran at, and the worker's milliseconds for it (copies included). */
      tier: number;
      /** The model it ran. */
      model: ModelName;
      /**
       * It ran that model while the one its options want was still loading: its cost is not
       * its tier's (the page's quality controller leaves it out).
       */
      modelMissing: boolean;
      workerMs: number;
    }
  | { type: 'frame-error'; id: number; message: string };
