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

const MODES: readonly Mode[] = ['blur', 'replace', 'remove'];
const MODELS: readonly ModelChoice[] = ['auto', 'general', 'landscape'];
const REFINEMENTS: readonly Refinement[] = ['guided', 'bilateral', 'bilinear'];
const PEOPLE: readonly People[] = ['main', 'all'];
const COLOR = /^(#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?|transparent)$/;
const NAMES = new Set(Object.keys(DEFAULT_OPTIONS));

function checkRange(name: string, value: number, max: number): void {
  if (!Number.isFinite(value) || value < 0 || value > max) {
    throw new RangeError(`Backdrop: ${name} must be a number from 0 to ${max}, got ${value}`);
  }
}

function isImageBitmap(value: unknown): boolean {
  return typeof ImageBitmap !== 'undefined' && value instanceof ImageBitmap;
}

/** Merges `changes` into `current`, throwing an error naming the option for any bad value or unknown name. */
export function mergeOptions(current: BackdropOptions, changes: Partial<BackdropOptions>): BackdropOptions {
  for (const name of Object.keys(changes)) {
    if (!NAMES.has(name)) throw new TypeError(`Backdrop: unknown option '${name}' (expected ${[...NAMES].join(', ')})`);
  }
  const next: BackdropOptions = { ...current, ...changes };
  if (!MODES.includes(next.mode)) throw new TypeError(`Backdrop: unknown mode '${next.mode}' (expected ${MODES.join(', ')})`);
  if (!MODELS.includes(next.model)) throw new TypeError(`Backdrop: unknown model '${next.model}' (expected ${MODELS.join(', ')})`);
  if (!REFINEMENTS.includes(next.refinement)) {
    throw new TypeError(`Backdrop: unknown refinement '${next.refinement}' (expected ${REFINEMENTS.join(', ')})`);
  }
  if (!PEOPLE.includes(next.people)) throw new TypeError(`Backdrop: unknown people '${next.people}' (expected ${PEOPLE.join(', ')})`);
  if (!COLOR.test(next.color)) throw new TypeError(`Backdrop: color '${next.color}' is not #rrggbb, #rrggbbaa or 'transparent'`);
  checkRange('blurStrength', next.blurStrength, 1);
  checkRange('edgeSoftness', next.edgeSoftness, 1);
  checkRange('temporalSmoothing', next.temporalSmoothing, 0.95);
  checkRange('lightWrap', next.lightWrap, 1);
  if (!(typeof next.maxFrameDelayMs === 'number' && Number.isFinite(next.maxFrameDelayMs) && next.maxFrameDelayMs > 0)) {
    throw new RangeError(`Backdrop: maxFrameDelayMs must be a positive number, got ${next.maxFrameDelayMs}`);
  }
  if (next.quality !== 'auto') {
    if (typeof next.quality !== 'number') {
      throw new TypeError(`Backdrop: quality must be 'auto' or a tier number, got ${String(next.quality)}`);
    }
    if (!Number.isInteger(next.quality) || next.quality < 0 || next.quality >= QUALITY_TIERS.length) {
      throw new RangeError(`Backdrop: quality must be 'auto' or a tier from 0 to ${QUALITY_TIERS.length - 1}, got ${next.quality}`);
    }
  }
  if (next.backgroundImage !== null && !isImageBitmap(next.backgroundImage)) {
    throw new TypeError(`Backdrop: backgroundImage must be an ImageBitmap or null, got ${String(next.backgroundImage)}`);
  }
  if (next.mode === 'replace' && next.backgroundImage === null) {
    throw new TypeError("Backdrop: mode 'replace' needs a backgroundImage");
  }
  return next;
}
