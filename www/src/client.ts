/**
 * The page's side of the worker: requests with promises, load progress, and a restart
 * when the worker dies.
 */

import { createWorker, modelUrls } from './assets.js';
import type { WasmBuild } from './features.js';
import type { StageTimings } from './timings.js';
import type { FromWorker, Pixels, ToWorker, WorkerOptions } from './worker/protocol.js';

export interface ProcessedFrame<F> {
  readonly frame: F;
  readonly timings: StageTimings;
  /** The quality tier it ran at and the worker's milliseconds for it. */
  readonly tier: number;
  readonly workerMs: number;
}

export interface WorkerEvents {
  progress(loaded: number, total: number): void;
  ready(build: WasmBuild, loadMs: number): void;
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

/** How the client starts workers and waits before a restart; the browser's by default. */
export interface WorkerRuntime {
  spawn(): WorkerPort;
  schedule(run: () => void, ms: number): void;
}

const BROWSER: WorkerRuntime = {
  spawn: () => createWorker() as unknown as WorkerPort,
  schedule: (run, ms) => void setTimeout(run, ms),
};

/** The pause before the next restart after `restarts` restarts without a ready worker. */
export function restartDelayMs(restarts: number): number {
  return Math.min(30_000, 500 * 2 ** restarts);
}

interface Pending {
  resolve(value: ProcessedFrame<VideoFrame | ImageBitmap>): void;
  reject(error: Error): void;
}

export class WorkerClient {
  #worker: WorkerPort | null = null;
  #pending = new Map<number, Pending>();
  #nextId = 1;
  #options: WorkerOptions;
  #background: Pixels | null = null;
  #ready = false;
  #build: WasmBuild;
  #events: WorkerEvents;
  #restarts = 0;
  #runtime: WorkerRuntime;

  constructor(build: WasmBuild, options: WorkerOptions, events: WorkerEvents, runtime: WorkerRuntime = BROWSER) {
    this.#runtime = runtime;
    this.#build = build;
    this.#options = options;
    this.#events = events;
    this.#start();
  }

  get ready(): boolean {
    return this.#ready;
  }

  #start(): void {
    const worker = this.#runtime.spawn();
    this.#worker = worker;
    this.#ready = false;
    worker.onmessage = (event: MessageEvent<FromWorker>) => this.#receive(event.data);
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.#crashed(`the worker crashed: ${event.message || 'unknown error'}`);
    };
    worker.onmessageerror = () => this.#crashed('a message from the worker could not be read');
    this.#send({ type: 'init', build: this.#build, models: modelUrls(), options: this.#options });
    if (this.#background) this.#send({ type: 'background', image: this.#background });
  }

  #crashed(message: string): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.#ready = false;
    for (const pending of this.#pending.values()) pending.reject(new Error(message));
    this.#pending.clear();
    this.#events.failed(message);
    // Recover by itself, with a growing pause so a worker that always dies does not spin.
    const delay = restartDelayMs(this.#restarts++);
    this.#runtime.schedule(() => {
      if (this.#worker === null && !this.#destroyed) this.#start();
    }, delay);
  }

  #destroyed = false;

  #receive(message: FromWorker): void {
    switch (message.type) {
      case 'progress':
        this.#events.progress(message.loaded, message.total);
        break;
      case 'ready':
        this.#ready = true;
        this.#restarts = 0;
        this.#events.ready(message.build, message.loadMs);
        break;
      case 'failed':
        this.#events.failed(message.message);
        break;
      case 'frame': {
        const pending = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        if (pending) {
          pending.resolve({ frame: message.frame, timings: message.timings, tier: message.tier, workerMs: message.workerMs });
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
      this.#pending.set(id, { resolve: resolve as Pending['resolve'], reject });
      this.#send({ type: 'frame', id, frame }, [frame]);
    });
  }

  destroy(): void {
    this.#destroyed = true;
    this.#worker?.terminate();
    this.#worker = null;
    for (const pending of this.#pending.values()) pending.reject(new Error('Backdrop was destroyed'));
    this.#pending.clear();
  }
}
