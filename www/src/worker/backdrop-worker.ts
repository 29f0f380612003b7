/**
 * The worker's state and requests: one `BackdropWorker` owns the wasm processor and the
 * options it runs with, and answers each request of the protocol (protocol.ts). It never
 * sends a camera frame back unprocessed: a frame it cannot process is answered with
 * `frame-error`, and the page shows its privacy frame instead.
 */

import { stageTimings } from '../timings.js';
import type { WasmBuild } from '../features.js';
import { FrameConverter, type Frame } from './frames.js';
import { fetchAll, loadWasm, type Processor } from './load.js';
import type { FromWorker, ModelUrls, Pixels, ToWorker, WorkerOptions } from './protocol.js';
import { simulateSlowCpu } from './debug-slowdown.js';

export type Post = (message: FromWorker, transfer?: Transferable[]) => void;

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class BackdropWorker {
  readonly #post: Post;
  #processor: Processor | null = null;
  /** The options last received, applied once the processor exists. */
  #received: WorkerOptions | null = null;
  /** The options in effect (the tier a frame ran at is reported with it). */
  #applied: WorkerOptions | null = null;
  /** The background last received (undefined: none yet). */
  #background: Pixels | null | undefined;
  readonly #frames = new FrameConverter();

  constructor(post: Post) {
    this.#post = post;
  }

  /**
   * Handles one request. The caller runs them strictly one after another: a frame's
   * pixels sit in wasm memory across an await (`VideoFrame.copyTo`), and nothing else may
   * touch the processor meanwhile.
   */
  handle(message: ToWorker): Promise<void> | void {
    switch (message.type) {
      case 'init':
        return this.#init(message.build, message.models, message.options);
      case 'options':
        return this.#setOptions(message.options);
      case 'background':
        return this.#setBackground(message.image);
      case 'frame':
        return this.#process(message.id, message.frame);
    }
  }

  async #init(build: WasmBuild, models: ModelUrls, options: WorkerOptions): Promise<void> {
    const start = performance.now();
    try {
      const [module, [general, landscape]] = await Promise.all([
        loadWasm(build),
        fetchAll([models.general, models.landscape], (loaded, total) => this.#post({ type: 'progress', loaded, total })),
      ]);
      const processor = new module.Processor(general, landscape);
      this.#apply(processor, this.#received ?? options);
      if (this.#background !== undefined) applyBackground(processor, this.#background);
      this.#processor = processor;
      this.#post({ type: 'ready', build, loadMs: performance.now() - start });
    } catch (err) {
      this.#post({ type: 'failed', message: `Backdrop could not start: ${errorMessage(err)}` });
    }
  }

  #setOptions(options: WorkerOptions): void {
    this.#received = options;
    if (!this.#processor) return;
    try {
      this.#apply(this.#processor, options);
    } catch (err) {
      this.#post({ type: 'failed', message: `Backdrop rejected the options: ${errorMessage(err)}` });
    }
  }

  #setBackground(image: Pixels | null): void {
    this.#background = image;
    if (this.#processor) applyBackground(this.#processor, image);
  }

  /** One options record for the core, applied all or nothing (the core validates it). */
  #apply(processor: Processor, options: WorkerOptions): void {
    processor.setOptions(coreRecord(options));
    this.#applied = options;
  }

  async #process(id: number, frame: Frame): Promise<void> {
    const processor = this.#processor;
    const options = this.#applied;
    const start = performance.now();
    try {
      if (!processor || !options) throw new Error('the model is not loaded yet');
      const [width, height] = await this.#frames.process(processor, frame);
      const wasmTimings = processor.timings();
      const timings = stageTimings(wasmTimings);
      wasmTimings.free();
      const result = await this.#frames.output(processor, frame, width, height);
      simulateSlowCpu(start, options.debugSlowdown);
      const workerMs = performance.now() - start;
      this.#post({ type: 'frame', id, frame: result, timings, tier: options.tier, workerMs }, [result]);
    } catch (err) {
      this.#post({ type: 'frame-error', id, message: errorMessage(err) });
    } finally {
      frame.close();
    }
  }
}

/**
 * The core's options record: the worker's options, and the quality tier, which the core
 * turns into the model, refinement and inference interval it runs.
 */
export function coreRecord(options: WorkerOptions): Record<string, string | number> {
  return {
    mode: options.mode,
    blurStrength: options.blurStrength,
    edgeSoftness: options.edgeSoftness,
    color: options.color,
    model: options.model,
    refinement: options.refinement,
    people: options.people,
    temporalSmoothing: options.temporalSmoothing,
    lightWrap: options.lightWrap,
    qualityTier: options.tier,
  };
}

function applyBackground(processor: Processor, image: Pixels | null): void {
  if (image) processor.setBackgroundImage(new Uint8Array(image.data), image.width, image.height);
  else processor.clearBackgroundImage();
}
