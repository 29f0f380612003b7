/**
 * The worker's state and requests: one `BackdropWorker` owns the wasm processor and the
 * options it runs with, and answers each request of the protocol (protocol.ts). It never
 * sends a camera frame back unprocessed: a frame it cannot process is answered with
 * `frame-error`, and the page shows its privacy frame instead.
 *
 * What the worker cannot recover from it reports as `fatal`, and the page replaces it: a
 * failed load (the page retries with a growing pause), and a wasm trap, after which the
 * module's memory is in an unknown state (a Rust panic aborts in the middle of a frame,
 * with its borrows and buffers half done), so the processor is never called again.
 */

import { stageTimings } from '../timings.js';
import type { WasmBuild } from '../features.js';
import { FrameConverter, type Frame } from './frames.js';
import { LaterModels, type ModelName } from './later-models.js';
import { fetchAll, loadWasm, type Processor, type WasmModule } from './load.js';
import type { FromWorker, ModelUrls, Pixels, ToWorker, WorkerOptions } from './protocol.js';
import type { WorkerTestHooks } from './test-hooks.js';

export type Post = (message: FromWorker, transfer?: Transferable[]) => void;

/** How the worker gets its wasm build and models (the unit tests pass fakes). */
export interface Loader {
  wasm(build: WasmBuild): Promise<Pick<WasmModule, 'Processor' | 'wantedModel'>>;
  models(urls: string[], progress: (loaded: number, total: number) => void): Promise<Uint8Array[]>;
}

const BROWSER_LOADER: Loader = { wasm: loadWasm, models: fetchAll };

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A wasm trap (`unreachable` after a Rust panic, out of bounds, out of memory): fatal for the module. */
export function isWasmTrap(err: unknown): boolean {
  return typeof WebAssembly === 'object' && err instanceof WebAssembly.RuntimeError;
}

/** The `fatal` message for a trap. */
export function trapMessage(err: unknown, during: string): string {
  return `the wasm module trapped ${during} (${errorMessage(err)}); its worker is replaced`;
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
  readonly #hooks: WorkerTestHooks | null;
  readonly #loader: Loader;
  /** Why the processor must not be used again (a trap), once it happened. */
  #broken: string | null = null;
  /** The camera's frame size, when the page knows it (`source`): it picks the first model. */
  #source: { width: number; height: number } | null = null;
  /** The model not loaded at the start, fetched once a frame wants it. */
  #later: LaterModels | null = null;

  /** `hooks`: the test hooks, only for a worker whose page asked for them. */
  constructor(post: Post, hooks: WorkerTestHooks | null = null, loader: Loader = BROWSER_LOADER) {
    this.#post = post;
    this.#hooks = hooks;
    this.#loader = loader;
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
      case 'test-hook':
        return this.#hooks?.receive(message.hook);
      case 'ping':
        return this.#post({ type: 'pong' });
      case 'source':
        this.#source = { width: message.width, height: message.height };
        return;
    }
  }

  async #init(build: WasmBuild, models: ModelUrls, options: WorkerOptions): Promise<void> {
    const start = performance.now();
    try {
      // Only the model the first frames need; the other one when a frame wants it.
      const module = await this.#loader.wasm(build);
      const first = module.wantedModel(coreRecord(this.#received ?? options), this.#source?.width, this.#source?.height) as ModelName;
      const [bytes] = await this.#loader.models([models[first]], (loaded, total) => this.#post({ type: 'progress', loaded, total }));
      const processor = this.#parse(first, () =>
        first === 'general' ? new module.Processor(bytes, undefined) : new module.Processor(undefined, bytes));
      this.#later = new LaterModels(models, first, {
        fetch: async (url) => (await this.#loader.models([url], () => {}))[0]!,
        warn: (message) => console.warn(message),
        now: () => performance.now(),
      });
      this.#apply(processor, this.#received ?? options);
      if (this.#background !== undefined) applyBackground(processor, this.#background);
      this.#processor = processor;
      this.#post({ type: 'ready', build, loadMs: performance.now() - start });
    } catch (err) {
      this.#post({ type: 'fatal', message: `Backdrop could not start: ${errorMessage(err)}` });
    }
  }

  #setOptions(options: WorkerOptions): void {
    this.#received = options;
    if (!this.#processor) return;
    try {
      this.#apply(this.#processor, options);
    } catch (err) {
      if (isWasmTrap(err)) this.#trapped(err, 'while setting options');
      else this.#post({ type: 'failed', message: `Backdrop rejected the options: ${errorMessage(err)}` });
    }
  }

  #setBackground(image: Pixels | null): void {
    this.#background = image;
    if (!this.#processor) return;
    try {
      applyBackground(this.#processor, image);
    } catch (err) {
      if (isWasmTrap(err)) this.#trapped(err, 'while setting the background image');
      else this.#post({ type: 'failed', message: `Backdrop rejected the background image: ${errorMessage(err)}` });
    }
  }

  /** The processor is never called again; the page replaces this worker. */
  #trapped(err: unknown, during: string): void {
    this.#processor = null;
    this.#broken = trapMessage(err, during);
    this.#post({ type: 'fatal', message: this.#broken });
  }

  /** One options record for the core, applied all or nothing (the core validates it). */
  #apply(processor: Processor, options: WorkerOptions): void {
    processor.setOptions(coreRecord(options));
    this.#applied = options;
  }

  /** Runs `parse` (the core parsing model `name`) and reports how long it took. */
  #parse<T>(name: ModelName, parse: () => T): T {
    const start = performance.now();
    const result = parse();
    this.#post({ type: 'model', model: name, ms: performance.now() - start });
    return result;
  }

  /** Parses the models whose bytes arrived (see later-models.ts); returns the milliseconds it took. */
  #loadLaterModels(processor: Processor): number {
    const start = performance.now();
    for (const { name, bytes } of this.#later?.take() ?? []) {
      try {
        this.#parse(name, () => processor.loadModel(name, bytes));
      } catch (err) {
        if (isWasmTrap(err)) throw err;
        this.#later?.failed(name, errorMessage(err));
      }
    }
    return performance.now() - start;
  }

  async #process(id: number, frame: Frame): Promise<void> {
    const processor = this.#processor;
    const options = this.#applied;
    const start = performance.now();
    try {
      if (this.#broken) throw new Error(this.#broken);
      if (!processor || !options) throw new Error('the model is not loaded yet');
      // Parsing a model that came blocks this one frame; its time is not the frame's cost.
      const parseMs = this.#loadLaterModels(processor);
      this.#hooks?.beforeFrame(processor);
      const [width, height] = await this.#frames.process(processor, frame);
      const wasmTimings = processor.timings();
      const timings = stageTimings(wasmTimings);
      wasmTimings.free();
      const result = await this.#frames.output(processor, frame, width, height);
      this.#hooks?.afterFrame(start);
      const missing = processor.missingModel();
      this.#later?.want(missing);
      const workerMs = performance.now() - start - parseMs;
      const model = processor.modelInUse() as ModelName;
      const modelMissing = missing !== undefined;
      this.#post({ type: 'frame', id, frame: result, timings, tier: options.tier, model, modelMissing, workerMs }, [result]);
    } catch (err) {
      // After a trap the page rejects every frame in flight itself, as it replaces the worker.
      if (isWasmTrap(err) && !this.#broken) this.#trapped(err, 'in the middle of a frame');
      else this.#post({ type: 'frame-error', id, message: errorMessage(err) });
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
