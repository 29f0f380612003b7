import { QUALITY_TIERS } from './quality.js';

/**
 * What a caller can choose, with Backdrop's defaults. Every option can change at any
 * time through `Backdrop.setOptions`.
 */

export type Mode = 'blur' | 'replace' | 'remove';
export type ModelChoice = 'auto' | 'general' | 'landscape';
export type Refinement = 'guided' | 'bilateral' | 'bilinear';
export type People = 'main' | 'all';

export interface BackdropOptions {
  /** What happens to the background. Default `'blur'`. */
  mode: Mode;
  /** Background blur, 0 to 1. Default 0.5. */
  blurStrength: number;
  /** Edge softness, 0 (crisp) to 1. Default 0.3. */
  edgeSoftness: number;
  /** What `remove` puts behind the person: `#rrggbb`, `#rrggbbaa` or `'transparent'`. Default `'#00b140'`. */
  color: string;
  /** The image `replace` puts behind the person (cover-fitted). Required for `'replace'`. */
  backgroundImage: ImageBitmap | null;
  /** Which model: `'auto'` picks landscape for wide frames. Default `'auto'`. */
  model: ModelChoice;
  /** How the mask is brought to frame resolution. Default `'guided'`. */
  refinement: Refinement;
  /**
   * Whose mask is kept. `'main'` (default): only the caller, the main person at the start,
   * followed from frame to frame; anyone else who comes into view (someone walking behind)
   * is background. `'all'`: everyone the model finds (a group on one camera).
   */
  people: People;
  /** Temporal smoothing where nothing moves, 0 (off) to 0.95. Default 0.9. */
  temporalSmoothing: number;
  /** How much the replaced background's light spills onto the person's edges in `replace`, 0 to 1. Default 0.3. */
  lightWrap: number;
  /**
   * How late a frame may be, in milliseconds, before the output shows the privacy frame
   * instead of waiting. Default 1000.
   */
  maxFrameDelayMs: number;
  /**
   * `'auto'` (default) adapts the work per frame to the machine: when frames cost more
   * than the input's frame interval, Backdrop steps down through `QUALITY_TIERS`, and
   * back up when there is headroom. A number pins that tier (0 = best quality).
   */
  quality: 'auto' | number;
}

/**
 * Test hooks: not options, not in the package's documented API or its types' public
 * surface, and not for production. `setOptions` (and `createBackdrop`) accept them next
 * to the options so that the end-to-end tests can switch them on a running Backdrop.
 * This is the one place that documents them.
 */
export interface TestHooks {
  /**
   * Makes the worker `debugSlowdown` times slower than it is (it busy-waits after each
   * frame for `debugSlowdown - 1` times the frame's real cost; worker/debug-slowdown.ts), to
   * simulate a slow machine (tests/e2e/adaptive-quality.test.mjs). Default 1 (off); at
   * most 20.
   */
  debugSlowdown: number;
}

/** What a Backdrop runs with: its options and the test hooks. */
export type Settings = BackdropOptions & TestHooks;

/**
 * The defaults. Those of the core's options (all but `backgroundImage`,
 * `maxFrameDelayMs` and `quality`, which the page applies) are the core's own
 * (`crates/backdrop-core/src/options/fields.rs`), and so are the ranges and choices
 * `mergeOptions` checks: `core-options.test.ts` compares both with the wasm module's
 * `defaultOptions()` and `optionFields()`, so that the page can reject a bad value at once.
 */
export const DEFAULT_OPTIONS: Readonly<BackdropOptions> = Object.freeze({
  mode: 'blur',
  blurStrength: 0.5,
  edgeSoftness: 0.3,
  color: '#00b140',
  backgroundImage: null,
  model: 'auto',
  refinement: 'guided',
  people: 'main',
  temporalSmoothing: 0.9,
  lightWrap: 0.3,
  maxFrameDelayMs: 1000,
  quality: 'auto',
});

export const DEFAULT_TEST_HOOKS: Readonly<TestHooks> = Object.freeze({ debugSlowdown: 1 });

const MODES: readonly Mode[] = ['blur', 'replace', 'remove'];
const MODELS: readonly ModelChoice[] = ['auto', 'general', 'landscape'];
const REFINEMENTS: readonly Refinement[] = ['guided', 'bilateral', 'bilinear'];
const PEOPLE: readonly People[] = ['main', 'all'];
const COLOR = /^(#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?|transparent)$/;

function checkRange(name: string, value: number, max: number): void {
  if (!Number.isFinite(value) || value < 0 || value > max) {
    throw new RangeError(`Backdrop: ${name} must be a number from 0 to ${max}, got ${value}`);
  }
}

/** Merges `changes` into `current`, throwing a clear error for any bad value. */
export function mergeOptions(current: Settings, changes: Partial<Settings>): Settings {
  const next: Settings = { ...current, ...changes };
  if (!MODES.includes(next.mode)) throw new TypeError(`Backdrop: unknown mode '${next.mode}' (expected ${MODES.join(', ')})`);
  if (!MODELS.includes(next.model)) throw new TypeError(`Backdrop: unknown model '${next.model}' (expected ${MODELS.join(', ')})`);
  if (!REFINEMENTS.includes(next.refinement)) {
    throw new TypeError(`Backdrop: unknown refinement '${next.refinement}' (expected ${REFINEMENTS.join(', ')})`);
  }
  if (!PEOPLE.includes(next.people)) throw new TypeError(`Backdrop: unknown people '${next.people}' (expected ${PEOPLE.join(', ')})`);
  if (!COLOR.test(next.color)) throw new TypeError(`Backdrop: colour '${next.color}' is not #rrggbb, #rrggbbaa or 'transparent'`);
  checkRange('blurStrength', next.blurStrength, 1);
  checkRange('edgeSoftness', next.edgeSoftness, 1);
  checkRange('temporalSmoothing', next.temporalSmoothing, 0.95);
  checkRange('lightWrap', next.lightWrap, 1);
  if (!(next.maxFrameDelayMs > 0)) throw new RangeError(`Backdrop: maxFrameDelayMs must be positive, got ${next.maxFrameDelayMs}`);
  if (next.quality !== 'auto') {
    if (typeof next.quality !== 'number') {
      throw new TypeError(`Backdrop: quality must be 'auto' or a tier number, got ${String(next.quality)}`);
    }
    if (!Number.isInteger(next.quality) || next.quality < 0 || next.quality >= QUALITY_TIERS.length) {
      throw new RangeError(`Backdrop: quality must be 'auto' or a tier from 0 to ${QUALITY_TIERS.length - 1}, got ${next.quality}`);
    }
  }
  if (!(typeof next.debugSlowdown === 'number' && next.debugSlowdown >= 1 && next.debugSlowdown <= 20)) {
    throw new RangeError(`Backdrop: debugSlowdown must be a number from 1 to 20, got ${next.debugSlowdown}`);
  }
  if (next.mode === 'replace' && next.backgroundImage === null) {
    throw new TypeError("Backdrop: mode 'replace' needs a backgroundImage");
  }
  return next;
}
