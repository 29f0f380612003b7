/**
 * Backdrop: private, real-time background removal for video calls, in the browser.
 * Exactly the API that www/README.md documents.
 *
 * ```js
 * const backdrop = await createBackdrop({ mode: 'blur' });
 * const processed = backdrop.process(cameraStream); // video processed, audio as is
 * ```
 */

export {
  createBackdrop,
  Backdrop,
  type CreateOptions,
  type ProcessOptions,
  type StateChangeDetail,
  type ProgressDetail,
} from './backdrop.js';
export { DEFAULT_OPTIONS, type BackdropOptions, type Mode, type ModelChoice, type Refinement, type People } from './options.js';
export { QUALITY_TIERS, type QualityTier, type QualityState } from './quality.js';
export type { BackdropStats, BackdropState, FramePath } from './stats.js';
export type { StageTimings } from './timings.js';
export type { WasmBuild } from './features.js';
