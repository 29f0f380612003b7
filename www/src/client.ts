/**
 * The page's side of the worker: requests with promises, load progress, and a new
 * worker whenever the one running cannot go on:
 *
 * - it crashed (an error event, a message that cannot be read);
 * - it reported itself `fatal` (the model or wasm failed to load, or the wasm module
 *   trapped: worker/backdrop-worker.ts);
 * - the watchdog found it silent: a `ping`, or a frame, unanswered for longer than
 *   `WATCHDOG` allows (a worker terminated from outside, or one that closed itself, sends
 *   no error event; a blocked one answers nothing).
 *
 * Each replacement waits `restartDelayMs(n)` after the n-th failure in a row; the count
 * goes back to zero only once a worker has processed a frame, so a worker that loads and
 * then fails on its first frame, every time, is retried ever more slowly.
 */

import { createWorker, modelUrls } from './assets.js';
import type { WasmBuild } from './features.js';
import { testHooksEnabled } from './test-hooks.js';
import type { StageTimings } from './timings.js';
import type { FromWorker, Pixels, ToWorker, WorkerOptions } from './worker/protocol.js';
import { outlivesWorker, type TestHook } from './worker/test-hooks.js';
import type { ModelName } from './worker/later-models.js';

export interface ProcessedFrame<F> {
  readonly frame: F;
  readonly timings: StageTimings;
  /** The quality tier it ran at and the worker's milliseconds for it. */
  readonly tier: number;
  /** The model it ran, and whether the one its options want was still loading. */
  readonly model: ModelName;
  readonly modelMissing: boolean;
  readonly workerMs: number;
}

export interface WorkerEvents {
  progress(loaded: number, total: number): void;
  ready(build: WasmBuild, loadMs: number): void;
  /** A model was parsed, in `ms` (the worker is busy meanwhile). */
  model(model: ModelName, ms: number): void;
  failed(message: string): void;
}

/** The part of a `Worker` the client uses (the unit tests pass a fake one). */
export interface WorkerPort {
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  onmessageerror: (() => void) | null;
  postMessage(message: ToWorker, transfer: Transferable[]): void;
  terminate(): void;
}

/** How the client starts workers, keeps time and waits; the browser's by default. */
export interface WorkerRuntime {
  spawn(): WorkerPort;
  schedule(run: () => void, ms: number): void;
  /** Calls `run` every `ms` until the returned function is called. */
  repeat(run: () => void, ms: number): () => void;
  now(): number;
}

const BROWSER: WorkerRuntime = {
  spawn: () => createWorker(testHooksEnabled()) as unknown as WorkerPort,
  schedule: (run, ms) => void setTimeout(run, ms),
  repeat: (run, ms) => {
    const timer = setInterval(run, ms);
    return () => clearInterval(timer);
  },
  now: () => performance.now(),
};

/** The pause before the next restart after `restarts` failures without a processed frame. */
export function restartDelayMs(restarts: number): number {
  return Math.min(30_000, 500 * 2 ** restarts);
}

/**
 * The watchdog: every `intervalMs` it pings the worker; a worker that leaves a ping or a
 * frame unanswered for longer than `loadingMs` (until it is ready: parsing the models
 * blocks it for a while) or `runningMs` (after) is taken for dead and replaced. A frame
 * costs tens of milliseconds; the limits leave room for a machine many times slower.
 */
export const WATCHDOG = { intervalMs: 1000, loadingMs: 20_000, runningMs: 6000 } as const;

interface Pending {
  resolve(value: ProcessedFrame<VideoFrame | ImageBitmap>): void;
  reject(error: Error): void;
  /** When it was sent (the watchdog's clock). */
  sentAt: number;
}

export class WorkerClient {
  #worker: WorkerPort | null = null;
  #pending = new Map<number, Pending>();
  #nextId = 1;
  #options: WorkerOptions;
  #background: Pixels | null = null;
  /** The camera's frame size, once a stream is processed (the worker picks its first model by it). */
  #source: { width: number; height: number } | null = null;
  /** Test hooks a new worker gets again (worker/test-hooks.ts, `outlivesWorker`), by kind. */
  #hooks = new Map<TestHook['hook'], TestHook>();
  #ready = false;
  #build: WasmBuild;
  #events: WorkerEvents;
  #restarts = 0;
  #runtime: WorkerRuntime;
  #destroyed = false;
  /** When the oldest unanswered ping was sent; null: none is. */
  #pingSentAt: number | null = null;
  readonly #stopWatchdog: () => void;

  constructor(build: WasmBuild, options: WorkerOptions, events: WorkerEvents, runtime: WorkerRuntime = BROWSER) {
    this.#runtime = runtime;
    this.#build = build;
    this.#options = options;
    this.#events = events;
    this.#start();
    this.#stopWatchdog = runtime.repeat(() => this.#watch(), WATCHDOG.intervalMs);
  }

  get ready(): boolean {
    return this.#ready;
  }

  #start(): void {
    const worker = this.#runtime.spawn();
    this.#worker = worker;
    this.#ready = false;
    this.#pingSentAt = null;
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      if (this.#worker === worker) this.#receive(event.data);
      // A frame a replaced (or destroyed) worker sent before it was ended: nobody waits for it.
      else if (event.data.type === 'frame') event.data.frame.close();
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      if (this.#worker === worker) this.#replace(`the worker crashed: ${event.message || 'unknown error'}`);
    };
    worker.onmessageerror = () => {
      if (this.#worker === worker) this.#replace('a message from the worker could not be read');
    };
    if (this.#source) this.#send({ type: 'source', ...this.#source });
    this.#send({ type: 'init', build: this.#build, models: modelUrls(), options: this.#options });
    if (this.#background) this.#send({ type: 'background', image: this.#background });
    for (const hook of this.#hooks.values()) this.#send({ type: 'test-hook', hook });
  }

  /** Ends the current worker, fails what it had in flight, and starts a new one after the back-off. */
  #replace(message: string): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.#ready = false;
    for (const pending of this.#pending.values()) pending.reject(new Error(message));
    this.#pending.clear();
    this.#events.failed(message);
    const delay = restartDelayMs(this.#restarts++);
    this.#runtime.schedule(() => {
      if (this.#worker === null && !this.#destroyed) this.#start();
    }, delay);
  }

  /** The watchdog's tick (see `WATCHDOG`). */
  #watch(): void {
    if (!this.#worker) return;
    const now = this.#runtime.now();
    let oldest = this.#pingSentAt;
    for (const pending of this.#pending.values()) oldest = oldest === null ? pending.sentAt : Math.min(oldest, pending.sentAt);
    const limit = this.#ready ? WATCHDOG.runningMs : WATCHDOG.loadingMs;
    if (oldest !== null && now - oldest > limit) {
      this.#replace(`the worker stopped answering (no reply for ${Math.round(now - oldest)} ms)`);
      return;
    }
    if (this.#pingSentAt === null) {
      this.#pingSentAt = now;
      this.#send({ type: 'ping' });
    }
  }

  #receive(message: FromWorker): void {
    this.#pingSentAt = null; // any message shows the worker is alive
    switch (message.type) {
      case 'pong':
        break;
      case 'progress':
        this.#events.progress(message.loaded, message.total);
        break;
      case 'ready':
        this.#ready = true;
        this.#events.ready(message.build, message.loadMs);
        break;
      case 'model':
        this.#events.model(message.model, message.ms);
        break;
      case 'failed':
        this.#events.failed(message.message);
        break;
      case 'fatal':
        this.#replace(message.message);
        break;
      case 'frame': {
        this.#restarts = 0; // this worker works: the next failure waits the shortest pause
        const pending = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        if (pending) {
          const { frame, timings, tier, model, modelMissing, workerMs } = message;
          pending.resolve({ frame, timings, tier, model, modelMissing, workerMs });
        }
        else message.frame.close();
        break;
      }
      case 'frame-error': {
        const pending = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        pending?.reject(new Error(message.message));
        break;
      }
    }
  }

  #send(message: ToWorker, transfer: Transferable[] = []): void {
    this.#worker?.postMessage(message, transfer);
  }

  setOptions(options: WorkerOptions): void {
    this.#options = options;
    this.#send({ type: 'options', options });
  }

  /** The size of the frames to come, when the page knows it before the first one. */
  setSource(width: number, height: number): void {
    this.#source = { width, height };
    this.#send({ type: 'source', width, height });
  }

  setBackground(image: Pixels | null): void {
    this.#background = image;
    this.#send({ type: 'background', image });
  }

  /** Processes one frame; the frame is transferred (the caller must not use it again). */
  process<F extends VideoFrame | ImageBitmap>(frame: F): Promise<ProcessedFrame<F>> {
    if (!this.#worker) {
      frame.close();
      return Promise.reject(new Error('the worker is restarting'));
    }
    const id = this.#nextId++;
    return new Promise<ProcessedFrame<F>>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as Pending['resolve'], reject, sentAt: this.#runtime.now() });
      this.#send({ type: 'frame', id, frame }, [frame]);
    });
  }

  /** Test hooks only (src/test-hooks.ts): sends `hook`, and keeps a lasting one for the next workers. */
  testHook(hook: TestHook): void {
    if (hook.hook === 'slowdown' || hook.hook === 'trap') this.#hooks.delete(hook.hook);
    if (outlivesWorker(hook)) this.#hooks.set(hook.hook, hook);
    this.#send({ type: 'test-hook', hook });
  }

  /** Test hooks only: terminates the worker without telling the client, as a browser may. */
  terminateForTest(): void {
    this.#worker?.terminate();
  }

  destroy(): void {
    this.#destroyed = true;
    this.#stopWatchdog();
    this.#worker?.terminate();
    this.#worker = null;
    for (const pending of this.#pending.values()) pending.reject(new Error('Backdrop was destroyed'));
    this.#pending.clear();
  }
}
