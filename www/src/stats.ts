/** Live numbers about a running Backdrop. */

import type { WasmBuild } from './features.js';
import { meanTimings, type StageTimings } from './timings.js';
import type { QualityState } from './quality.js';
import type { ModelName } from './worker/later-models.js';

export type FramePath = 'insertable-streams' | 'canvas';
export type BackdropState = 'loading' | 'running' | 'failclosed' | 'destroyed';

export interface BackdropStats {
  readonly state: BackdropState;
  /** Which wasm build runs (null until loaded). */
  readonly build: WasmBuild | null;
  /** How frames reach the worker (null before `process`). */
  readonly path: FramePath | null;
  /** Processed frames per second over the last second. */
  readonly fps: number;
  /** Mean milliseconds per stage over the last 30 processed frames. */
  readonly stages: StageTimings;
  /** Frames processed, dropped (the worker was busy), and replaced by the privacy frame. */
  readonly framesProcessed: number;
  readonly droppedFrames: number;
  readonly privacyFrames: number;
  /** Time to load the wasm build and the first model, ms (null until loaded). */
  readonly loadMs: number | null;
  /**
   * The model the last processed frame ran (null before the first). A start loads one
   * model; the other is fetched when a frame first wants it, and used once it is ready.
   */
  readonly model: ModelName | null;
  /** Milliseconds the worker took to parse each model loaded so far (it processes no frame meanwhile). */
  readonly modelLoadMs: Readonly<Partial<Record<ModelName, number>>>;
  /** The quality tier in use (see `QUALITY_TIERS`) and whether it adapts. */
  readonly quality: QualityState;
  /** Mean worker milliseconds per frame last measured at each tier (null: not run yet). */
  readonly tierCostsMs: readonly (number | null)[];
}

const WINDOW = 30;

export class StatsRecorder {
  framesProcessed = 0;
  droppedFrames = 0;
  privacyFrames = 0;
  loadMs: number | null = null;
  path: FramePath | null = null;
  model: ModelName | null = null;
  modelLoadMs: Partial<Record<ModelName, number>> = {};
  #outputTimes: number[] = [];
  #recent: StageTimings[] = [];

  processed(timings: StageTimings): void {
    this.framesProcessed++;
    this.#outputTimes.push(performance.now());
    this.#recent.push(timings);
    if (this.#recent.length > WINDOW) this.#recent.shift();
  }

  fps(): number {
    const now = performance.now();
    while (this.#outputTimes.length && this.#outputTimes[0]! < now - 1000) this.#outputTimes.shift();
    return this.#outputTimes.length;
  }

  stages(): StageTimings {
    return meanTimings(this.#recent);
  }
}
