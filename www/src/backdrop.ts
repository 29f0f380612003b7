/**
 * `createBackdrop`: the package's entry point. A Backdrop owns one worker and processes
 * any number of streams (`process`) or single frames (`processFrame`).
 *
 * Fail closed: until the first processed frame, when a frame is later than
 * `maxFrameDelayMs`, after an error, and while a crashed worker restarts, every output
 * frame is the privacy frame (see privacy.ts), never camera pixels. Each change of state
 * fires a `statechange` event (`state`: `'loading' | 'running' | 'failclosed' |
 * 'destroyed'`, with a `reason`), and Backdrop returns to `'running'` by itself as soon
 * as frames are processed again. `failclosed` fires on entering that state, and again for
 * each failure of the worker while in it (each retried load, each replaced worker).
 */

import { WorkerClient } from './client.js';
import { detectBuild, type WasmBuild } from './features.js';
import { DEFAULT_OPTIONS, mergeOptions, type BackdropOptions } from './options.js';
import { insertablePath, insertableStreamsSupported } from './pipelines/insertable.js';
import { canvasPath } from './pipelines/canvas.js';
import { DEFAULT_FRAME_RATE, runPipeline, type Pipeline, type PipelineHost } from './pipelines/pipeline.js';
import { privacyColor, privacyFrame } from './privacy.js';
import type { Pixels, WorkerOptions } from './worker/protocol.js';
import { QualityController } from './quality.js';
import { StatsRecorder, type BackdropState, type BackdropStats, type FramePath } from './stats.js';
import { registerForTestHooks } from './test-hooks.js';

export interface CreateOptions extends Partial<BackdropOptions> {
  /** Force a wasm build instead of detecting the fastest the browser runs. */
  build?: WasmBuild;
}

export interface ProcessOptions {
  /** Force a frame path; by default insertable streams where available, else canvas. */
  path?: FramePath;
}

export interface StateChangeDetail {
  readonly state: BackdropState;
  readonly reason: string;
}

export interface ProgressDetail {
  readonly loaded: number;
  readonly total: number;
}

/** Starts a Backdrop: the worker begins loading at once; frames are safe to send now. */
export async function createBackdrop(options: CreateOptions = {}): Promise<Backdrop> {
  const { build, ...rest } = options;
  const merged = mergeOptions(DEFAULT_OPTIONS, rest);
  // The background image travels to the worker as pixels, through setOptions.
  const backdrop = new Backdrop(build ?? detectBuild(), { ...merged, mode: 'blur', backgroundImage: null });
  await backdrop.setOptions(merged);
  return backdrop;
}

function workerOptions(options: BackdropOptions, tier: number): WorkerOptions {
  const { backgroundImage: _image, maxFrameDelayMs: _delay, quality: _quality, ...rest } = options;
  return { ...rest, tier };
}

async function bitmapPixels(image: ImageBitmap): Promise<Pixels> {
  const canvas = new OffscreenCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('Backdrop: no 2D context to read the background image');
  ctx.drawImage(image, 0, 0);
  const { data } = ctx.getImageData(0, 0, image.width, image.height);
  return { data: data.buffer as ArrayBuffer, width: image.width, height: image.height };
}

function frameSize(frame: VideoFrame | ImageBitmap): [number, number] {
  return 'displayWidth' in frame ? [frame.displayWidth, frame.displayHeight] : [frame.width, frame.height];
}

export class Backdrop extends EventTarget {
  /** Resolves when the model is loaded; rejects if loading failed. */
  readonly ready: Promise<void>;
  #options: BackdropOptions;
  #client: WorkerClient;
  #state: BackdropState = 'loading';
  #stats = new StatsRecorder();
  #build: WasmBuild | null = null;
  #pipelines = new Set<Pipeline>();
  #quality: QualityController;
  /** The input's frame rate from its track settings, when it states one. */
  #declaredFrameRate: number | null = null;
  /** Rejects `ready` (no effect once it settled). */
  readonly #rejectReady: (error: Error) => void;

  constructor(build: WasmBuild, options: BackdropOptions) {
    super();
    this.#options = options;
    this.#quality = new QualityController(options.quality);
    let resolveReady: () => void;
    let rejectReady: (error: Error) => void;
    this.ready = new Promise<void>((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    this.#rejectReady = (error) => rejectReady(error);
    this.ready.catch(() => undefined); // the state and events report it too
    this.#client = new WorkerClient(build, workerOptions(options, this.#quality.tier), {
      progress: (loaded, total) => this.dispatchEvent(new CustomEvent<ProgressDetail>('progress', { detail: { loaded, total } })),
      ready: (readyBuild, loadMs) => {
        this.#build = readyBuild;
        this.#stats.loadMs ??= loadMs;
        resolveReady();
      },
      model: (model, ms) => {
        this.#stats.modelLoadMs[model] = ms;
      },
      failed: (message) => {
        rejectReady(new Error(message));
        this.#workerFailed(message);
      },
    });
    registerForTestHooks(this, this.#client);
  }

  get state(): BackdropState {
    return this.#state;
  }

  get options(): Readonly<BackdropOptions> {
    return this.#options;
  }

  /** Changes options between any two frames; throws (and changes nothing) on a bad value. */
  async setOptions(changes: Partial<BackdropOptions>): Promise<void> {
    this.#assertAlive();
    const next = mergeOptions(this.#options, changes);
    if ('backgroundImage' in changes && changes.backgroundImage !== this.#options.backgroundImage) {
      this.#client.setBackground(next.backgroundImage ? await bitmapPixels(next.backgroundImage) : null);
    }
    this.#options = next;
    this.#quality.setQuality(next.quality);
    this.#client.setOptions(workerOptions(next, this.#quality.tier));
  }

  /**
   * Returns a MediaStream whose video track is `stream`'s first video track with the
   * background processed, and whose audio tracks are `stream`'s.
   */
  process(stream: MediaStream, options: ProcessOptions = {}): MediaStream {
    this.#assertAlive();
    const input = stream.getVideoTracks()[0];
    if (!input) throw new TypeError('Backdrop.process: the stream has no video track');
    const path = options.path ?? (insertableStreamsSupported() ? 'insertable-streams' : 'canvas');
    const pipeline = runPipeline(
      path === 'insertable-streams' ? insertablePath(input) : canvasPath(input, privacyColor(this.#options)),
      this.#host,
    );
    const { frameRate, width, height } = input.getSettings();
    if (width && height) this.#client.setSource(width, height);
    this.#declaredFrameRate = frameRate && frameRate > 0 ? frameRate : null;
    this.#pipelines.add(pipeline);
    this.#stats.path = path;
    input.addEventListener('ended', () => this.#stopPipeline(pipeline));
    return new MediaStream([pipeline.track, ...stream.getAudioTracks()]);
  }

  /**
   * Processes one frame, for hosts that own their canvas. The input is consumed
   * (transferred to the worker); the result is the same kind of object. Before the model
   * is ready or after an error it is the privacy frame.
   */
  processFrame<F extends VideoFrame | ImageBitmap>(frame: F): Promise<F> {
    this.#assertAlive();
    this.#quality.inputFrame();
    return this.#transform(frame);
  }

  stats(): BackdropStats {
    return {
      state: this.#state,
      build: this.#build,
      path: this.#stats.path,
      fps: this.#stats.fps(),
      stages: this.#stats.stages(),
      framesProcessed: this.#stats.framesProcessed,
      droppedFrames: this.#stats.droppedFrames,
      privacyFrames: this.#stats.privacyFrames,
      loadMs: this.#stats.loadMs,
      model: this.#stats.model,
      modelLoadMs: { ...this.#stats.modelLoadMs },
      quality: this.#quality.state,
      tierCostsMs: this.#quality.costs,
    };
  }

  /** Stops every output track, the worker, and frees the wasm memory. */
  destroy(): void {
    if (this.#state === 'destroyed') return;
    for (const pipeline of this.#pipelines) pipeline.stop();
    this.#pipelines.clear();
    this.#client.destroy();
    this.#rejectReady(new Error('Backdrop was destroyed before its model loaded'));
    this.#setState('destroyed', 'destroy() was called');
  }

  #host: PipelineHost = {
    transform: (frame) => this.#transform(frame),
    late: () => {
      this.#stats.privacyFrames++;
      this.#setState('failclosed', `a frame took longer than ${this.#options.maxFrameDelayMs} ms`);
    },
    arrived: () => this.#quality.inputFrame(),
    dropped: () => {
      this.#stats.droppedFrames++;
      this.#quality.dropped();
    },
    maxFrameDelayMs: () => this.#options.maxFrameDelayMs,
    privacyColor: () => privacyColor(this.#options),
  };

  async #transform<F extends VideoFrame | ImageBitmap>(frame: F): Promise<F> {
    const [width, height] = frameSize(frame);
    const timestamp = 'timestamp' in frame ? frame.timestamp : 0;
    const isVideoFrame = typeof VideoFrame !== 'undefined' && frame instanceof VideoFrame;
    let reason: string;
    if (this.#client.ready) {
      try {
        const { frame: processed, timings, tier, model, modelMissing, workerMs } = await this.#client.process(frame);
        this.#stats.processed(timings);
        this.#stats.model = model;
        // A frame that ran the other model while its tier's loads does not cost what the
        // tier costs: counting it would step down again before the step down took effect.
        if (!modelMissing) this.#adapt(tier, workerMs);
        this.#setState('running', 'frames are processed');
        return processed;
      } catch (err) {
        reason = err instanceof Error ? err.message : String(err);
      }
    } else {
      frame.close();
      reason = this.#state === 'failclosed' ? 'Backdrop is not running' : 'the model is loading';
    }
    this.#stats.privacyFrames++;
    if (this.#state !== 'loading' || this.#client.ready) this.#setState('failclosed', reason);
    const color = privacyColor(this.#options);
    const shape = { width, height, timestamp };
    return (isVideoFrame ? privacyFrame('VideoFrame', shape, color) : await privacyFrame('ImageBitmap', shape, color)) as F;
  }

  /** Feeds a frame's cost to the quality controller and applies a new tier, if any. */
  #adapt(tier: number, workerMs: number): void {
    const before = this.#quality.tier;
    const measuredRate = this.#quality.inputRate();
    const frameRate = measuredRate ?? this.#declaredFrameRate ?? DEFAULT_FRAME_RATE;
    const after = this.#quality.processed(tier, workerMs, 1000 / frameRate);
    if (after !== before) this.#client.setOptions(workerOptions(this.#options, after));
  }

  #stopPipeline(pipeline: Pipeline): void {
    pipeline.stop();
    this.#pipelines.delete(pipeline);
  }

  /**
   * A failure of the worker (a crash, a failed load, a trap, a silent worker): fails
   * closed, and when already fail-closed still fires `failclosed` with the new reason, so
   * that each failure (each retry, each replaced worker) is reported.
   */
  #workerFailed(reason: string): void {
    if (this.#state !== 'failclosed') {
      this.#setState('failclosed', reason);
      return;
    }
    this.dispatchEvent(new CustomEvent<StateChangeDetail>('failclosed', { detail: { state: 'failclosed', reason } }));
  }

  #setState(state: BackdropState, reason: string): void {
    if (this.#state === state || this.#state === 'destroyed') return;
    this.#state = state;
    this.dispatchEvent(new CustomEvent<StateChangeDetail>('statechange', { detail: { state, reason } }));
    if (state === 'failclosed') {
      this.dispatchEvent(new CustomEvent<StateChangeDetail>('failclosed', { detail: { state, reason } }));
    }
  }

  #assertAlive(): void {
    if (this.#state === 'destroyed') throw new Error('Backdrop: this instance was destroyed');
  }
}
