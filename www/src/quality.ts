/**
 * Adaptive quality: a fixed ladder of tiers, each cheaper than the one before, and the
 * controller that picks one from what frames actually cost.
 *
 * Each processed frame reports the worker's time for it and the tier it ran at. The
 * budget is the input's frame interval. The controller steps down one tier when the
 * recent mean cost exceeds 90% of the budget or frames are being dropped, and steps up
 * one tier when the tier above is predicted to cost under 60% of the budget and things
 * have been calm for a while (longer after each step up that had to be undone), so it
 * does not oscillate. A change only alters the options used for the next frames: every
 * output frame is still a composited frame (or the privacy frame), never camera pixels.
 */

import type { BackdropOptions } from './options.js';

export interface QualityTier {
  readonly name: string;
  readonly description: string;
}

/**
 * The tiers, best first; `quality: n` pins tier `n`. What each runs is the core's rule
 * (`qualityTier` in the options record, crates/backdrop-core/src/options/quality.rs);
 * these names and descriptions are the core's too, compared by core-options.test.ts.
 */
export const QUALITY_TIERS: readonly QualityTier[] = Object.freeze([
  { name: 'full', description: 'The chosen model and refinement; the model runs on every frame.' },
  { name: 'landscape', description: 'The 256×144 landscape model (about half the general model’s work).' },
  { name: 'bilinear', description: 'Landscape model; the mask is upsampled bilinearly instead of edge-aware.' },
  { name: 'half-rate', description: 'As bilinear, the model on every 2nd frame; each frame is composited from the last mask.' },
  { name: 'third-rate', description: 'As bilinear, the model on every 3rd frame; each frame is composited from the last mask.' },
].map((tier) => Object.freeze(tier)));

export interface QualityState {
  readonly tier: number;
  readonly name: string;
  /** True when the tier is chosen adaptively, false when pinned by `quality: n`. */
  readonly auto: boolean;
}

/** Frames averaged for a tier's cost: a multiple of every inference interval. */
const WINDOW = 12;
const STEP_DOWN_LOAD = 0.9;
/** A step up happens when the tier above is predicted to cost under this share of the budget. */
export const STEP_UP_LOAD = 0.6;
/** Dropped input frames, as a fraction of the input over the last second, that count as over budget. */
const DROP_LIMIT = 0.1;
/** No step down sooner than this after a change (the new tier's costs must show first). */
const SETTLE_MS = 500;
const STEP_UP_HOLD_MS = 3000;
const STEP_UP_HOLD_MAX_MS = 30_000;
/** A step down this soon after a step up means the step up was wrong: wait longer next time. */
const REGRET_MS = 5000;
/** Cost ratio between neighbouring tiers until one is measured. */
const DEFAULT_RATIO = 1.5;

export class QualityController {
  #tier = 0;
  #auto = true;
  #recent: number[] = [];
  #changedAt = 0;
  #lastStepUpAt = -Infinity;
  #stepUpHoldMs = STEP_UP_HOLD_MS;
  /** Latest mean cost per tier (ms), null until measured. */
  #costs: (number | null)[] = QUALITY_TIERS.map(() => null);
  /** cost(tier - 1) / cost(tier), measured on a step down. */
  #ratios: (number | null)[] = QUALITY_TIERS.map(() => null);
  #stepFrom: number | null = null;
  #inputTimes: number[] = [];
  #dropTimes: number[] = [];

  constructor(quality: BackdropOptions['quality'], now = performance.now()) {
    this.setQuality(quality, now);
  }

  get state(): QualityState {
    return { tier: this.#tier, name: QUALITY_TIERS[this.#tier]!.name, auto: this.#auto };
  }

  get tier(): number {
    return this.#tier;
  }

  /** Mean worker milliseconds per frame last measured at each tier (null: never ran). */
  get costs(): readonly (number | null)[] {
    return [...this.#costs];
  }

  setQuality(quality: BackdropOptions['quality'], now = performance.now()): void {
    this.#auto = quality === 'auto';
    if (!this.#auto) this.#change(quality as number, now);
  }

  /** An input frame arrived (processed or not). */
  inputFrame(now = performance.now()): void {
    this.#inputTimes.push(now);
    trim(this.#inputTimes, now - 1000);
  }

  /** Input frames per second over the last second, null until enough have arrived. */
  inputRate(now = performance.now()): number | null {
    trim(this.#inputTimes, now - 1000);
    return this.#inputTimes.length >= 5 ? this.#inputTimes.length : null;
  }

  /** An input frame was dropped because the worker was busy. */
  dropped(now = performance.now()): void {
    this.#dropTimes.push(now);
    trim(this.#dropTimes, now - 1000);
  }

  /**
   * Records a processed frame: `costMs` of worker time at `tier`, against a frame
   * interval of `budgetMs`. Returns the tier to use from now on.
   */
  processed(tier: number, costMs: number, budgetMs: number, now = performance.now()): number {
    if (tier !== this.#tier) return this.#tier; // ran before the last change took effect
    this.#recent.push(costMs);
    if (this.#recent.length > WINDOW) this.#recent.shift();
    if (this.#recent.length < WINDOW) return this.#tier;
    const mean = this.#recent.reduce((a, b) => a + b, 0) / WINDOW;
    this.#costs[tier] = mean;
    if (this.#stepFrom === tier - 1 && this.#costs[tier - 1] !== null) {
      this.#ratios[tier] = clamp(this.#costs[tier - 1]! / mean, 1, 4);
    }
    this.#stepFrom = null;
    if (!this.#auto) return tier;

    // Drops count since the last change only: earlier ones belong to the old tier.
    const from = Math.max(now - 1000, this.#changedAt);
    const drops = this.#dropTimes.filter((t) => t >= from).length;
    const inputs = this.#inputTimes.filter((t) => t >= from).length;
    const dropping = drops > DROP_LIMIT * Math.max(inputs, 1);
    const since = now - this.#changedAt;
    if ((mean > STEP_DOWN_LOAD * budgetMs || dropping) && since >= SETTLE_MS) {
      if (tier + 1 < QUALITY_TIERS.length) {
        if (now - this.#lastStepUpAt < REGRET_MS) {
          this.#stepUpHoldMs = Math.min(STEP_UP_HOLD_MAX_MS, this.#stepUpHoldMs * 2);
        }
        this.#stepFrom = tier;
        this.#change(tier + 1, now);
      }
    } else if (tier > 0 && since >= this.#stepUpHoldMs && !dropping) {
      const predicted = mean * (this.#ratios[tier] ?? DEFAULT_RATIO);
      if (predicted < STEP_UP_LOAD * budgetMs) {
        this.#lastStepUpAt = now;
        this.#change(tier - 1, now);
      }
    } else if (since >= 4 * STEP_UP_HOLD_MAX_MS) {
      this.#stepUpHoldMs = STEP_UP_HOLD_MS; // long stable: forgive old regrets
    }
    return this.#tier;
  }

  #change(tier: number, now: number): void {
    if (tier === this.#tier) return;
    this.#tier = tier;
    this.#recent = [];
    this.#changedAt = now;
  }
}

function trim(times: number[], before: number): void {
  while (times.length && times[0]! < before) times.shift();
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
